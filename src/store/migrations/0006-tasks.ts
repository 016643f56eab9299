/**
 * Required follow-ups (tasks) of every lead, for cross-lead queries: a projection of the lead's
 * state, kept equal to it in the transaction that records the lead's events.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tasks (
      task_id text collate "C" primary key,
      lead_id text collate "C" not null,
      owner_role text not null,
      owner_id text collate "C",
      -- Null when the due is in business time and no calendar could be chosen.
      due_at bigint,
      state text not null check (state in ('open', 'done')),
      opened_at bigint not null,
      completed_at bigint,
      task jsonb not null
    )
  `.execute(db)
  await sql`create index tasks_by_lead on tasks (lead_id)`.execute(db)
  await sql`create index tasks_by_due on tasks (state, due_at)`.execute(db)
}
