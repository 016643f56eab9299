/**
 * Starts the longest suites first. Without a cache of past durations (a clean CI clone) vitest
 * orders files by size, which started the minutes-long process suites last: the run then ended
 * with one core busy on them and the other idle. These suites mostly wait on their child
 * processes, so beside each other and the short files they fill both cores.
 */
import { relative } from 'node:path'

import type { TestSpecification } from 'vitest/node'
import { BaseSequencer } from 'vitest/node'

/** Longest first, as measured on the 2-core machine (each a minute or more on both dialects). */
const LONGEST_SUITES = [
  'test/integration/scheduler-processes.test.ts',
  'test/integration/api-fuzz.test.ts',
  'test/integration/first-run.test.ts',
  'test/integration/cli-import.test.ts',
  'test/integration/cli-import-crm.test.ts',
]

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_SUITES.indexOf(relative(this.ctx.config.root, spec.moduleId))
      return index === -1 ? LONGEST_SUITES.length : index
    }
    // Array.prototype.sort is stable: the rest keep the base order (projects kept together, so
    // that files of a project without isolation share a worker one after another).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}
