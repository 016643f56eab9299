/**
 * Idempotency keys are scoped per source: two sources (connectors) may use the same key for
 * different events, and one source's key can never answer with another source's event. The
 * source column gets the "C" collation, like the key, so uniqueness and order are byte-wise.
 *
 * Occurrence order now breaks ties on (key, source), and a stored fold's position names the
 * source of its last event; folds stored before this lack it, so they are cleared: the next
 * write of each lead replays its history and stores a fold with the new position. (No stored
 * history changes order: until now keys were unique, so no two events tied on both.)
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table lead_events alter column source type text collate "C"`.execute(db)
  await sql`
    alter table lead_events
      drop constraint lead_events_idempotency_key_unique,
      add constraint lead_events_source_idempotency_key_unique unique (source, idempotency_key)
  `.execute(db)
  await sql`drop index lead_events_by_lead_occurrence`.execute(db)
  await sql`
    create index lead_events_by_lead_occurrence
      on lead_events (lead_id, occurred_at, idempotency_key, source)
  `.execute(db)
  await sql`update leads set fold = null`.execute(db)
}
