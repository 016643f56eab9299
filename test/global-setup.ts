/**
 * Once per test run: one migrated template per dialect, so that the suites do not pay for initdb
 * (seconds for each embedded PGlite) and migrations on every database they open. PGlite: a dump
 * of a migrated data folder (`dumpDataDir`) that new databases start from; PostgreSQL: a migrated
 * database that test databases are created from (`CREATE DATABASE … TEMPLATE`).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

import { createDatabase } from '../src/store/create-database.js'
import { asAdmin, DIALECTS, postgresUrlOf, removeDir, tempDir } from './integration/dialects.js'

async function dumpMigratedPglite(dir: string): Promise<string> {
  const dataDir = join(dir, 'pglite')
  await (await createDatabase({ dataDir })).close()
  const pglite = await PGlite.create(dataDir)
  try {
    const dump = await pglite.dumpDataDir('none')
    const path = join(dir, 'migrated-pglite.tar')
    await writeFile(path, new Uint8Array(await dump.arrayBuffer()))
    return path
  } finally {
    await pglite.close()
  }
}

async function migratedPostgresTemplate(): Promise<string> {
  const name = `lc_template_${process.pid}`
  await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await asAdmin(`CREATE DATABASE ${name}`)
  await (await createDatabase({ databaseUrl: postgresUrlOf(name) })).close()
  return name
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await tempDir('template')
  const [pgliteDump, postgresTemplate] = await Promise.all([
    dumpMigratedPglite(dir),
    DIALECTS.includes('postgres') ? migratedPostgresTemplate() : Promise.resolve(''),
  ])
  project.provide('pgliteTemplateDump', pgliteDump)
  project.provide('postgresTemplate', postgresTemplate)
  return async () => {
    if (postgresTemplate !== '') {
      await asAdmin(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`)
    }
    await removeDir(dir)
  }
}
