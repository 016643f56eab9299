/**
 * The append-only event log: idempotent append, per-lead locks, a lead's history in occurrence
 * order, and every event in receipt order.
 */
import { sql } from 'kysely'

import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import { compareByOccurrence } from '../domain/recorded-event.js'
import { checkInteger, checkText, isJsonObject, jsonObjectText } from './column-values.js'
import { newEventId } from './event-id.js'
import { toRecordedEvent } from './event-row.js'
import { StoreError } from './store-error.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

export type AppendStatus = 'appended' | 'duplicate'

export interface AppendResult {
  readonly status: AppendStatus
  /** The stored event: for a duplicate, the one first stored under the key, not the new one. */
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

/**
 * Appends `event` unless its idempotency key is already stored. The insert and the conflict are
 * one statement (INSERT … ON CONFLICT DO NOTHING), so concurrent appends of one key store it
 * once whatever their timing; the loser then reads the winner's row.
 */
export async function appendEvent(
  tx: StoreTransaction,
  event: NewLeadEvent,
): Promise<AppendResult> {
  requireTransaction(tx, 'appendEvent')
  const row = {
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
  const inserted = await tx
    .insertInto('lead_events')
    .values(row)
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted !== undefined) {
    return { status: 'appended', event: toRecordedEvent(inserted) }
  }
  // READ COMMITTED: this statement sees the row that the conflicting (committed) insert made.
  const original = await tx
    .selectFrom('lead_events')
    .selectAll()
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirst()
  if (original === undefined) {
    throw new StoreError(
      `idempotency key ${row.idempotency_key} conflicted but its event is not visible (is the transaction READ COMMITTED?)`,
    )
  }
  return { status: 'duplicate', event: toRecordedEvent(original) }
}

/**
 * Holds the lead's lock until the transaction ends, so concurrent writers of one lead run one
 * after another (on PostgreSQL; PGlite runs transactions one at a time anyway). Lock several
 * leads in a stable order, or two writers can deadlock.
 */
export async function lockLead(tx: StoreTransaction, leadId: string): Promise<void> {
  requireTransaction(tx, 'lockLead')
  await sql`select pg_advisory_xact_lock(hashtextextended(${checkText(leadId, 'leadId')}, 0))`.execute(
    tx,
  )
}

/** The lead's events in occurrence order, exactly as `compareByOccurrence` orders them. */
export async function listLeadEvents(
  executor: StoreExecutor,
  leadId: string,
): Promise<RecordedEvent[]> {
  const rows = await executor
    .selectFrom('lead_events')
    .selectAll()
    .where('lead_id', '=', leadId)
    .orderBy('occurred_at')
    .orderBy('idempotency_key')
    .execute()
  // The index gives byte order on the key; compareByOccurrence compares UTF-16 code units, which
  // differ for keys mixing characters above U+FFFF with U+E000–U+FFFF. A stable sort of an
  // already sorted list is linear and makes the two orders equal by construction.
  return rows.map(toRecordedEvent).sort(compareByOccurrence)
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
