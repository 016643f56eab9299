/**
 * The append-only event log. `seq` is the order of receipt. Text keys use the "C" collation so
 * that uniqueness and ordering are byte-wise and the same on every server, whatever its locale.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lead_events (
      seq bigint generated always as identity primary key,
      event_id text collate "C" not null unique,
      idempotency_key text collate "C" not null,
      lead_id text collate "C" not null,
      type text not null,
      occurred_at bigint not null,
      received_at bigint not null,
      actor jsonb,
      source text not null,
      payload jsonb not null,
      constraint lead_events_idempotency_key_unique unique (idempotency_key),
      constraint lead_events_actor_object check (actor is null or jsonb_typeof(actor) = 'object'),
      constraint lead_events_payload_object check (jsonb_typeof(payload) = 'object')
    )
  `.execute(db)
  // A lead's history in occurrence order, ties by key, straight from the index.
  await sql`
    create index lead_events_by_lead_occurrence
      on lead_events (lead_id, occurred_at, idempotency_key)
  `.execute(db)
  await sql`
    create function lead_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'lead_events is append-only: % refused', tg_op
        using errcode = 'restrict_violation';
    end
    $$
  `.execute(db)
  await sql`
    create trigger lead_events_append_only
      before update or delete on lead_events
      for each row execute function lead_events_refuse_change()
  `.execute(db)
}
