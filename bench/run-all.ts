import { readdir } from 'node:fs/promises'
import type { BenchModule } from './bench-harness.js'

/**
 * Runs every `*-bench.js` module next to this file (or those whose names contain an argument:
 * `npm run bench -- import`); exits non-zero when any target is missed.
 */
const only = process.argv.slice(2)
const benchFiles = (await readdir(new URL('.', import.meta.url)))
  .filter((file) => file.endsWith('-bench.js'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort()

let missedTargets = 0
for (const file of benchFiles) {
  console.log(`\n=== ${file} ===`)
  const bench = (await import(new URL(file, import.meta.url).href)) as BenchModule
  const targets = await bench.runBench()
  console.log('')
  for (const { name, passed } of targets) {
    console.log(`${passed ? 'PASS' : 'FAIL'}  ${name}`)
    missedTargets += passed ? 0 : 1
  }
}
console.log(
  `\n${benchFiles.length} bench module(s), ${missedTargets === 0 ? 'all targets met' : `${missedTargets} target(s) missed`}`,
)
process.exitCode = missedTargets === 0 ? 0 : 1
