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
  /**
   * Caller-chosen, unique per source: the same event again under its key is acknowledged and
   * ignored; a different event under a used key is refused.
   */
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

/** What occurrence order reads of an event. */
export type OccurrencePosition = Pick<NewLeadEvent, 'occurredAt' | 'idempotencyKey' | 'source'>

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Occurrence order. Ties break on the idempotency key, then its source (keys are unique per
 * source), not on receipt, so the same events give the same order whatever order they arrived in.
 */
export function compareByOccurrence(a: OccurrencePosition, b: OccurrencePosition): number {
  if (a.occurredAt !== b.occurredAt) {
    return a.occurredAt - b.occurredAt
  }
  return compareText(a.idempotencyKey, b.idempotencyKey) || compareText(a.source, b.source)
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareText(a, b))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * Whether an event submitted again under a stored event's (source, key) is a retry of it: the same
 * lead, type and payload. Timestamps and actor are left out, so a retry that lets Leadclock stamp
 * `occurredAt` again is still a retry.
 */
export function isRetryOf(stored: NewLeadEvent, submitted: NewLeadEvent): boolean {
  return (
    stored.leadId === submitted.leadId &&
    stored.type === submitted.type &&
    canonicalJson(stored.payload) === canonicalJson(submitted.payload)
  )
}
