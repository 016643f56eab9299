/**
 * The store suites run on every dialect listed in LEADCLOCK_TEST_DIALECTS (default: pglite).
 * The postgres variant needs LEADCLOCK_TEST_POSTGRES_URL (a server URL whose role may create
 * databases) and gets a database of its own per call, dropped on close, so runs never share data.
 * A misconfiguration fails the suite at load: it is never skipped silently. Fresh databases start
 * from the migrated templates test/global-setup.ts makes once per run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import pg from 'pg'
import { inject } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump (PGlite `dumpDataDir`) of a migrated PGlite data folder. */
    pgliteTemplateDump: string
    /** A migrated database on the PostgreSQL test server; '' when postgres is not tested. */
    postgresTemplate: string
  }
}

export type Dialect = 'pglite' | 'postgres'

function parseDialects(value: string): Dialect[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  for (const name of names) {
    if (name !== 'pglite' && name !== 'postgres') {
      throw new Error(`LEADCLOCK_TEST_DIALECTS: unknown dialect "${name}" (pglite, postgres)`)
    }
  }
  if (names.includes('postgres') && !process.env.LEADCLOCK_TEST_POSTGRES_URL) {
    throw new Error(
      'LEADCLOCK_TEST_DIALECTS includes postgres but LEADCLOCK_TEST_POSTGRES_URL is not set',
    )
  }
  return names as Dialect[]
}

export const DIALECTS: readonly Dialect[] = parseDialects(
  process.env.LEADCLOCK_TEST_DIALECTS ?? 'pglite',
)

function postgresServerUrl(): string {
  const url = process.env.LEADCLOCK_TEST_POSTGRES_URL
  if (!url) {
    throw new Error('LEADCLOCK_TEST_POSTGRES_URL is not set')
  }
  return url
}

/** The connection string of a database on the test server. */
export function postgresUrlOf(database: string): string {
  const url = new URL(postgresServerUrl())
  url.pathname = `/${database}`
  return url.toString()
}

export async function asAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresServerUrl() })
  await admin.connect()
  try {
    await admin.query(statement)
  } finally {
    await admin.end()
  }
}

let counter = 0

export interface ScratchPostgres {
  /** The connection string of a new, empty database. */
  readonly url: string
  drop(): Promise<void>
}

/**
 * A new database on the test server, named lc_test_<pid>_<n>_<random>: empty, or `migrated` (a
 * copy of the run's migrated template).
 */
export async function scratchPostgres(
  options: { readonly migrated?: boolean } = {},
): Promise<ScratchPostgres> {
  counter += 1
  const name = `lc_test_${process.pid}_${counter}_${Math.floor(Math.random() * 1e6)}`
  const template = options.migrated === true ? ` TEMPLATE ${inject('postgresTemplate')}` : ''
  await asAdmin(`CREATE DATABASE ${name}${template}`)
  return {
    url: postgresUrlOf(name),
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

let pgliteTemplate: Promise<Blob> | undefined

/** The run's migrated PGlite template, read once per test file. */
export function migratedPgliteDump(): Promise<Blob> {
  pgliteTemplate ??= readFile(inject('pgliteTemplateDump')).then((bytes) => new Blob([bytes]))
  return pgliteTemplate
}

/** A fresh, migrated database of the given dialect; close() also drops a postgres test database. */
export async function freshDatabase(dialect: string): Promise<Database> {
  if (dialect === 'pglite') {
    return createDatabase({ dataDir: 'memory://', initialData: await migratedPgliteDump() })
  }
  if (dialect !== 'postgres') {
    throw new Error(`unknown dialect ${dialect} in LEADCLOCK_TEST_DIALECTS`)
  }
  const scratch = await scratchPostgres({ migrated: true })
  const database = await createDatabase({ databaseUrl: scratch.url })
  return {
    ...database,
    async close() {
      await database.close()
      await scratch.drop()
    },
  }
}

/** An empty temporary folder; remove it with `rm(dir, { recursive: true, force: true })`. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `leadclock-${prefix}-`))
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

/** Opening a PGlite instance runs initdb: several seconds on a small machine. */
export const OPEN_TIMEOUT_MS = 60_000
