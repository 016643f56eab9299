/**
 * Opens the store: embedded PGlite in a local folder by default (zero set-up), a PostgreSQL server
 * when a connection string is given. Migrates on open. No other file knows which dialect is in use.
 */
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'

import { PGlite } from '@electric-sql/pglite'
import type { Dialect } from 'kysely'
import { Kysely, Migrator, PostgresDialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'

import { describeError } from '../describe-error.js'
import { guardDialect } from './connection-guard.js'
import { lockDataDir } from './data-dir-lock.js'
import { takingEventLoopTurns } from './event-loop-turns.js'
import type { DatabaseSchema } from './database-schema.js'
import { migrationProvider } from './migrations/migration-provider.js'
import { StoreError } from './store-error.js'

export const DEFAULT_DATA_DIR = '.leadclock-data/pglite'

export interface DatabaseConfig {
  /** A PostgreSQL connection string; when set (and not empty), PGlite is not used. */
  readonly databaseUrl?: string | undefined
  /**
   * PGlite data folder, created if missing (default `.leadclock-data/pglite`). `memory://` (or
   * `:memory:`) keeps everything in memory: tests, one-off commands.
   */
  readonly dataDir?: string | undefined
  /**
   * A PGlite data folder dump (`dumpDataDir`) that a new database starts from instead of running
   * initdb, which takes seconds (tests start every database from one migrated template). Ignored
   * when the folder already holds a database.
   */
  readonly initialData?: Blob | undefined
}

export interface Database {
  readonly db: Kysely<DatabaseSchema>
  readonly dialect: 'pglite' | 'postgres'
  /** Closes the pool or the PGlite instance; safe to call more than once. */
  close(): Promise<void>
}

interface Connection {
  readonly dialect: Dialect
  /** Called after Kysely has been destroyed. */
  readonly release: () => Promise<void>
}

function isInMemory(dataDir: string): boolean {
  return dataDir === ':memory:' || dataDir.startsWith('memory://')
}

/** PGlite options: start from the dump where there is no database yet (PGlite refuses otherwise). */
function startingPoint(dataDir: string, initialData: Blob | undefined): { loadDataDir?: Blob } {
  const hasDatabase = !isInMemory(dataDir) && existsSync(join(dataDir, 'PG_VERSION'))
  return initialData === undefined || hasDatabase ? {} : { loadDataDir: initialData }
}

/**
 * An in-memory database's files already sit in the process's memory, so PostgreSQL's buffer pool
 * (128 MB by default) would hold a second copy of them; a small pool also opens faster (about
 * 1 s less CPU per database: the pool is set up at start).
 */
const IN_MEMORY_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB']

async function connectPglite(dataDir: string, initialData: Blob | undefined): Promise<Connection> {
  if (isInMemory(dataDir)) {
    const pglite = await PGlite.create({
      ...startingPoint(dataDir, initialData),
      startParams: IN_MEMORY_START_PARAMS,
    })
    return { dialect: takingEventLoopTurns(new PGliteDialect(pglite)), release: async () => {} }
  }
  try {
    await mkdir(dataDir, { recursive: true })
  } catch (error) {
    throw new StoreError(`cannot create the data folder ${dataDir}`, { cause: error })
  }
  const unlock = await lockDataDir(dataDir)
  try {
    // PGlite commits write through to the folder before a query resolves, so an acknowledged
    // commit survives the process being killed (not a power cut: PGlite runs without fsync).
    const pglite = await PGlite.create({ dataDir, ...startingPoint(dataDir, initialData) })
    return { dialect: takingEventLoopTurns(new PGliteDialect(pglite)), release: unlock }
  } catch (error) {
    await unlock()
    throw error
  }
}

/** How long a first connection may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000

/**
 * Connects once before anything else, so that an unreachable or misconfigured server is reported
 * as such (the pool would otherwise fail inside the first migration, or wait for minutes on a host
 * that drops packets).
 */
async function checkPostgresReachable(databaseUrl: string): Promise<void> {
  let probe: pg.Client
  try {
    probe = new pg.Client({
      connectionString: databaseUrl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'leadclock',
    })
  } catch (error) {
    // The string itself is not repeated: it holds the password.
    throw new StoreError(
      'the database URL is not a valid PostgreSQL connection string (postgres://user:password@host:5432/database)',
      { cause: error },
    )
  }
  try {
    await probe.connect()
  } catch (error) {
    throw new StoreError(`cannot connect to PostgreSQL at ${probe.host}:${probe.port}`, {
      cause: error,
    })
  } finally {
    await probe.end().catch(() => undefined)
  }
}

async function connectPostgres(databaseUrl: string): Promise<Connection> {
  await checkPostgresReachable(databaseUrl)
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    application_name: 'leadclock',
  })
  // An idle connection the server dropped: the pool discards it; without a listener the error
  // would crash the process.
  pool.on('error', (error) => {
    console.error(`leadclock store: an idle PostgreSQL connection failed: ${describeError(error)}`)
  })
  return { dialect: new PostgresDialect({ pool }), release: async () => {} }
}

async function migrateToLatest(db: Kysely<DatabaseSchema>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName
    throw new StoreError(
      failed === undefined ? 'database migration failed' : `database migration ${failed} failed`,
      { cause: error },
    )
  }
}

export async function createDatabase(config: DatabaseConfig = {}): Promise<Database> {
  const databaseUrl = config.databaseUrl === '' ? undefined : config.databaseUrl
  const connection =
    databaseUrl === undefined
      ? await connectPglite(config.dataDir ?? DEFAULT_DATA_DIR, config.initialData)
      : await connectPostgres(databaseUrl)
  const db: Kysely<DatabaseSchema> = new Kysely<DatabaseSchema>({
    dialect: guardDialect(connection.dialect, () => db),
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= db.destroy().finally(() => connection.release())
    return closing
  }
  try {
    await migrateToLatest(db)
  } catch (error) {
    await close()
    throw error
  }
  return { db, dialect: databaseUrl === undefined ? 'pglite' : 'postgres', close }
}
