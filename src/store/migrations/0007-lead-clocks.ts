/**
 * The per-lead clock projection: one row per SLA clock a lead has started, written with its
 * `leads` row, so lists filter by clock status in SQL (status follows from `now` and the row).
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lead_clocks (
      lead_id text collate "C" not null references leads (lead_id) on delete cascade,
      item_id text collate "C" not null,
      started_at bigint not null,
      stopped_at bigint,
      target_at bigint,
      breach_at bigint,
      -- Paused since (null: not paused); why it cannot run (null: it runs).
      paused_at bigint,
      problem text,
      primary key (lead_id, item_id)
    )
  `.execute(db)
  // Met and missed clocks by item, in lead order (the paging cursor).
  await sql`create index lead_clocks_by_item on lead_clocks (item_id, lead_id)`.execute(db)
  // Running and breached clocks by item and breach instant (not paused, able to run).
  await sql`create index lead_clocks_open on lead_clocks (item_id, breach_at) where stopped_at is null and paused_at is null and problem is null`.execute(
    db,
  )
}
