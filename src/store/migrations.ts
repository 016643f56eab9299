/**
 * Numbered, forward-only migrations, listed here (not read from disk) so they ship inside dist/.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely'
import { sql } from 'kysely'

const migrations: Record<string, Migration> = {
  '0001-event-log': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('lead_events')
        .addColumn('seq', 'bigint', (column) => column.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('event_id', 'text', (column) => column.notNull().unique())
        .addColumn('idempotency_key', 'text', (column) => column.notNull().unique())
        .addColumn('lead_id', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('occurred_at', 'bigint', (column) => column.notNull())
        .addColumn('received_at', 'bigint', (column) => column.notNull())
        .addColumn('actor', 'jsonb')
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('payload', 'jsonb', (column) => column.notNull())
        .execute()
      await db.schema
        .createIndex('lead_events_by_lead')
        .on('lead_events')
        .columns(['lead_id', 'occurred_at'])
        .execute()

      await db.schema
        .createTable('leads')
        .addColumn('lead_id', 'text', (column) => column.primaryKey())
        .addColumn('stage', 'text', (column) => column.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('tier', 'text')
        .addColumn('score', 'integer')
        .addColumn('source', 'text', (column) => column.notNull())
        .addColumn('country', 'text')
        .addColumn('email', 'text')
        .addColumn('policy_version', 'text', (column) => column.notNull())
        .addColumn('queues', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
        .addColumn('state', 'jsonb', (column) => column.notNull())
        .addColumn('event_count', 'integer', (column) => column.notNull())
        .addColumn('last_event_seq', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute()
      for (const column of ['stage', 'owner_id', 'tier', 'source', 'email'] as const) {
        await db.schema.createIndex(`leads_by_${column}`).on('leads').column(column).execute()
      }
    },
  },
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
}
