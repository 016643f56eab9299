import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createWebhookChannel,
  signWebhook,
  verifyStandardWebhook,
  webhookMessageId,
  webhookPayload,
  webhookSecretKey,
} from './webhook-channel.js'
import {
  closedPortUrl,
  sampleNotification,
  startReceiver,
  type LoopbackReceiver,
  type ReceivedRequest,
} from './test-support.js'

const SECRET_A = `whsec_${Buffer.alloc(32, 'leadclock-a').toString('base64')}`
const SECRET_B = `whsec_${Buffer.alloc(24, 'leadclock-b').toString('base64')}`
const FIXED_NOW = Date.parse('2026-03-03T17:05:07.900Z')

const EXPECTED_BODY =
  '{"type":"lead.sla_escalated","timestamp":"2026-03-03T17:05:00.000Z","data":{' +
  '"leadId":"lead_01HX","stepKey":"lead_01HX/sdr-response/2","subject":"SDR Response — Tier 1",' +
  '"stepTitle":"Second reminder","severity":"formal-breach","requiredAction":"Call the lead <today>",' +
  '"actionDueAt":"2026-03-03T18:00:00.000Z","graced":false,' +
  '"recipient":{"role":"sdr-manager","personId":"p-42"}}}'

function headersOf(request: ReceivedRequest | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(request?.headers ?? {})) {
    if (typeof value === 'string') {
      out[key] = value
    }
  }
  return out
}

describe('Standard Webhooks signing', () => {
  it('matches the Standard Webhooks reference vector', () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    }
    expect(
      verifyStandardWebhook(
        headers,
        '{"test": 2432232314}',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        1614265330_000,
      ),
    ).toEqual({ ok: true, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 })
  })

  it('derives a stable msg_ id from the delivery key', () => {
    const id = webhookMessageId('lead_01HX/sdr-response/2|webhook|p-42')
    const digest = createHash('sha256').update('lead_01HX/sdr-response/2|webhook|p-42').digest()
    expect(id).toBe(`msg_${digest.subarray(0, 24).toString('base64url')}`)
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{32}$/)
    expect(webhookMessageId('lead_01HX/sdr-response/2|webhook|p-42')).toBe(id)
    expect(webhookMessageId('lead_01HX/sdr-response/2|webhook|p-43')).not.toBe(id)
  })

  it('builds the thin payload: ids and what is due, no names or e-mail', () => {
    const payload = webhookPayload(sampleNotification())
    expect(JSON.stringify(payload)).toBe(EXPECTED_BODY)
    expect(JSON.stringify(payload)).not.toMatch(/Jane|Acme|morgan@/)
    expect(
      webhookPayload(sampleNotification({ message: { actionDueAt: null } })).data.actionDueAt,
    ).toBeNull()
  })

  it('signs "{id}.{timestamp}.{body}" with every secret, as the standardwebhooks package does', () => {
    const notification = sampleNotification()
    const { headers, body } = signWebhook(notification, [SECRET_A, SECRET_B], FIXED_NOW)
    const id = webhookMessageId(notification.deliveryKey)
    const at = new Date(1772557507_000)
    expect(body).toBe(EXPECTED_BODY)
    expect(headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': '1772557507',
      'webhook-signature': [
        new Webhook(SECRET_A).sign(id, at, body),
        new Webhook(SECRET_B).sign(id, at, body),
      ].join(' '),
    })
  })

  it('verification checks the body, the secret, the time window and the headers', () => {
    const { headers, body } = signWebhook(sampleNotification(), [SECRET_A], FIXED_NOW)
    expect(verifyStandardWebhook(headers, body, SECRET_A, FIXED_NOW)).toMatchObject({ ok: true })
    expect(verifyStandardWebhook(new Headers(headers), body, SECRET_A, FIXED_NOW)).toMatchObject({
      ok: true,
    })
    expect(
      verifyStandardWebhook(headers, body.replace('false', 'true'), SECRET_A, FIXED_NOW),
    ).toEqual({ ok: false, reason: 'no matching v1 signature' })
    expect(verifyStandardWebhook(headers, body, SECRET_B, FIXED_NOW)).toEqual({
      ok: false,
      reason: 'no matching v1 signature',
    })
    expect(verifyStandardWebhook(headers, body, SECRET_A, FIXED_NOW + 300_000)).toMatchObject({
      ok: true,
    })
    expect(verifyStandardWebhook(headers, body, SECRET_A, FIXED_NOW + 301_000)).toEqual({
      ok: false,
      reason: 'webhook-timestamp is outside the tolerance',
    })
    expect(verifyStandardWebhook(headers, body, SECRET_A, FIXED_NOW - 301_000)).toMatchObject({
      ok: false,
    })
    const { 'webhook-id': _id, ...withoutId } = headers
    expect(verifyStandardWebhook(withoutId, body, SECRET_A, FIXED_NOW)).toMatchObject({ ok: false })
    const v2Only = {
      ...headers,
      'webhook-signature': headers['webhook-signature']!.replace('v1,', 'v2,'),
    }
    expect(verifyStandardWebhook(v2Only, body, SECRET_A, FIXED_NOW)).toMatchObject({ ok: false })
  })

  it.each([
    ['no prefix', Buffer.alloc(32, 1).toString('base64')],
    ['not base64', 'whsec_not*base64!'],
    ['23 bytes', `whsec_${Buffer.alloc(23, 1).toString('base64')}`],
    ['65 bytes', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
  ])('rejects a secret with %s, without quoting it', (_case, secret) => {
    expect(webhookSecretKey(secret)).toBeNull()
    expect(() =>
      createWebhookChannel({ url: 'https://example.com/hook', secrets: [secret] }),
    ).toThrow('webhook secret 1 must be "whsec_" followed by base64 of 24–64 random bytes')
  })

  it('accepts secrets of 24 and 64 bytes', () => {
    expect(webhookSecretKey(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)).toHaveLength(24)
    expect(webhookSecretKey(`whsec_${Buffer.alloc(64, 7).toString('base64')}`)).toHaveLength(64)
  })
})

describe('webhook channel against a loopback receiver', () => {
  let receiver: LoopbackReceiver | undefined
  let other: LoopbackReceiver | undefined
  afterEach(async () => {
    await receiver?.close()
    await other?.close()
    receiver = other = undefined
  })

  async function deliverTo(
    respond: Parameters<LoopbackReceiver['respond']>[0],
    options: { timeoutMs?: number } = {},
  ) {
    receiver = await startReceiver('/hooks/leadclock')
    receiver.respond(respond)
    const channel = createWebhookChannel({ url: receiver.url, secrets: [SECRET_A], ...options })
    return channel.deliver(sampleNotification({ channel: 'webhook' }), Date.now())
  }

  it('delivers the signed body; both verifiers accept it with either rotated secret', async () => {
    receiver = await startReceiver('/hooks/leadclock')
    receiver.respond((_request, response) => response.writeHead(204).end())
    const channel = createWebhookChannel({ url: receiver.url, secrets: [SECRET_A, SECRET_B] })
    const notification = sampleNotification({ channel: 'webhook' })
    const now = Date.now()

    expect(channel.name).toBe('webhook')
    expect(await channel.deliver(notification, now)).toEqual({ ok: true })
    const [request] = receiver.requests
    const headers = headersOf(request)
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/hooks/leadclock')
    expect(request?.body).toBe(EXPECTED_BODY)
    expect(headers['content-type']).toBe('application/json')
    expect(headers['webhook-id']).toBe(webhookMessageId(notification.deliveryKey))
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now / 1000)))
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2)

    for (const secret of [SECRET_A, SECRET_B]) {
      expect(verifyStandardWebhook(headers, request?.body ?? '', secret, Date.now())).toMatchObject(
        {
          ok: true,
        },
      )
      // The official package checks the timestamp against the real clock, hence Date.now() above.
      expect(new Webhook(secret).verify(request?.body ?? '', headers)).toEqual(
        JSON.parse(EXPECTED_BODY),
      )
    }
    const stranger = `whsec_${Buffer.alloc(32, 'someone-else').toString('base64')}`
    expect(() => new Webhook(stranger).verify(request?.body ?? '', headers)).toThrow()
  })

  it('a retry carries the same webhook-id and body with a fresh timestamp', async () => {
    receiver = await startReceiver()
    const channel = createWebhookChannel({ url: receiver.url, secrets: [SECRET_A] })
    const notification = sampleNotification({ channel: 'webhook' })
    await channel.deliver(notification, FIXED_NOW)
    await channel.deliver(notification, FIXED_NOW + 5_000)
    const [first, second] = receiver.requests.map(headersOf)
    expect(second?.['webhook-id']).toBe(first?.['webhook-id'])
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body)
    expect(Number(second?.['webhook-timestamp']) - Number(first?.['webhook-timestamp'])).toBe(5)
  })

  it.each([200, 201, 202, 204])('%i is success', async (status) => {
    expect(await deliverTo((_request, response) => response.writeHead(status).end())).toEqual({
      ok: true,
    })
  })

  it.each([400, 401, 403, 404, 413, 422])('%i is not retryable', async (status) => {
    expect(await deliverTo((_request, response) => response.writeHead(status).end('no'))).toEqual({
      ok: false,
      retryable: false,
      error: `webhook endpoint answered HTTP ${status}: no`,
    })
  })

  it('410 means the endpoint is gone: not retryable', async () => {
    expect(await deliverTo((_request, response) => response.writeHead(410).end())).toEqual({
      ok: false,
      retryable: false,
      error: 'webhook endpoint answered HTTP 410 (endpoint gone)',
    })
  })

  it.each([429, 502, 503, 504])('%i is retryable, honouring Retry-After', async (status) => {
    const result = await deliverTo((_request, response) =>
      response.writeHead(status, { 'retry-after': '7' }).end(),
    )
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: `webhook endpoint answered HTTP ${status}`,
      retryAfterMs: 7_000,
    })
  })

  it('500 without Retry-After is retryable', async () => {
    expect(
      await deliverTo((_request, response) => response.writeHead(500).end('boom\n  at stack')),
    ).toEqual({
      ok: false,
      retryable: true,
      error: 'webhook endpoint answered HTTP 500: boom at stack',
    })
  })

  it('a redirect is a failure and is not followed', async () => {
    other = await startReceiver()
    const target = other.url
    const result = await deliverTo((_request, response) =>
      response.writeHead(307, { location: target }).end(),
    )
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: 'webhook endpoint answered HTTP 307',
    })
    expect(other.requests).toHaveLength(0)
  })

  it('a receiver that never answers times out, retryably', async () => {
    const result = await deliverTo(() => undefined, { timeoutMs: 150 })
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: 'webhook endpoint timed out after 150 ms',
    })
  })

  it('a 2xx settles the delivery even if the body never ends; a stalled error body times out', async () => {
    const stall = (status: number) => (_request: ReceivedRequest, response: ServerResponse) => {
      response.writeHead(status)
      response.write('partial')
    }
    expect(await deliverTo(stall(200), { timeoutMs: 150 })).toEqual({ ok: true })
    await receiver?.close()
    expect(await deliverTo(stall(503), { timeoutMs: 150 })).toEqual({
      ok: false,
      retryable: true,
      error: 'webhook endpoint timed out after 150 ms',
    })
  })

  it('a refused connection is retryable', async () => {
    const url = await closedPortUrl()
    const result = await createWebhookChannel({ url, secrets: [SECRET_A] }).deliver(
      sampleNotification(),
      FIXED_NOW,
    )
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.ok === false && result.error).toMatch(
      /^webhook endpoint request failed: ECONNREFUSED/,
    )
  })
})
