import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { PGlite } from '@electric-sql/pglite'
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'
import { appendEvent, listLeadEvents } from '../../src/store/event-log.js'
import type { DatabaseSchema } from '../../src/store/database-schema.js'
import {
  MIGRATION_NAMES,
  migrationProvider,
} from '../../src/store/migrations/migration-provider.js'
import { declareErasure, rewriteEventPayloads } from '../../src/store/personal-data-erasure.js'
import { StoreError } from '../../src/store/store-error.js'
import type { StoreTransaction } from '../../src/store/transaction.js'
import { withTransaction } from '../../src/store/transaction.js'
import type { ScratchPostgres } from './dialects.js'
import {
  DIALECTS,
  migratedPgliteDump,
  OPEN_TIMEOUT_MS,
  removeDir,
  scratchPostgres,
  tempDir,
} from './dialects.js'
import { eventFactory } from './event-factory.js'

async function appliedMigrations(database: Database): Promise<string[]> {
  const { rows } = await sql<{
    name: string
  }>`select name from kysely_migration order by name`.execute(database.db)
  return rows.map((row) => row.name)
}

/** One stored event of the source, as the rows of any version of the schema hold it. */
function insertEvent(db: Kysely<unknown>, eventId: string, source: string) {
  return sql`
    insert into lead_events
      (event_id, idempotency_key, lead_id, type, occurred_at, received_at, source, payload)
    values (${eventId}, 'crm-contact-1', 'lead-old', 'note.added', 1, 2, ${source}, '{}')
  `.execute(db)
}

/**
 * 0011: keys unique per source, and the folds stored before it (whose position has no source)
 * cleared so that the next write replays the lead.
 */
async function upgradeTo0011(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  expect((await migrator.migrateTo('0010-access')).error).toBeUndefined()
  await insertEvent(db, 'evt-1', 'crm-a')
  await sql`
    insert into leads (lead_id, stage, source, policy_version, state, event_count,
      last_event_seq, updated_at, fold)
    values ('lead-old', 'inquiry', 'crm-a', 'v1', '{}', 1, 1, 2,
      '{"foldedThrough": {"occurredAt": 1, "idempotencyKey": "crm-contact-1"}}')
  `.execute(db)
  await expect(insertEvent(db, 'evt-2', 'crm-b')).rejects.toThrow(/unique/)

  const { error, results } = await migrator.migrateToLatest()
  expect(error).toBeUndefined()
  expect(results?.map((result) => [result.migrationName, result.status])).toEqual(
    MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0010-access') + 1).map((name) => [
      name,
      'Success',
    ]),
  )
  const { rows } = await sql<{ fold: unknown }>`select fold from leads`.execute(db)
  expect(rows).toEqual([{ fold: null }])
  await insertEvent(db, 'evt-2', 'crm-b')
  await expect(insertEvent(db, 'evt-3', 'crm-b')).rejects.toThrow(/unique/)
  const stored = await sql<{ source: string }>`
    select source from lead_events order by idempotency_key, source`.execute(db)
  expect(stored.rows).toEqual([{ source: 'crm-a' }, { source: 'crm-b' }])
}

describe('migrations and data folder on pglite', () => {
  it(
    '0011 scopes idempotency keys per source and clears the stored folds',
    async () => {
      const db = new Kysely<unknown>({ dialect: new PGliteDialect(await PGlite.create()) })
      try {
        await upgradeTo0011(db)
      } finally {
        await db.destroy()
      }
    },
    OPEN_TIMEOUT_MS * 2,
  )

  let dir: string
  beforeAll(async () => {
    dir = await tempDir('migrations')
  })
  afterAll(() => removeDir(dir))

  it(
    'creates a missing data folder, migrates once and reopens with the data intact',
    async () => {
      const dataDir = join(dir, 'nested', 'pglite')
      const f = eventFactory()
      const first = await createDatabase({ dataDir })
      expect(first.dialect).toBe('pglite')
      expect(await appliedMigrations(first)).toEqual([...MIGRATION_NAMES])
      const { event } = await withTransaction(first, (tx) => appendEvent(tx, f.event()))
      await first.close()
      await first.close()

      for (let round = 0; round < 2; round += 1) {
        const reopened = await createDatabase({ dataDir })
        expect(await appliedMigrations(reopened)).toEqual([...MIGRATION_NAMES])
        expect(await listLeadEvents(reopened.db, event.leadId)).toEqual([event])
        await reopened.close()
      }
      // A starting dump is for a new folder only: it never replaces a database.
      const withDump = await createDatabase({ dataDir, initialData: await migratedPgliteDump() })
      expect(await listLeadEvents(withDump.db, event.leadId)).toEqual([event])
      await withDump.close()
    },
    OPEN_TIMEOUT_MS * 2,
  )

  it(
    'lets one database at a time use a data folder, and takes over a dead process’s lock',
    async () => {
      const dataDir = join(dir, 'locked')
      const open = await createDatabase({ dataDir, initialData: await migratedPgliteDump() })
      await expect(createDatabase({ dataDir })).rejects.toThrow(StoreError)
      await expect(createDatabase({ dataDir })).rejects.toThrow(/in use by this process/)
      await open.close()

      // The lock of a process that has exited is stale.
      const exited = spawnSync(process.execPath, ['-e', '']).pid
      await writeFile(`${dataDir}.lock`, `${exited}\n`)
      const again = await createDatabase({ dataDir })
      await again.close()
    },
    OPEN_TIMEOUT_MS * 2,
  )
})

if (DIALECTS.includes('postgres')) {
  describe('migrations on postgres', () => {
    let scratch: ScratchPostgres
    beforeAll(async () => {
      scratch = await scratchPostgres()
    })
    afterAll(() => scratch.drop())

    it('0011 scopes idempotency keys per source and clears the stored folds', async () => {
      const upgraded = await scratchPostgres()
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: upgraded.url }) }),
      })
      try {
        await upgradeTo0011(db)
      } finally {
        await db.destroy()
        await upgraded.drop()
      }
    })

    it('migrates once when several processes open the same database at the same time', async () => {
      const databases = await Promise.all(
        Array.from({ length: 4 }, () => createDatabase({ databaseUrl: scratch.url })),
      )
      for (const database of databases) {
        expect(database.dialect).toBe('postgres')
        expect(await appliedMigrations(database)).toEqual([...MIGRATION_NAMES])
      }
      await Promise.all(databases.map((database) => database.close()))

      const reopened = await createDatabase({ databaseUrl: scratch.url })
      expect(await appliedMigrations(reopened)).toEqual([...MIGRATION_NAMES])
      await reopened.close()
    })

    it('upgrades a database of 0011 to 0012-privacy: its events stay, only an erasure rewrites a payload', async () => {
      const upgraded = await scratchPostgres()
      const db = new Kysely<DatabaseSchema>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: upgraded.url, max: 1 }),
        }),
      })
      try {
        const migrator = new Migrator({ db, provider: migrationProvider })
        // The event is appended by today's code, which needs 0011's key per source.
        expect((await migrator.migrateTo('0011-idempotency-per-source')).error).toBeUndefined()
        const f = eventFactory()
        const before: Database = { db, dialect: 'postgres', close: () => db.destroy() }
        const { event } = await withTransaction(before, (tx) => appendEvent(tx, f.event()))
        const database = await createDatabase({ databaseUrl: upgraded.url })
        try {
          expect(await appliedMigrations(database)).toEqual([...MIGRATION_NAMES])
          expect(await listLeadEvents(database.db, event.leadId)).toEqual([event])
          const rewrite = (tx: StoreTransaction) =>
            rewriteEventPayloads(tx, [{ eventId: event.eventId, payload: { rewritten: true } }])
          await expect(withTransaction(database, rewrite)).rejects.toThrow(
            /lead_events is append-only: UPDATE refused/,
          )
          await withTransaction(database, async (tx) => {
            await declareErasure(tx)
            await rewrite(tx)
          })
          expect((await listLeadEvents(database.db, event.leadId))[0]?.payload).toEqual({
            rewritten: true,
          })
        } finally {
          await database.close()
        }
      } finally {
        await db.destroy()
        await upgraded.drop()
      }
    })
  })
}
