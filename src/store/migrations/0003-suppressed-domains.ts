/**
 * The global suppression list: company email domains never to be worked again (a competitor,
 * REJ-06). `since` is when the domain was suppressed; leads created from then on are suppressed.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table suppressed_domains (
      domain text collate "C" primary key,
      since bigint not null,
      lead_id text not null,
      reason text not null
    )
  `.execute(db)
}
