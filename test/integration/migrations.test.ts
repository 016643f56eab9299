import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'
import { appendEvent, listLeadEvents } from '../../src/store/event-log.js'
import { MIGRATION_NAMES } from '../../src/store/migrations/migration-provider.js'
import { StoreError } from '../../src/store/store-error.js'
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
  })
}
