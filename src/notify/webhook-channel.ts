import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { describeStatus, parseRetryAfterMs, sendAndClassify, type FetchLike } from './http-post.js'
import type { DeliveryResult, NotificationChannel, OutboundNotification } from './notification.js'
import { isoUtc } from './render-common.js'

/** Outbound webhooks signed per Standard Webhooks v1 (https://www.standardwebhooks.com/). */

export const WEBHOOK_DEFAULT_TIMEOUT_MS = 15_000
export const WEBHOOK_SECRET_PREFIX = 'whsec_'
export const WEBHOOK_SECRET_MIN_BYTES = 24
export const WEBHOOK_SECRET_MAX_BYTES = 64
export const WEBHOOK_SECRET_RULE = `must be "${WEBHOOK_SECRET_PREFIX}" followed by base64 of ${WEBHOOK_SECRET_MIN_BYTES}–${WEBHOOK_SECRET_MAX_BYTES} random bytes`

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The HMAC key of a `whsec_` secret, or null when it breaks `WEBHOOK_SECRET_RULE`. */
export function webhookSecretKey(secret: string): Buffer | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    return null
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length)
  if (!BASE64.test(encoded)) {
    return null
  }
  const key = Buffer.from(encoded, 'base64')
  return key.length >= WEBHOOK_SECRET_MIN_BYTES && key.length <= WEBHOOK_SECRET_MAX_BYTES
    ? key
    : null
}

/** Several secrets are space-separated, as in `webhook-signature`; used while rotating. */
export function splitWebhookSecrets(secrets: string): string[] {
  return secrets.split(/\s+/).filter((secret) => secret !== '')
}

/** `msg_` + 32 base64url characters of sha256(deliveryKey): the same id on every retry. */
export function webhookMessageId(deliveryKey: string): string {
  const digest = createHash('sha256').update(deliveryKey, 'utf8').digest()
  return `msg_${digest.subarray(0, 24).toString('base64url')}`
}

function sign(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', key)
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64')
}

export interface WebhookPayload {
  readonly type: string
  /** When the step fired (the event time, as Standard Webhooks defines it), not the send time. */
  readonly timestamp: string
  readonly data: {
    readonly leadId: string
    readonly stepKey: string
    readonly subject: string
    readonly stepTitle: string
    readonly severity: string
    readonly requiredAction: string
    readonly actionDueAt: string | null
    readonly graced: boolean
    readonly recipient: { readonly role: string; readonly personId: string | null }
  }
}

/** A thin payload: ids and what is due, no names or e-mail addresses; receivers fetch the rest. */
export function webhookPayload(notification: OutboundNotification): WebhookPayload {
  const m = notification.message
  return {
    type: m.type,
    timestamp: isoUtc(m.firedAt),
    data: {
      leadId: m.leadId,
      stepKey: m.stepKey,
      subject: m.subject,
      stepTitle: m.stepTitle,
      severity: m.severity,
      requiredAction: m.requiredAction,
      actionDueAt: m.actionDueAt === null ? null : isoUtc(m.actionDueAt),
      graced: m.graced,
      recipient: { role: notification.recipient.role, personId: notification.recipient.personId },
    },
  }
}

export interface SignedWebhookRequest {
  readonly headers: Record<string, string>
  readonly body: string
}

/** The request body and headers; pure, so tests and receivers can reproduce a delivery. */
export function signWebhook(
  notification: OutboundNotification,
  secrets: readonly string[],
  now: number,
): SignedWebhookRequest {
  const body = JSON.stringify(webhookPayload(notification))
  const id = webhookMessageId(notification.deliveryKey)
  const timestamp = Math.floor(now / 1000)
  const signatures = secrets.map((secret) => {
    const key = webhookSecretKey(secret)
    if (key === null) {
      throw new Error(`webhook secret ${WEBHOOK_SECRET_RULE}`)
    }
    return `v1,${sign(key, id, timestamp, body)}`
  })
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatures.join(' '),
    },
    body,
  }
}

export type WebhookVerification =
  | { readonly ok: true; readonly id: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: string }

type HeaderSource = Headers | Record<string, string | readonly string[] | undefined>

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) {
    return headers.get(name) ?? undefined
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) {
      return typeof value === 'string' ? value : value?.[0]
    }
  }
  return undefined
}

/**
 * Checks a Standard Webhooks v1 signature against one `whsec_` secret: the timestamp must be within
 * `toleranceSeconds` of `now` (ms) either way, and one `v1,` signature must match.
 */
export function verifyStandardWebhook(
  headers: HeaderSource,
  body: string,
  secret: string,
  now: number,
  toleranceSeconds = 300,
): WebhookVerification {
  const id = header(headers, 'webhook-id')
  const timestampText = header(headers, 'webhook-timestamp')
  const signatureHeader = header(headers, 'webhook-signature')
  if (id === undefined || timestampText === undefined || signatureHeader === undefined) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' }
  }
  if (!/^\d+$/.test(timestampText)) {
    return { ok: false, reason: 'webhook-timestamp is not an integer' }
  }
  const timestamp = Number(timestampText)
  if (Math.abs(Math.floor(now / 1000) - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'webhook-timestamp is outside the tolerance' }
  }
  const key = webhookSecretKey(secret)
  if (key === null) {
    return { ok: false, reason: `secret ${WEBHOOK_SECRET_RULE}` }
  }
  const expected = Buffer.from(sign(key, id, timestamp, body), 'base64')
  for (const versioned of signatureHeader.split(' ')) {
    const [version, signature] = versioned.split(',', 2)
    if (version !== 'v1' || signature === undefined) {
      continue
    }
    const given = Buffer.from(signature, 'base64')
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, id, timestamp }
    }
  }
  return { ok: false, reason: 'no matching v1 signature' }
}

/**
 * Standard Webhooks delivery rules: 2xx is success; 3xx a failure (redirects are not followed);
 * 410 means the endpoint is gone; 429, 502, 503, 504 and other 5xx are worth retrying, honouring
 * Retry-After; any other 4xx is the receiver refusing this message for good.
 */
export function classifyWebhookResponse(
  status: number,
  bodyStart: string,
  retryAfter: string | null,
  now: number,
): DeliveryResult {
  if (status >= 200 && status < 300) {
    return { ok: true }
  }
  const error = `webhook endpoint answered ${describeStatus(status, bodyStart)}`
  if (status === 410) {
    return { ok: false, retryable: false, error: `${error} (endpoint gone)` }
  }
  if (status >= 400 && status < 500 && status !== 429) {
    return { ok: false, retryable: false, error }
  }
  // 3xx lands here as retryable: a moved endpoint is a configuration fault that can be fixed
  // within the retry window, and the schedule gives up on its own.
  const retryAfterMs = parseRetryAfterMs(retryAfter, now)
  return retryAfterMs === undefined
    ? { ok: false, retryable: true, error }
    : { ok: false, retryable: true, error, retryAfterMs }
}

export interface WebhookChannelOptions {
  readonly url: string
  /** One or more `whsec_` secrets; each signs every message (several while rotating). */
  readonly secrets: readonly string[]
  readonly fetchImpl?: FetchLike
  readonly timeoutMs?: number
}

export function createWebhookChannel(options: WebhookChannelOptions): NotificationChannel {
  if (options.secrets.length === 0) {
    throw new Error('a webhook channel needs at least one secret')
  }
  options.secrets.forEach((secret, index) => {
    if (webhookSecretKey(secret) === null) {
      throw new Error(`webhook secret ${index + 1} ${WEBHOOK_SECRET_RULE}`)
    }
  })
  const secrets = [...options.secrets]
  const fetchImpl = options.fetchImpl ?? fetch
  const timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULT_TIMEOUT_MS
  return {
    name: 'webhook',
    async deliver(notification, now) {
      const request = signWebhook(notification, secrets, now)
      return sendAndClassify(
        {
          method: 'POST',
          fetchImpl,
          url: options.url,
          headers: { ...request.headers, 'user-agent': 'Leadclock-Webhooks/1' },
          body: request.body,
          timeoutMs,
          peer: 'webhook endpoint',
        },
        classifyWebhookResponse,
        now,
      )
    },
  }
}
