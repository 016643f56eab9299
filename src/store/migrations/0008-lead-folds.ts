/**
 * What folding a lead's new events onto its stored state needs besides the state: the clock
 * moments of its history, the last event folded in and the policy it was folded under. Null
 * (rows written before this) makes the next write replay the lead's whole history.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table leads add column fold jsonb`.execute(db)
}
