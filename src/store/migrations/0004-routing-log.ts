/**
 * Routing decisions (one per MQL routed: assigned, exception, triage or nurture) and surge
 * starts and ends, in the order they were made; and settings edited through the API (the roster).
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table routing_log (
      id bigint generated always as identity primary key,
      kind text not null,
      lead_id text collate "C",
      mql_number integer,
      decided_at bigint not null,
      owner_id text collate "C",
      rule text,
      queue text,
      reason text not null,
      due_at bigint,
      details jsonb not null default '{}',
      constraint routing_log_one_per_mql unique (lead_id, mql_number)
    )
  `.execute(db)
  await sql`create index routing_log_by_time on routing_log (decided_at)`.execute(db)
  await sql`create index routing_log_by_owner on routing_log (owner_id, decided_at)`.execute(db)
  await sql`
    create table settings (
      key text collate "C" primary key,
      value jsonb not null,
      updated_at bigint not null
    )
  `.execute(db)
}
