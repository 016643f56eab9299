/**
 * HubSpot's request signature v3 (developers.hubspot.com, "Validating requests"; the official Node
 * SDK's src/utils/signature.ts): base64 HMAC-SHA256, keyed with the app's client secret, of
 * method + the full URI HubSpot called + the raw body + the X-HubSpot-Request-Timestamp header
 * (epoch ms). Compared in constant time (the SDK uses ===).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** HubSpot's MAX_ALLOWED_TIMESTAMP: a request signed longer ago is a replay. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000

export interface SignedRequest {
  readonly method: string
  /** The URL HubSpot called, scheme and host included. */
  readonly uri: string
  readonly rawBody: Buffer
  readonly signature: string | undefined
  readonly timestamp: string | undefined
}

export type SignatureCheck =
  | { readonly ok: true }
  | {
      readonly ok: false
      readonly rule: 'signature' | 'signature-timestamp'
      readonly detail: string
    }

export function signatureV3(
  secret: string,
  method: string,
  uri: string,
  rawBody: Buffer,
  timestamp: string,
): string {
  return createHmac('sha256', secret)
    .update(
      Buffer.concat([
        Buffer.from(`${method}${uri}`, 'utf8'),
        rawBody,
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64')
}

/**
 * HubSpot signs the URI with these percent-escapes decoded (its "Validating requests" table; the
 * same twelve in public validators): a URI received encoded is decoded before it is checked.
 */
const DECODED_IN_SIGNED_URI: Readonly<Record<string, string>> = {
  '3A': ':',
  '2F': '/',
  '3F': '?',
  '40': '@',
  '21': '!',
  '24': '$',
  '27': "'",
  '28': '(',
  '29': ')',
  '2A': '*',
  '2C': ',',
  '3B': ';',
}

export function signedUriOf(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape, hex: string) => DECODED_IN_SIGNED_URI[hex.toUpperCase()] ?? escape,
  )
}

export function checkSignatureV3(
  secret: string,
  request: SignedRequest,
  now: number,
): SignatureCheck {
  const { signature, timestamp } = request
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) {
    return {
      ok: false,
      rule: 'signature-timestamp',
      detail: 'X-HubSpot-Request-Timestamp must be milliseconds since 1970',
    }
  }
  // Too far ahead is refused like too old: a clock that far off cannot be told from a replay.
  if (Math.abs(now - Number(timestamp)) > MAX_SIGNATURE_AGE_MS) {
    return {
      ok: false,
      rule: 'signature-timestamp',
      detail: `X-HubSpot-Request-Timestamp ${timestamp} is more than 5 minutes from ${now}`,
    }
  }
  if (signature === undefined) {
    return { ok: false, rule: 'signature', detail: 'X-HubSpot-Signature-v3 is missing' }
  }
  const expected = Buffer.from(
    signatureV3(secret, request.method, signedUriOf(request.uri), request.rawBody, timestamp),
    'utf8',
  )
  const given = Buffer.from(signature, 'utf8')
  // timingSafeEqual needs equal lengths; a length differing says nothing of the secret.
  const matches = given.length === expected.length && timingSafeEqual(given, expected)
  return matches
    ? { ok: true }
    : { ok: false, rule: 'signature', detail: 'X-HubSpot-Signature-v3 does not match the request' }
}
