/**
 * What the escalation engine asks to be delivered, and what a channel answers. The outbox stores
 * `OutboundNotification`s; channel adapters (Slack, email, signed webhook, CRM task) deliver them.
 */

export const NOTIFICATION_CHANNELS = ['slack', 'email', 'webhook', 'crm-task'] as const
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number]

export type { NotificationRecipient } from '../domain/escalation/recipients.js'
import type { NotificationRecipient } from '../domain/escalation/recipients.js'

/** One fired escalation step (or stale-opportunity alert), as people read it. */
export interface EscalationMessage {
  /** Dot-hierarchical event type for webhooks, e.g. `lead.sla_escalated`. */
  readonly type: string
  /** Stable id of the fired step; the same for every recipient. */
  readonly stepKey: string
  readonly firedAt: number
  readonly leadId: string
  readonly leadName: string
  readonly company: string | null
  /** SLA item or stale trigger name, e.g. "SDR Response — Tier 1". */
  readonly subject: string
  readonly stepTitle: string
  readonly severity: 'notice' | 'reminder' | 'formal-breach' | 'critical' | 'alert'
  readonly requiredAction: string
  /** When the required action is due, if the policy gives a deadline. */
  readonly actionDueAt: number | null
  /** Business time on the clock when the step fired (ms), if it is a clock step. */
  readonly clockElapsedMs: number | null
  readonly ownerName: string | null
  /** During the policy's grace period: recorded and coached, not escalated beyond the rep. */
  readonly graced: boolean
  /** Link to the lead in Leadclock (or the CRM), when known. */
  readonly leadUrl: string | null
}

export interface OutboundNotification {
  /** Idempotency key per step, channel and recipient; the same on every retry. */
  readonly deliveryKey: string
  readonly channel: NotificationChannelName
  readonly recipient: NotificationRecipient
  readonly message: EscalationMessage
}

export type DeliveryResult =
  | { readonly ok: true }
  | {
      readonly ok: false
      /** False when retrying cannot help (e.g. 400 invalid_payload, 410 endpoint gone). */
      readonly retryable: boolean
      readonly error: string
      /** From a Retry-After header, when the peer sent one. */
      readonly retryAfterMs?: number
    }

export interface NotificationChannel {
  readonly name: NotificationChannelName
  deliver(notification: OutboundNotification, now: number): Promise<DeliveryResult>
}
