/**
 * Opens the store: embedded PGlite in a local folder by default (zero set-up), a PostgreSQL
 * server when a connection string is given. Migrates on open. No other file knows the dialect.
 */
import { mkdir } from 'node:fs/promises'

import { PGlite } from '@electric-sql/pglite'
import { Kysely, Migrator, PostgresDialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'

import type { DatabaseSchema } from './database-schema.js'
import { migrationProvider } from './migrations.js'

export interface DatabaseConfig {
  readonly databaseUrl?: string
  /** PGlite data folder; `:memory:` keeps everything in memory (tests, one-off commands). */
  readonly dataDir?: string
}

export interface Database {
  readonly db: Kysely<DatabaseSchema>
  readonly dialect: 'pglite' | 'postgres'
  close(): Promise<void>
}

export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  const dialect = config.databaseUrl === undefined ? 'pglite' : 'postgres'
  let db: Kysely<DatabaseSchema>
  if (config.databaseUrl !== undefined) {
    db = new Kysely<DatabaseSchema>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: config.databaseUrl, max: 10 }),
      }),
    })
  } else {
    const dataDir = config.dataDir ?? '.leadclock-data/pglite'
    if (dataDir !== ':memory:') {
      await mkdir(dataDir, { recursive: true })
    }
    const pglite = new PGlite(dataDir === ':memory:' ? 'memory://' : dataDir)
    db = new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(pglite) })
  }
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error } = await migrator.migrateToLatest()
  if (error) {
    await db.destroy()
    throw new Error('database migration failed', { cause: error })
  }
  return { db, dialect, close: () => db.destroy() }
}
