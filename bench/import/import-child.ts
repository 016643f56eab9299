/**
 * One `leadclock import` of a JSON Lines file, in a process of its own so that its peak RSS is
 * the import's alone: the same calls as the CLI command (runtime, replay dependencies, a
 * streamed file). Prints one JSON line: the report's counts, the seconds, the peak RSS.
 *
 * Usage: node import-child.js FILE (DATABASE_URL for PostgreSQL, else PGlite in LEADCLOCK_DATA_DIR)
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

import { peopleOf } from '../../src/app/event-input.js'
import { importJsonLines } from '../../src/app/import-jsonl.js'
import { derivationChunkLeads, importBatchLines } from '../../src/app/import-records.js'
import { configFromEnvironment, openRuntime, policyOf } from '../../src/main.js'

export interface ImportChildResult {
  readonly appended: number
  readonly duplicates: number
  readonly invalid: number
  readonly seconds: number
  readonly maxRssMb: number
}

const file = process.argv[2]
if (file === undefined) {
  throw new Error('usage: import-child FILE')
}
const runtime = await openRuntime(configFromEnvironment(process.env))
try {
  const started = performance.now()
  const report = await importJsonLines(
    {
      repository: runtime.repository,
      policy: policyOf(runtime),
      roster: () => runtime.settings.current().roster.roster,
    },
    createInterface({ input: createReadStream(file), crlfDelay: Infinity }),
    {
      batchSize: importBatchLines(runtime.database.dialect),
      deriveChunkLeads: derivationChunkLeads(runtime.database.dialect),
      now: runtime.now,
      people: peopleOf(runtime.settings.current().roster.roster),
    },
  )
  const result: ImportChildResult = {
    appended: report.appended,
    duplicates: report.duplicates,
    invalid: report.invalid,
    seconds: (performance.now() - started) / 1000,
    // resourceUsage reports kilobytes.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }
  console.log(JSON.stringify(result))
} finally {
  await runtime.close()
}
