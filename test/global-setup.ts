/**
 * Once per test run: one migrated template per dialect, so that the suites do not pay for initdb
 * (seconds for each embedded PGlite) and migrations on every database they open. PGlite: a dump
 * of a migrated data folder (`dumpDataDir`) that new databases start from; PostgreSQL: a migrated
 * database that test databases are created from (`CREATE DATABASE … TEMPLATE`).
 *
 * Also once per run: the programs the process suites start (the CLI and the child fixtures),
 * bundled to plain JavaScript, so that each of the dozens of child processes skips compiling
 * TypeScript and resolving hundreds of modules (under `--import tsx` that cost ~2 s of CPU per
 * child before it did anything).
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { PGlite } from '@electric-sql/pglite'
import type { TestProject } from 'vitest/node'

import { bundlePrograms } from '../scripts/bundle-programs.mjs'
import { createDatabase } from '../src/store/create-database.js'
import { CHILD_PROGRAMS } from './integration/child-programs.js'
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

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Bundles each program a suite runs as a child process into `<name>.js` (packages stay imports).
 * The folder is inside the repository: packages resolve from its node_modules, and the policy
 * files are found above the running module, as from src/ or dist/.
 */
async function bundleChildPrograms(): Promise<string> {
  const dir = await mkdtemp(join(REPO_ROOT, '.test-build-'))
  await bundlePrograms({
    entryPoints: CHILD_PROGRAMS.map((program) => join(REPO_ROOT, program)),
    outdir: dir,
  })
  return dir
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await tempDir('template')
  const [pgliteDump, postgresTemplate, childPrograms] = await Promise.all([
    dumpMigratedPglite(dir),
    DIALECTS.includes('postgres') ? migratedPostgresTemplate() : Promise.resolve(''),
    bundleChildPrograms(),
  ])
  project.provide('pgliteTemplateDump', pgliteDump)
  project.provide('postgresTemplate', postgresTemplate)
  project.provide('childProgramsDir', childPrograms)
  return async () => {
    if (postgresTemplate !== '') {
      await asAdmin(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`)
    }
    await Promise.all([removeDir(dir), removeDir(childPrograms)])
  }
}
