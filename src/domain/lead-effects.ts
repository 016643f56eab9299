/**
 * What applying an event asks the shell to do or to know. The engine only describes effects;
 * the app layer acts on them (clocks, queues, notifications, tasks).
 */
import type { ClockEventName } from './clock-events.js'
import type { RefusalRule } from './lifecycle/refusal-rules.js'

export type LeadEffect =
  | {
      readonly kind: 'transitioned'
      readonly from: string
      readonly to: string
      readonly at: number
      readonly reason: string
    }
  | {
      readonly kind: 'transition-refused'
      readonly eventType: string
      readonly rule: RefusalRule
      readonly message: string
      readonly missing: readonly string[]
    }
  /** A moment the SLA clocks of the policy listen to (startsOn, stopsOn…). */
  | { readonly kind: 'clock-event'; readonly event: ClockEventName; readonly at: number }
  | { readonly kind: 'queued'; readonly queue: string; readonly reason: string }
  | {
      readonly kind: 'task-created'
      readonly task: string
      readonly assigneeRole: string
      readonly dueAt: number | null
    }
  | { readonly kind: 'flagged'; readonly flag: string; readonly detail: string }
