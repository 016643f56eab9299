/** What the escalation scheduler and the notification outbox need from storage. */
import type { EscalationKind } from '../domain/lead-events.js'
import type { EscalationRecord } from '../domain/lead-state.js'
import type { TaskView } from '../domain/tasks.js'
import type { NotificationChannelName, OutboundNotification } from '../notify/notification.js'

export interface DueTimer {
  readonly stepKey: string
  readonly leadId: string
  readonly dueAt: number
}

/** A lead's planned timers, as of `at` (when its state was derived). */
export interface LeadSchedule {
  readonly leadId: string
  readonly planned: readonly DueTimer[]
  readonly at: number
}

export interface TimerSettlement {
  readonly stepKey: string
  readonly outcome: 'fired' | 'skipped'
  readonly at: number
  readonly lagMs: number | null
}

export interface EscalationTransaction {
  /**
   * Makes each lead's pending timers match its plan: new steps are added, moved steps get their
   * new instant, steps no longer planned are cancelled (settled at the schedule's `at`). Settled
   * timers are never touched.
   */
  syncTimers(schedules: readonly LeadSchedule[]): Promise<void>
  /** The database server's clock (ms since the epoch): the one clock every worker agrees on. */
  databaseNow(): Promise<number>
  /** Pending timers due at `now`, locked for this transaction; rows locked elsewhere are skipped. */
  claimDueTimers(now: number, limit: number): Promise<DueTimer[]>
  /**
   * The advisory locks of the leads nobody holds, in one statement; returns the leads locked (a
   * claimed timer never waits on a writer).
   */
  tryLockLeads(leadIds: readonly string[]): Promise<Set<string>>
  /** Serialises work on one key (e.g. a rep's repeat-offender count) until the transaction ends. */
  lockKey(key: string): Promise<void>
  /** Runs `work` so that if it throws, only its own writes are undone (a savepoint). */
  isolated<T>(work: () => Promise<T>): Promise<T>
  /** Timers of a lead that failed: retried at `retryAt`, with the error kept on the row. */
  deferTimers(stepKeys: readonly string[], retryAt: number, error: string): Promise<void>
  /** Settles pending timers, in one statement. */
  settleTimers(settlements: readonly TimerSettlement[]): Promise<void>
  /** Sets fired timers' lag to the database's clock now, minus their due instant (last statement). */
  stampFiringLagAtCommit(stepKeys: readonly string[]): Promise<void>
  /** Moves pending timers to new instants, in one statement. */
  rescheduleTimers(
    moves: readonly { readonly stepKey: string; readonly dueAt: number }[],
  ): Promise<void>
  /** Keeps the cross-lead task projection equal to each lead's tasks. */
  syncTasks(
    leads: readonly { readonly leadId: string; readonly tasks: readonly TaskView[] }[],
  ): Promise<void>
  /** Keeps the cross-lead escalation projection in step with the leads' states. */
  syncEscalations(
    leads: readonly { readonly leadId: string; readonly records: readonly EscalationRecord[] }[],
  ): Promise<void>
  /** Non-graced escalations of a kind and severity against a rep fired in [from, to). */
  countEscalations(
    repId: string,
    kind: EscalationKind,
    severity: string,
    from: number,
    to: number,
  ): Promise<number>
  /** Adds deliveries unless their key is known; returns how many were new. */
  /** Queues notifications, each due at its message's firing instant; returns how many were new. */
  enqueueNotifications(notifications: readonly OutboundNotification[]): Promise<number>
  /** The earliest pending timer (for a simulated clock to jump to), if any is due by `until`. */
  nextDueAt(until: number): Promise<number | undefined>
}

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'dead'

export interface DeliveryRecord {
  readonly deliveryKey: string
  readonly stepKey: string
  readonly leadId: string
  readonly channel: NotificationChannelName
  readonly state: DeliveryState
  readonly attempts: number
  readonly nextAttemptAt: number
  readonly lastError: string | null
  readonly createdAt: number
  readonly deliveredAt: number | null
  readonly notification: OutboundNotification
}

export interface OutboxStore {
  /** Marks up to `limit` due deliveries as sending (committed) and returns them. */
  claimDeliveries(
    now: number,
    limit: number,
    channels: readonly string[],
  ): Promise<DeliveryRecord[]>
  markDelivered(deliveryKey: string, at: number): Promise<void>
  /** A failed attempt: retry at `nextAttemptAt`, or dead when it is null. */
  markFailed(deliveryKey: string, error: string, nextAttemptAt: number | null): Promise<void>
  /** Sending rows whose worker died (locked before `staleBefore`) go back to pending. */
  releaseStale(staleBefore: number): Promise<number>
  listDeliveries(filter: {
    readonly state?: DeliveryState
    readonly leadId?: string
    readonly limit: number
  }): Promise<DeliveryRecord[]>
  /** A dead (or delivered) delivery goes out again; false when the key is unknown. */
  replay(deliveryKey: string, now: number): Promise<boolean>
}

export interface EscalationRow {
  readonly stepKey: string
  readonly leadId: string
  readonly open: boolean
  readonly record: EscalationRecord
}

export interface EscalationReader {
  listEscalations(filter: {
    readonly open?: boolean
    readonly repId?: string
    readonly from?: number
    readonly to?: number
    /** Only escalations of leads owned by one of these people (a caller's lead scope). */
    readonly leadOwnerIn?: readonly string[]
    readonly limit: number
  }): Promise<EscalationRow[]>
  timerCounts(): Promise<Record<string, number>>
}
