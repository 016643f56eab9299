/**
 * The envelope of every lead fact in the append-only event log. The payload's shape depends on
 * `type` (see lead-events.ts); the store keeps it as opaque JSON.
 */
export interface EventActor {
  readonly id: string
  readonly role?: string
}

/** An event as a caller submits it, before the store has accepted it. */
export interface NewLeadEvent {
  /** Caller-chosen; a second event with the same key is acknowledged and ignored. */
  readonly idempotencyKey: string
  readonly leadId: string
  readonly type: string
  /** When it happened, as the source claims (epoch ms). */
  readonly occurredAt: number
  /** When Leadclock received it: the system timestamp (epoch ms). */
  readonly receivedAt: number
  readonly actor: EventActor | null
  /** Where it came from: api, csv, hubspot, salesforce, sample, system… */
  readonly source: string
  readonly payload: Readonly<Record<string, unknown>>
}

/** An event the store has accepted. `seq` is the order of receipt, unique and increasing. */
export interface RecordedEvent extends NewLeadEvent {
  readonly seq: number
  readonly eventId: string
}

/**
 * Occurrence order. Ties break on the idempotency key, not on receipt, so the same events give
 * the same order whatever order they arrived in.
 */
export function compareByOccurrence(
  a: Pick<NewLeadEvent, 'occurredAt' | 'idempotencyKey'>,
  b: Pick<NewLeadEvent, 'occurredAt' | 'idempotencyKey'>,
): number {
  if (a.occurredAt !== b.occurredAt) {
    return a.occurredAt - b.occurredAt
  }
  return a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0
}
