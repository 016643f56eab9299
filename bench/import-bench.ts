/**
 * `leadclock import` against the physical limit: N sample events imported into PostgreSQL
 * (compared with one COPY of the same rows into the same server) and into PGlite, with each
 * import's peak RSS. The PostgreSQL part needs LEADCLOCK_BENCH_POSTGRES_URL (a role that may
 * create databases) and is skipped without it. LEADCLOCK_BENCH_IMPORT_EVENTS overrides the sizes
 * (comma-separated event counts).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import { configFromEnvironment, openRuntime } from '../src/main.js'
import { writeSampleJsonl } from '../src/sample/generate-sample.js'
import type { BenchTarget } from './bench-harness.js'
import { formatCount } from './bench-harness.js'
import { sampleEvents } from './bench-sample.js'
import type { ImportChildResult } from './import/import-child.js'
import { copyEvents } from './import/raw-copy.js'
import { scratchDatabases } from './escalation/scratch-database.js'

const DEFAULT_SIZES = [20_000, 200_000]
const MIN_SHARE_OF_COPY = 0.5
const MIN_PGLITE_EVENTS_PER_SECOND = 10_000
const MAX_RSS_MB = 500
const CHILD_SCRIPT = fileURLToPath(new URL('./import/import-child.js', import.meta.url))

const run = promisify(execFile)

function sizes(): number[] {
  const text = process.env.LEADCLOCK_BENCH_IMPORT_EVENTS
  return text ? text.split(',').map((size) => Number(size.trim())) : DEFAULT_SIZES
}

async function importInChild(file: string, env: NodeJS.ProcessEnv): Promise<ImportChildResult> {
  const { stdout } = await run(process.execPath, [CHILD_SCRIPT, file], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 20,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ImportChildResult
}

function describe(label: string, count: number, result: ImportChildResult): string {
  return `${label}: ${formatCount(count / result.seconds)} events/s (${result.seconds.toFixed(2)} s; ${result.appended} appended, ${result.duplicates} duplicates, ${result.invalid} invalid), peak RSS ${Math.round(result.maxRssMb)} MB`
}

export async function runBench(): Promise<BenchTarget[]> {
  const serverUrl = process.env.LEADCLOCK_BENCH_POSTGRES_URL
  if (!serverUrl) {
    console.log(
      'LEADCLOCK_BENCH_POSTGRES_URL is not set: the PostgreSQL import and COPY are skipped',
    )
  }
  const targets: BenchTarget[] = []
  const folder = await mkdtemp(join(tmpdir(), 'leadclock-import-bench-'))
  const databases = serverUrl ? scratchDatabases(serverUrl, `lc_import_${process.pid}`) : undefined
  try {
    for (const count of sizes()) {
      const events = await sampleEvents(count)
      const file = join(folder, `sample-${count}.jsonl`)
      await writeFile(file, writeSampleJsonl(events))
      console.log(`\n${formatCount(count)} sample events`)

      const pglite = await importInChild(file, {
        DATABASE_URL: '',
        LEADCLOCK_DATA_DIR: join(folder, `pglite-${count}`),
      })
      console.log(describe('  import into PGlite', count, pglite))
      targets.push(
        {
          name: `PGlite import of ${formatCount(count)} events ≥ ${formatCount(MIN_PGLITE_EVENTS_PER_SECOND)} events/s (${formatCount(count / pglite.seconds)})`,
          passed: count / pglite.seconds >= MIN_PGLITE_EVENTS_PER_SECOND,
        },
        {
          name: `PGlite import of ${formatCount(count)} events: peak RSS ≤ ${MAX_RSS_MB} MB (${Math.round(pglite.maxRssMb)})`,
          passed: pglite.maxRssMb <= MAX_RSS_MB,
        },
      )
      if (databases === undefined) {
        continue
      }
      const copyUrl = await databases.create(`copy_${count}`)
      // Opening a runtime migrates the database: the COPY meets the real table and its indexes.
      await (
        await openRuntime(configFromEnvironment(process.env, { databaseUrl: copyUrl }))
      ).close()
      const copySeconds = await copyEvents(copyUrl, events)
      console.log(
        `  raw COPY into PostgreSQL: ${formatCount(count / copySeconds)} events/s (${copySeconds.toFixed(2)} s)`,
      )
      await databases.drop(`copy_${count}`)

      const importUrl = await databases.create(`import_${count}`)
      const postgres = await importInChild(file, { DATABASE_URL: importUrl })
      await databases.drop(`import_${count}`)
      const share = copySeconds / postgres.seconds
      console.log(describe('  import into PostgreSQL', count, postgres))
      console.log(`  import / COPY: ${(share * 100).toFixed(1)} % of the raw rate`)
      targets.push(
        {
          name: `PostgreSQL import of ${formatCount(count)} events ≥ ${MIN_SHARE_OF_COPY * 100} % of raw COPY (${(share * 100).toFixed(1)} %)`,
          passed: share >= MIN_SHARE_OF_COPY,
        },
        {
          name: `PostgreSQL import of ${formatCount(count)} events: peak RSS ≤ ${MAX_RSS_MB} MB (${Math.round(postgres.maxRssMb)})`,
          passed: postgres.maxRssMb <= MAX_RSS_MB,
        },
      )
    }
  } finally {
    await databases?.dropAll()
    await rm(folder, { recursive: true, force: true })
  }
  return targets
}
