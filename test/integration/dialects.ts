/**
 * The store suites run on every dialect listed in LEADCLOCK_TEST_DIALECTS (default: pglite).
 * The postgres variant needs LEADCLOCK_TEST_POSTGRES_URL and gets a fresh database per call.
 */
import pg from 'pg'

import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'

export const DIALECTS = (process.env.LEADCLOCK_TEST_DIALECTS ?? 'pglite')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean)

let counter = 0

/** A fresh, migrated database of the given dialect; close() also drops a postgres test database. */
export async function freshDatabase(dialect: string): Promise<Database> {
  if (dialect === 'pglite') {
    return createDatabase({ dataDir: ':memory:' })
  }
  if (dialect !== 'postgres') {
    throw new Error(`unknown dialect ${dialect} in LEADCLOCK_TEST_DIALECTS`)
  }
  const serverUrl = process.env.LEADCLOCK_TEST_POSTGRES_URL
  if (!serverUrl) {
    throw new Error(
      'LEADCLOCK_TEST_DIALECTS includes postgres but LEADCLOCK_TEST_POSTGRES_URL is not set',
    )
  }
  counter += 1
  const name = `lc_test_${process.pid}_${counter}_${Math.floor(Math.random() * 1e6)}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database = await createDatabase({ databaseUrl: url.toString() })
  return {
    ...database,
    async close() {
      await database.close()
      const cleanup = new pg.Client({ connectionString: serverUrl })
      await cleanup.connect()
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await cleanup.end()
    },
  }
}
