import { describeStatus, parseRetryAfterMs, sendAndClassify, type FetchLike } from './http-post.js'
import type { DeliveryResult, NotificationChannel, OutboundNotification } from './notification.js'
import { GRACE_NOTE, formatElapsed, isoUtc, safeHttpUrl, severityLabel } from './render-common.js'

export interface SlackChannelOptions {
  /** Incoming-webhook URL. It is a secret: it never appears in errors. */
  readonly webhookUrl: string
  readonly fetchImpl?: FetchLike
  readonly timeoutMs?: number
}

export interface SlackMessage {
  readonly text: string
  readonly blocks: unknown[]
}

export const SLACK_DEFAULT_TIMEOUT_MS = 15_000

/** Slack limits: section text 3000 characters, top-level text 40 000; we stay well under both. */
const FIELD_MAX = 200
const ACTION_MAX = 900
const URL_MAX = 500

/** Slack's three mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Escapes, then clips to `max` characters without cutting an entity in half. */
function mrkdwn(text: string, max = FIELD_MAX): string {
  let out = ''
  for (const char of text) {
    const piece = escapeMrkdwn(char)
    if (out.length + piece.length > max - 1) {
      return `${out}…`
    }
    out += piece
  }
  return out
}

function slackLink(url: string | null, label: string): string {
  const href = safeHttpUrl(url)
  if (href === null) {
    return label
  }
  // `|` would end the URL part of <url|label>; WHATWG URLs leave it unencoded.
  const target = escapeMrkdwn(href.replace(/\|/g, '%7C'))
  return target.length > URL_MAX ? label : `<${target}|${label}>`
}

export function renderSlackMessage(notification: OutboundNotification): SlackMessage {
  const m = notification.message
  const severity = severityLabel(m.severity)
  const lead = slackLink(m.leadUrl, mrkdwn(m.leadName))
  const company = m.company === null ? '' : ` · ${mrkdwn(m.company)}`
  const lines = [
    `*${severity}* — ${mrkdwn(m.subject)}`,
    `*Lead:* ${lead}${company}`,
    `*Step:* ${mrkdwn(m.stepTitle)}`,
    `*Owner:* ${m.ownerName === null ? 'unassigned' : mrkdwn(m.ownerName)}`,
    `*Required action:* ${mrkdwn(m.requiredAction, ACTION_MAX)}`,
  ]
  if (m.actionDueAt !== null) {
    lines.push(`*Action due:* ${isoUtc(m.actionDueAt)}`)
  }
  if (m.clockElapsedMs !== null) {
    lines.push(`*Elapsed business time:* ${formatElapsed(m.clockElapsedMs)}`)
  }

  const companySuffix = m.company === null ? '' : ` (${mrkdwn(m.company)})`
  const text = `${severity}: ${mrkdwn(m.subject)} — ${mrkdwn(m.stepTitle)} — ${mrkdwn(m.leadName)}${companySuffix}`

  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }]
  if (m.graced) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${GRACE_NOTE}: recorded for coaching, not escalated beyond the rep`,
        },
      ],
    })
  }
  return { text, blocks }
}

/**
 * Slack incoming webhooks answer 200 `ok`, or an error code in the body with 400 (invalid_payload,
 * no_text), 403 (action_prohibited, invalid_token), 404 (channel_not_found, no_service),
 * 410 (channel_is_archived), 429 or 5xx.
 */
export function classifySlackResponse(
  status: number,
  bodyStart: string,
  retryAfter: string | null,
  now: number,
): DeliveryResult {
  if (status >= 200 && status < 300) {
    return { ok: true }
  }
  const error = `Slack webhook answered ${describeStatus(status, bodyStart)}`
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(retryAfter, now)
    return retryAfterMs === undefined
      ? { ok: false, retryable: true, error }
      : { ok: false, retryable: true, error, retryAfterMs }
  }
  // 4xx (a bad payload, a revoked or archived webhook) and 3xx (a URL that is not Slack's) stay
  // wrong however often they are retried.
  return { ok: false, retryable: false, error }
}

export function createSlackChannel(options: SlackChannelOptions): NotificationChannel {
  const fetchImpl = options.fetchImpl ?? fetch
  const timeoutMs = options.timeoutMs ?? SLACK_DEFAULT_TIMEOUT_MS
  return {
    name: 'slack',
    async deliver(notification, now) {
      return sendAndClassify(
        {
          method: 'POST',
          fetchImpl,
          url: options.webhookUrl,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(renderSlackMessage(notification)),
          timeoutMs,
          peer: 'Slack webhook',
        },
        classifySlackResponse,
        now,
      )
    },
  }
}
