import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { Kysely, Migrator, PostgresDialect, sql } from 'kysely'
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

describe('migrations and data folder on pglite', () => {
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

    it('upgrades a database of 0010 to 0012-privacy: its events stay, only an erasure rewrites a payload', async () => {
      const upgraded = await scratchPostgres()
      const db = new Kysely<DatabaseSchema>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: upgraded.url, max: 1 }),
        }),
      })
      try {
        const migrator = new Migrator({ db, provider: migrationProvider })
        expect((await migrator.migrateTo('0010-access')).error).toBeUndefined()
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
