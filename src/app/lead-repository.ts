/**
 * The port the use cases need from storage. The store module implements it on PGlite and
 * PostgreSQL; nothing here knows which.
 */
import type { LeadClockSpan } from '../domain/lead-clock-spans.js'
import type { LeadState } from '../domain/lead-state.js'
import type { SlaClockStatus } from '../domain/sla-clock-view.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import type { EscalationReader, EscalationTransaction, OutboxStore } from './escalation-port.js'
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

export interface LeadFilter {
  readonly stage?: string
  readonly ownerId?: string
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

export interface LeadPage {
  readonly leads: readonly LeadRecord[]
  /** Pass back as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

export type AppendStatus = 'appended' | 'duplicate'

export interface LeadTransaction {
  readonly routing: RoutingLogTransaction
  readonly escalation: EscalationTransaction
  /** Locks one more lead for the rest of the transaction (a lead found on the way). */
  lockLead(leadId: string): Promise<void>
  /** Appends unless the idempotency key is known; a duplicate returns the original event. */
  appendEvent(event: NewLeadEvent): Promise<{ status: AppendStatus; event: RecordedEvent }>
  listLeadEvents(leadId: string): Promise<RecordedEvent[]>
  /** Other leads with this (lower-cased) email address, with when each was created. */
  findLeadsByEmail(
    email: string,
    exceptLeadId: string,
  ): Promise<{ leadId: string; createdAt: number }[]>
  /** Writes the lead's row and, with it, its clock projection (unless a newer row is stored). */
  upsertLead(record: LeadRecord, clocks: readonly LeadClockSpan[]): Promise<void>
  /** Puts a domain on the global suppression list (the earliest `since` wins). */
  suppressDomain(suppression: {
    domain: string
    since: number
    leadId: string
    reason: string
  }): Promise<void>
  findDomainSuppression(domain: string): Promise<{ domain: string; since: number } | undefined>
  /** Leads at an email domain created at or after `since`. */
  findLeadIdsAtDomain(domain: string, since: number): Promise<string[]>
}

export interface LeadRepository {
  readonly routingLog: RoutingLogReader
  readonly escalations: EscalationReader
  readonly outbox: OutboxStore
  readonly settings: SettingsStore
  readonly tasks: TaskReader
  /** One transaction; `leadIds` are locked (in a stable order) for its duration. */
  withLeadsLocked<T>(
    leadIds: readonly string[],
    work: (tx: LeadTransaction) => Promise<T>,
  ): Promise<T>
  getLead(leadId: string): Promise<LeadRecord | undefined>
  listLeads(filter: LeadFilter, page: { limit: number; after?: string }): Promise<LeadPage>
  countLeads(filter: LeadFilter): Promise<number>
  listLeadEvents(leadId: string): Promise<RecordedEvent[]>
}
