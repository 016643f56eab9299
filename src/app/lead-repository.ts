/**
 * The port the use cases need from storage. The store module implements it on PGlite and
 * PostgreSQL; nothing here knows which.
 */
import type { LeadClockSpan } from '../domain/lead-clock-spans.js'
import type { LeadFold, LeadSnapshot } from '../domain/lead-snapshot.js'
import type { LeadState } from '../domain/lead-state.js'
import type { SlaClockStatus } from '../domain/sla-clock-view.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import type { AccessStore, AuditEntry } from './access-port.js'
import type { ErasureTransaction } from './erasure-port.js'
import type { EscalationReader, EscalationTransaction, OutboxStore } from './escalation-port.js'
import type { ReportReader } from './report-port.js'
import type { RoutingLogReader, RoutingLogTransaction, SettingsStore } from './routing-port.js'
import type { TaskReader } from './task-port.js'

export interface LeadRecord {
  readonly leadId: string
  readonly stage: string
  readonly ownerId: string | null
  readonly tier: string | null
  readonly score: number | null
  readonly source: string
  readonly country: string | null
  readonly email: string | null
  readonly policyVersion: string
  readonly state: LeadState
  readonly eventCount: number
  readonly lastEventSeq: number
  readonly updatedAt: number
}

/** A lead's stored snapshot, with the record counters new events continue. */
export interface StoredSnapshot {
  readonly snapshot: LeadSnapshot
  readonly eventCount: number
  readonly lastEventSeq: number
  readonly updatedAt: number
}

/** A lead as derived from its log: its snapshot (state, clock moments…) and the row of it. */
export interface DerivedLead {
  readonly snapshot: LeadSnapshot
  readonly record: LeadRecord
}

export interface LeadFilter {
  readonly stage?: string
  readonly ownerId?: string
  /** Only leads owned by one of these people (a caller's lead scope). */
  readonly ownerIn?: readonly string[]
  readonly tier?: string
  readonly source?: string
  readonly queue?: string
  /** Leads whose SLA clock `itemId` has started by `now` and, if given, is in `status` then. */
  readonly clock?: {
    readonly itemId: string
    readonly status?: SlaClockStatus
    readonly now: number
  }
}

/** Which open clocks to list (`listOpenClocks`). */
export interface OpenClockFilter {
  readonly now: number
  /** Open means running, paused or breached at `now`: the ones wanted. */
  readonly statuses: readonly Extract<SlaClockStatus, 'running' | 'paused' | 'breached'>[]
  readonly ownerId?: string
  /** Only leads owned by one of these people (a caller's lead scope). */
  readonly ownerIn?: readonly string[]
  /** Only the clocks of this SLA item (e.g. the AE-acceptance backlog). */
  readonly itemId?: string
  readonly limit: number
}

/** One SLA clock of one lead. */
export interface OpenClockRef {
  readonly leadId: string
  readonly itemId: string
}

export interface LeadPage {
  readonly leads: readonly LeadRecord[]
  /** Pass back as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

export type AppendStatus = 'appended' | 'duplicate'

export interface AppendResult {
  readonly status: AppendStatus
  readonly event: RecordedEvent
}

export type UnreadAppendResult =
  { readonly status: 'appended' } | { readonly status: 'duplicate'; readonly event: RecordedEvent }

export interface LeadTransaction {
  readonly routing: RoutingLogTransaction
  readonly escalation: EscalationTransaction
  readonly erasure: ErasureTransaction
  /**
   * Locks more leads for the rest of the transaction (leads found on the way), in the one sorted
   * order every writer uses.
   */
  lockLeads(leadIds: readonly string[]): Promise<void>
  /** Appends unless the idempotency key is known; a duplicate returns the original event. */
  appendEvent(event: NewLeadEvent): Promise<AppendResult>
  /** `appendEvent` of many in one statement; results in input order. */
  appendEvents(events: readonly NewLeadEvent[]): Promise<AppendResult[]>
  /** `appendEvents` that does not read the appended events back (the caller holds them). */
  appendEventsUnread(events: readonly NewLeadEvent[]): Promise<UnreadAppendResult[]>
  /** Marks leads whose derived rows lag their log, to be derived later (an import's phase 2). */
  markPendingDerivations(leadIds: readonly string[]): Promise<void>
  clearPendingDerivations(leadIds: readonly string[]): Promise<void>
  listLeadEvents(leadId: string): Promise<RecordedEvent[]>
  /** The lead's stored record as the transaction sees it. */
  getLead(leadId: string): Promise<LeadRecord | undefined>
  /** Records a manual change with the change itself. */
  appendAudit(entry: AuditEntry): Promise<void>
  /** The histories of many leads, in one query. */
  listEventsOfLeads(leadIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>
  /** The stored snapshots of these leads (a lead without one is left out), in one query. */
  loadSnapshots(leadIds: readonly string[]): Promise<Map<string, StoredSnapshot>>
  /** Each lead's events received after a seq (in occurrence order), in one query. */
  listEventsAfter(
    afterSeqByLead: ReadonlyMap<string, number>,
  ): Promise<Map<string, RecordedEvent[]>>
  /** The leads with any of these (lower-cased) email addresses, with when each was created. */
  findLeadsByEmails(
    emails: readonly string[],
  ): Promise<{ leadId: string; email: string; createdAt: number }[]>
  /**
   * Writes the leads' rows (with the fold that later events continue, or null) and, with each,
   * its clock projection, in multi-row statements (a lead whose stored row is newer keeps it and
   * its clocks).
   */
  upsertLeads(
    leads: readonly {
      record: LeadRecord
      fold: LeadFold | null
      clocks: readonly LeadClockSpan[]
    }[],
  ): Promise<void>
  /** Puts a domain on the global suppression list (the earliest `since` wins). */
  suppressDomain(suppression: {
    domain: string
    since: number
    leadId: string
    reason: string
  }): Promise<void>
  /** The listed domains among `domains`. */
  findDomainSuppressions(domains: readonly string[]): Promise<{ domain: string; since: number }[]>
  /** Leads at an email domain created at or after `since`. */
  findLeadIdsAtDomain(domain: string, since: number): Promise<string[]>
}

export interface LeadRepository {
  readonly access: AccessStore
  readonly routingLog: RoutingLogReader
  readonly escalations: EscalationReader
  readonly outbox: OutboxStore
  readonly settings: SettingsStore
  readonly tasks: TaskReader
  readonly reports: ReportReader
  /** One transaction; `leadIds` are locked (in a stable order) for its duration. */
  withLeadsLocked<T>(
    leadIds: readonly string[],
    work: (tx: LeadTransaction) => Promise<T>,
  ): Promise<T>
  getLead(leadId: string): Promise<LeadRecord | undefined>
  listLeads(filter: LeadFilter, page: { limit: number; after?: string }): Promise<LeadPage>
  countLeads(filter: LeadFilter): Promise<number>
  /** Open SLA clocks, soonest breach first. */
  listOpenClocks(filter: OpenClockFilter): Promise<OpenClockRef[]>
  listLeadEvents(leadId: string): Promise<RecordedEvent[]>
  /** Up to `limit` leads marked pending derivation after `afterLeadId`, in lead-id order. */
  listPendingDerivations(limit: number, afterLeadId: string): Promise<string[]>
  countPendingDerivations(): Promise<number>
}
