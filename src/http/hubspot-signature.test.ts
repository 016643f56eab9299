import { describe, expect, it } from 'vitest'

import type { SignedRequest } from './hubspot-signature.js'
import {
  checkSignatureV3,
  MAX_SIGNATURE_AGE_MS,
  signatureV3,
  signedUriOf,
} from './hubspot-signature.js'

const SECRET = 'hubspot-client-secret-example'
const URI = 'https://leadclock.example.com/connectors/hubspot/webhooks'
const BODY = Buffer.from('[{"eventId":1}]')
const TIMESTAMP = 1772546400000
/**
 * Computed outside Node from the documented algorithm:
 * printf '%s' 'POST<uri>[{"eventId":1}]1772546400000' | openssl dgst -sha256 -hmac <secret> -binary | base64
 */
const KNOWN_SIGNATURE = '3KFCErSyQLK5pYu8v9dOulwc8EYPFCuHD4NVMdKos7g='

const signed = (overrides: Partial<SignedRequest> = {}): SignedRequest => ({
  method: 'POST',
  uri: URI,
  rawBody: BODY,
  signature: KNOWN_SIGNATURE,
  timestamp: String(TIMESTAMP),
  ...overrides,
})

describe('HubSpot signature v3', () => {
  it('is the base64 HMAC-SHA256 of method, URI, body and timestamp (a vector computed with openssl)', () => {
    expect(signatureV3(SECRET, 'POST', URI, BODY, String(TIMESTAMP))).toBe(KNOWN_SIGNATURE)
    expect(checkSignatureV3(SECRET, signed(), TIMESTAMP + 1000)).toEqual({ ok: true })
  })

  it('refuses a signature made with another secret, a tampered body, URI or method', () => {
    const refused = {
      ok: false,
      rule: 'signature',
      detail: 'X-HubSpot-Signature-v3 does not match the request',
    }
    expect(checkSignatureV3('another-secret', signed(), TIMESTAMP)).toEqual(refused)
    expect(
      checkSignatureV3(SECRET, signed({ rawBody: Buffer.from('[{"eventId":2}]') }), TIMESTAMP),
    ).toEqual(refused)
    expect(checkSignatureV3(SECRET, signed({ uri: `${URI}?a=1` }), TIMESTAMP)).toEqual(refused)
    expect(checkSignatureV3(SECRET, signed({ method: 'PUT' }), TIMESTAMP)).toEqual(refused)
  })

  it('refuses a signature of another length without comparing it (timingSafeEqual needs equal lengths)', () => {
    expect(
      checkSignatureV3(SECRET, signed({ signature: KNOWN_SIGNATURE.slice(1) }), TIMESTAMP),
    ).toMatchObject({ ok: false, rule: 'signature' })
    expect(checkSignatureV3(SECRET, signed({ signature: '' }), TIMESTAMP)).toMatchObject({
      ok: false,
      rule: 'signature',
    })
  })

  it('checks the URI with the twelve escapes HubSpot decodes decoded, and no others', () => {
    expect(signedUriOf('https://x.example/h?a=b%3ac%2F%3F%40%21%24%27%28%29%2A%2C%3B%20%25')).toBe(
      "https://x.example/h?a=b:c/?@!$'()*,;%20%25",
    )
    const decoded = `${URI}?portal=a:b`
    const signature = signatureV3(SECRET, 'POST', decoded, BODY, String(TIMESTAMP))
    expect(
      checkSignatureV3(SECRET, signed({ uri: `${URI}?portal=a%3Ab`, signature }), TIMESTAMP),
    ).toEqual({ ok: true })
  })

  it('refuses a missing signature', () => {
    expect(checkSignatureV3(SECRET, signed({ signature: undefined }), TIMESTAMP)).toEqual({
      ok: false,
      rule: 'signature',
      detail: 'X-HubSpot-Signature-v3 is missing',
    })
  })

  it('accepts a timestamp exactly 5 minutes old and refuses one a millisecond older, or as far ahead', () => {
    expect(MAX_SIGNATURE_AGE_MS).toBe(300_000)
    expect(checkSignatureV3(SECRET, signed(), TIMESTAMP + 300_000)).toEqual({ ok: true })
    expect(checkSignatureV3(SECRET, signed(), TIMESTAMP + 300_001)).toEqual({
      ok: false,
      rule: 'signature-timestamp',
      detail: 'X-HubSpot-Request-Timestamp 1772546400000 is more than 5 minutes from 1772546700001',
    })
    expect(checkSignatureV3(SECRET, signed(), TIMESTAMP - 300_001)).toMatchObject({
      ok: false,
      rule: 'signature-timestamp',
    })
  })

  it('refuses a missing or non-numeric timestamp before looking at the signature', () => {
    for (const timestamp of [undefined, '', '1772546400000.5', 'now']) {
      expect(checkSignatureV3(SECRET, signed({ timestamp }), TIMESTAMP)).toEqual({
        ok: false,
        rule: 'signature-timestamp',
        detail: 'X-HubSpot-Request-Timestamp must be milliseconds since 1970',
      })
    }
  })
})
