/**
 * The lead projection: one row per lead, derived from its events by the engine. The scalar
 * columns exist to filter and page; `state` holds the whole derived state.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table leads (
      lead_id text collate "C" primary key,
      stage text not null,
      owner_id text collate "C",
      tier text,
      score integer,
      source text not null,
      country text,
      email text,
      policy_version text not null,
      queues jsonb not null default '[]',
      state jsonb not null,
      event_count integer not null,
      last_event_seq bigint not null,
      updated_at bigint not null,
      constraint leads_queues_array check (jsonb_typeof(queues) = 'array'),
      constraint leads_state_object check (jsonb_typeof(state) = 'object')
    )
  `.execute(db)
  // Each filter column is followed by lead_id, the paging cursor.
  for (const column of ['stage', 'owner_id', 'tier', 'source']) {
    await sql`create index ${sql.id(`leads_by_${column}`)} on leads (${sql.id(column)}, lead_id)`.execute(
      db,
    )
  }
  await sql`create index leads_by_email on leads (email) where email is not null`.execute(db)
  await sql`create index leads_by_queue on leads using gin (queues)`.execute(db)
}
