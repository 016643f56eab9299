/**
 * The leads whose derived rows (projection, clocks, timers, escalations, tasks) lag their log: an
 * import appends events in one phase and derives each touched lead once in a second. The lead is
 * marked in the transaction that appends its events and unmarked in the one that derives it, so
 * after a crash the table says exactly what is left to derive.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table pending_derivations (lead_id text collate "C" primary key)`.execute(db)
}
