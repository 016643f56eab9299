import { createHash } from 'node:crypto'

import { parseRetryAfterMs } from './http-post.js'
import type { DeliveryResult, NotificationChannel, OutboundNotification } from './notification.js'
import {
  GRACE_NOTE,
  formatElapsed,
  isoUtc,
  leadLabel,
  oneLine,
  severityLabel,
} from './render-common.js'

/** Salesforce's Task.Subject limit; a connector may clip further. */
const SUBJECT_MAX = 255

function clip(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/** A task to open in the CRM for the recipient; connectors map it to their CRM's task object. */
export interface CrmTask {
  /** The notification's deliveryKey: a connector must create at most one task per key. */
  readonly idempotencyKey: string
  readonly leadId: string
  readonly assigneePersonId: string | null
  readonly assigneeEmail: string | null
  readonly subject: string
  readonly description: string
  /** When the required action is due (epoch ms), if the policy gives a deadline. */
  readonly dueAt: number | null
  /** When the step fired: the due date of a task whose action has no deadline. */
  readonly firedAt: number
}

export interface CrmTaskSink {
  /** `now` reads a Retry-After given as an HTTP-date. */
  createTask(task: CrmTask, now: number): Promise<DeliveryResult>
}

/**
 * The value a CRM stores in its unique task-key field: `lc-` + 40 hex characters of
 * sha256(idempotencyKey). Fixed-length (a delivery key can outgrow a 255-character text field)
 * and URL-safe (it goes in a URL path), the same on every attempt.
 */
export function crmTaskKey(idempotencyKey: string): string {
  return `lc-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40)}`
}

/**
 * A CRM API's refusal: 429 and 5xx are worth retrying, honouring Retry-After; any other status
 * (400 invalid field, 401 bad token, 403, 404) is the CRM refusing this task for good, unless the
 * vendor's sink knows better (`retryable`).
 */
export function crmRefusal(
  error: string,
  status: number,
  retryAfter: string | null,
  now: number,
  retryable = status === 429 || status >= 500,
): DeliveryResult {
  const retryAfterMs = retryable ? parseRetryAfterMs(retryAfter, now) : undefined
  return retryAfterMs === undefined
    ? { ok: false, retryable, error }
    : { ok: false, retryable, error, retryAfterMs }
}

export function toCrmTask(notification: OutboundNotification): CrmTask {
  const m = notification.message
  const lines = [
    `${severityLabel(m.severity)}: ${m.subject} — ${m.stepTitle}`,
    `Lead: ${leadLabel(m)}`,
    `Required action: ${m.requiredAction}`,
  ]
  if (m.actionDueAt !== null) {
    lines.push(`Action due: ${isoUtc(m.actionDueAt)}`)
  }
  if (m.clockElapsedMs !== null) {
    lines.push(`Elapsed business time: ${formatElapsed(m.clockElapsedMs)}`)
  }
  if (m.leadUrl !== null) {
    lines.push(`Lead in Leadclock: ${m.leadUrl}`)
  }
  if (m.graced) {
    lines.push(`Note: ${GRACE_NOTE}.`)
  }
  return {
    idempotencyKey: notification.deliveryKey,
    leadId: m.leadId,
    assigneePersonId: notification.recipient.personId,
    assigneeEmail: notification.recipient.email,
    subject: clip(oneLine(`${m.requiredAction} — ${leadLabel(m)}`), SUBJECT_MAX),
    description: lines.join('\n'),
    dueAt: m.actionDueAt,
    firedAt: m.firedAt,
  }
}

export function createCrmTaskChannel(sink: CrmTaskSink): NotificationChannel {
  return {
    name: 'crm-task',
    async deliver(notification, now) {
      try {
        return await sink.createTask(toCrmTask(notification), now)
      } catch (error) {
        // A sink that throws has not said the task is impossible, so another attempt may work.
        const reason = error instanceof Error ? error.message : String(error)
        return { ok: false, retryable: true, error: `CRM task sink failed: ${reason}` }
      }
    },
  }
}
