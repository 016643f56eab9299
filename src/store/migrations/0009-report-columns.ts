/**
 * The few parts of a lead's state the reports read, as columns PostgreSQL generates from `state`
 * on every write: a report reads these small values instead of detoasting and parsing every
 * lead's whole state (kilobytes each). Generated, so every writer keeps them right and existing
 * rows get them when this migration rewrites the table. Nothing indexes them: lead updates stay
 * HOT.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table leads
      -- Activities with CRM-reality flags (the escalation report counts them per owner); null: none.
      add column flagged_activities jsonb generated always as (
        nullif(jsonb_path_query_array(state, '$.activities[*] ? (@.flags.size() > 0)'), '[]')
      ) stored,
      -- The handoff report's inputs: transitions to SQL and to opportunity (null: neither), the
      -- AE and the AE's rejections.
      add column handoff_transitions jsonb generated always as (
        nullif(
          jsonb_path_query_array(state, '$.transitions[*] ? (@.to == "sql" || @.to == "opportunity")'),
          '[]'
        )
      ) stored,
      add column ae_id text generated always as (state ->> 'aeId') stored,
      add column ae_rejections jsonb generated always as (state -> 'aeRejections') stored
  `.execute(db)
}
