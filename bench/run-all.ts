import { readdir } from 'node:fs/promises'
import type { BenchModule } from './bench-harness.js'

/** Runs every `*-bench.js` module next to this file; exits non-zero when any target is missed. */
const benchFiles = (await readdir(new URL('.', import.meta.url)))
  .filter((file) => file.endsWith('-bench.js'))
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
