/**
 * The append-only event log: idempotent append (keys unique per source), per-lead locks, a lead's history in occurrence
 * order, and every event in receipt order.
 */
import { sql } from 'kysely'

import type { UnreadAppendResult } from '../app/lead-repository.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import { compareByOccurrence } from '../domain/recorded-event.js'
import { checkInteger, checkText, isJsonObject, jsonObjectText } from './column-values.js'
import { newEventId } from './event-id.js'
import type { LeadEventRow } from './event-row.js'
import { toRecordedEvent } from './event-row.js'
import { StoreError } from './store-error.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

export type AppendStatus = 'appended' | 'duplicate'

export interface AppendResult {
  readonly status: AppendStatus
  /**
   * The stored event: for a duplicate, the one first stored under the source's key, not the new
   * one (which may differ: whether it is a retry is the caller's judgement).
   */
  readonly event: RecordedEvent
}

function actorText(event: NewLeadEvent): string | null {
  if (event.actor === null) {
    return null
  }
  if (!isJsonObject(event.actor) || typeof event.actor.id !== 'string' || event.actor.id === '') {
    throw new StoreError('actor: expected null or an object with a non-empty id')
  }
  return JSON.stringify(event.actor)
}

/** Rows per INSERT of events: one array parameter per column, so only statement size limits it. */
const EVENTS_PER_INSERT = 5000

function eventRow(event: NewLeadEvent) {
  return {
    event_id: newEventId(),
    idempotency_key: checkText(event.idempotencyKey, 'idempotencyKey'),
    lead_id: checkText(event.leadId, 'leadId'),
    type: checkText(event.type, 'type'),
    occurred_at: checkInteger(event.occurredAt, 'occurredAt'),
    received_at: checkInteger(event.receivedAt, 'receivedAt'),
    actor: actorText(event),
    source: checkText(event.source, 'source'),
    payload: jsonObjectText(event.payload, 'payload'),
  }
}

type EventRowValues = ReturnType<typeof eventRow>

const INSERT_NEW_EVENTS = (rows: readonly EventRowValues[]) => {
  const column = <K extends keyof EventRowValues>(key: K): EventRowValues[K][] =>
    rows.map((row) => row[key])
  return sql`
    insert into lead_events
      (event_id, idempotency_key, lead_id, type, occurred_at, received_at, actor, source, payload)
    select event_id, idempotency_key, lead_id, type, occurred_at, received_at, actor::jsonb,
      source, payload::jsonb
    from unnest(${column('event_id')}::text[], ${column('idempotency_key')}::text[],
      ${column('lead_id')}::text[], ${column('type')}::text[], ${column('occurred_at')}::int8[],
      ${column('received_at')}::int8[], ${column('actor')}::text[], ${column('source')}::text[],
      ${column('payload')}::text[]) with ordinality
      as new_event (event_id, idempotency_key, lead_id, type, occurred_at, received_at, actor, source,
        payload, ordinal)
    order by ordinal
    on conflict (source, idempotency_key) do nothing`
}

/** One multi-row insert (unnest of one array per column, seq in input order); the rows stored. */
async function insertNewEvents(
  tx: StoreTransaction,
  rows: readonly EventRowValues[],
): Promise<RecordedEvent[]> {
  const inserted = await sql<LeadEventRow>`${INSERT_NEW_EVENTS(rows)} returning *`.execute(tx)
  return inserted.rows.map(toRecordedEvent)
}

/** `insertNewEvents` that reads back only the identities of the rows stored. */
async function insertNewEventsUnread(
  tx: StoreTransaction,
  rows: readonly EventRowValues[],
): Promise<SourceKeyed[]> {
  const inserted = await sql<{ source: string; idempotency_key: string }>`${INSERT_NEW_EVENTS(
    rows,
  )} returning source, idempotency_key`.execute(tx)
  return inserted.rows.map((row) => ({ source: row.source, idempotencyKey: row.idempotency_key }))
}

interface SourceKeyed {
  readonly source: string
  readonly idempotencyKey: string
}

/** The identity of an event in the log: its key within its source. */
function sourceKey(event: SourceKeyed): string {
  return JSON.stringify([event.source, event.idempotencyKey])
}

/**
 * Appends each event unless its source's idempotency key is already stored (or repeated earlier
 * in `events`), in one INSERT … ON CONFLICT DO NOTHING per few thousand events, so concurrent
 * appends of one key store it once whatever their timing. Results are in input order; a
 * duplicate comes with the event first stored under its key, read in one more query.
 */
export async function appendEvents(
  tx: StoreTransaction,
  events: readonly NewLeadEvent[],
): Promise<AppendResult[]> {
  requireTransaction(tx, 'appendEvents')
  const appended = new Map<string, RecordedEvent>()
  const results = await appendRows(tx, events, async (rows) => {
    const inserted = await insertNewEvents(tx, rows)
    for (const event of inserted) {
      appended.set(sourceKey(event), event)
    }
    return inserted
  })
  return results.map((result) => {
    if (result.status === 'duplicate') {
      return result
    }
    const event = appended.get(result.identity)
    if (event === undefined) {
      throw new StoreError('appendEvents: an appended event was not read back')
    }
    return { status: 'appended', event }
  })
}

/**
 * `appendEvents` for a writer that holds the events it appends (an import): the database sends
 * back only the identities of the rows it stored, not the rows.
 */
export async function appendEventsUnread(
  tx: StoreTransaction,
  events: readonly NewLeadEvent[],
): Promise<UnreadAppendResult[]> {
  requireTransaction(tx, 'appendEventsUnread')
  return (await appendRows(tx, events, (rows) => insertNewEventsUnread(tx, rows))).map((result) =>
    result.status === 'duplicate' ? result : { status: 'appended' },
  )
}

type RowResult =
  | { readonly status: 'appended'; readonly identity: string }
  | { readonly status: 'duplicate'; readonly event: RecordedEvent }

async function appendRows(
  tx: StoreTransaction,
  events: readonly NewLeadEvent[],
  insert: (rows: readonly EventRowValues[]) => Promise<readonly SourceKeyed[]>,
): Promise<RowResult[]> {
  const rows = events.map(eventRow)
  const appendedKeys = new Set<string>()
  for (let start = 0; start < rows.length; start += EVENTS_PER_INSERT) {
    for (const stored of await insert(rows.slice(start, start + EVENTS_PER_INSERT))) {
      appendedKeys.add(sourceKey(stored))
    }
  }
  const identities = rows.map((row) => ({
    source: row.source,
    idempotencyKey: row.idempotency_key,
    identity: sourceKey({ source: row.source, idempotencyKey: row.idempotency_key }),
  }))
  const originals = new Map<string, RecordedEvent>()
  // Keys stored before, and keys repeated within `events` (their first row is the original).
  const seen = new Set<string>()
  const conflicting = [
    ...new Map(
      identities
        .filter(({ identity }) => {
          const repeated = seen.has(identity)
          seen.add(identity)
          return repeated || !appendedKeys.has(identity)
        })
        .map((conflict) => [conflict.identity, conflict]),
    ).values(),
  ]
  if (conflicting.length > 0) {
    const sources = conflicting.map(({ source }) => source)
    const keys = conflicting.map(({ idempotencyKey }) => idempotencyKey)
    // READ COMMITTED: this statement sees the rows that the conflicting (committed) inserts made,
    // and this transaction's own.
    // The `any` conditions let the planner read the unique (source, key) index; the join keeps
    // only the pairs asked for.
    const { rows: stored } = await sql<LeadEventRow>`
      select e.*
      from lead_events e
      join unnest(${sources}::text[], ${keys}::text[]) as conflict (source, idempotency_key)
        on e.source = conflict.source and e.idempotency_key = conflict.idempotency_key
      where e.source = any(${sources}::text[]) and e.idempotency_key = any(${keys}::text[])`.execute(
      tx,
    )
    for (const original of stored.map(toRecordedEvent)) {
      originals.set(sourceKey(original), original)
    }
  }
  return identities.map(({ source, idempotencyKey, identity }): RowResult => {
    // The first row under a key is the one appended; a repeat in the same batch is a duplicate.
    if (appendedKeys.delete(identity)) {
      return { status: 'appended', identity }
    }
    const event = originals.get(identity)
    if (event === undefined) {
      throw new StoreError(
        `idempotency key ${idempotencyKey} of source ${source} conflicted but its event is not visible (is the transaction READ COMMITTED?)`,
      )
    }
    return { status: 'duplicate', event }
  })
}

/** Appends `event` unless its source's key is already stored: `appendEvents` of one. */
export async function appendEvent(
  tx: StoreTransaction,
  event: NewLeadEvent,
): Promise<AppendResult> {
  requireTransaction(tx, 'appendEvent')
  const [result] = await appendEvents(tx, [event])
  if (result === undefined) {
    throw new StoreError('appendEvent: no result for the event')
  }
  return result
}

/**
 * Holds the leads' locks until the transaction ends, so concurrent writers of one lead run one
 * after another (on PostgreSQL; PGlite runs transactions one at a time anyway). One statement
 * takes them in the order given: every writer passes its leads sorted (see `lockOrder`), or two
 * writers can deadlock.
 */
export async function lockLeads(tx: StoreTransaction, leadIds: readonly string[]): Promise<void> {
  requireTransaction(tx, 'lockLeads')
  if (leadIds.length === 0) {
    return
  }
  await sql`
    select pg_advisory_xact_lock(hashtextextended(lead_id, 0))
    from unnest(${leadIds.map((leadId) => checkText(leadId, 'leadId'))}::text[])
      with ordinality as locked (lead_id, ordinal)
    order by ordinal`.execute(tx)
}

/** The one order in which writers lock leads: distinct ids, sorted. */
export function lockOrder(leadIds: Iterable<string>): string[] {
  return [...new Set(leadIds)].sort()
}

export async function lockLead(tx: StoreTransaction, leadId: string): Promise<void> {
  await lockLeads(tx, [leadId])
}

/**
 * Groups rows read in (lead, occurrence) order by lead, each list exactly as `compareByOccurrence`
 * orders it: the index gives byte order on the key, while compareByOccurrence compares UTF-16
 * code units, which differ for keys mixing characters above U+FFFF with U+E000–U+FFFF. A stable
 * sort of an already sorted list is linear and makes the two orders equal by construction.
 */
function byLeadInOccurrenceOrder(
  leadIds: readonly string[],
  rows: readonly LeadEventRow[],
): Map<string, RecordedEvent[]> {
  const histories = new Map<string, RecordedEvent[]>(leadIds.map((leadId) => [leadId, []]))
  for (const row of rows) {
    histories.get(row.lead_id)?.push(toRecordedEvent(row))
  }
  for (const history of histories.values()) {
    history.sort(compareByOccurrence)
  }
  return histories
}

/**
 * The events of each lead in occurrence order, exactly as `compareByOccurrence` orders them, in
 * one query; a lead without events maps to an empty list.
 */
export async function listEventsOfLeads(
  executor: StoreExecutor,
  leadIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const distinct = [...new Set(leadIds)]
  if (distinct.length === 0) {
    return new Map()
  }
  const rows = await executor
    .selectFrom('lead_events')
    .selectAll()
    .where(sql<boolean>`lead_id = any(${distinct}::text[])`)
    .orderBy('lead_id')
    .orderBy('occurred_at')
    .orderBy('idempotency_key')
    .orderBy('source')
    .execute()
  return byLeadInOccurrenceOrder(distinct, rows)
}

/**
 * The events of each lead received after the given seq (its stored fold's last), in occurrence
 * order, in one query: what folding onto the stored state needs.
 */
export async function listEventsAfter(
  executor: StoreExecutor,
  afterSeqByLead: ReadonlyMap<string, number>,
): Promise<Map<string, RecordedEvent[]>> {
  const leadIds = [...afterSeqByLead.keys()]
  if (leadIds.length === 0) {
    return new Map()
  }
  const ids = leadIds.map((leadId) => checkText(leadId, 'leadId'))
  const seqs = leadIds.map((leadId) => checkInteger(afterSeqByLead.get(leadId) ?? 0, 'afterSeq'))
  // The `any` condition lets the planner read the leads' events from the index; joined on the
  // unnested pairs alone, it hashes the whole table.
  const { rows } = await sql<LeadEventRow>`
    select e.*
    from lead_events e
    join unnest(${ids}::text[], ${seqs}::int8[]) as after (lead_id, seq)
      on e.lead_id = after.lead_id and e.seq > after.seq
    where e.lead_id = any(${ids}::text[])
    order by e.lead_id, e.occurred_at, e.idempotency_key, e.source`.execute(executor)
  return byLeadInOccurrenceOrder(leadIds, rows)
}

/** The lead's events in occurrence order, exactly as `compareByOccurrence` orders them. */
export async function listLeadEvents(
  executor: StoreExecutor,
  leadId: string,
): Promise<RecordedEvent[]> {
  return (await listEventsOfLeads(executor, [leadId])).get(leadId) ?? []
}

export interface StreamOptions {
  /** Start after this seq (default 0: from the first event). */
  readonly afterSeq?: number
  /** Rows read per query (default 500). */
  readonly batchSize?: number
}

/**
 * Every event in receipt (seq) order, read in batches so that no connection is held between
 * them. On PostgreSQL, seq is allocated at insert and committed later: a transaction still open
 * when a batch is read can later commit a smaller seq than one already streamed. Replays of
 * settled history are exact; a consumer tailing live appends must allow for that.
 */
export async function* streamAllEvents(
  executor: StoreExecutor,
  options: StreamOptions = {},
): AsyncGenerator<RecordedEvent, void, undefined> {
  let after = checkInteger(options.afterSeq ?? 0, 'afterSeq')
  const batchSize = checkInteger(options.batchSize ?? 500, 'batchSize', 1)
  for (;;) {
    const rows = await executor
      .selectFrom('lead_events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(batchSize)
      .execute()
    for (const row of rows) {
      const event = toRecordedEvent(row)
      after = event.seq
      yield event
    }
    if (rows.length < batchSize) {
      return
    }
  }
}
