/**
 * The programs the process suites run as child processes, bundled to plain JavaScript once per
 * run by test/global-setup.ts; a child is `node <bundle> …args`.
 */
import { basename, join } from 'node:path'

import { inject } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding `<name>.js` for each of CHILD_PROGRAMS. */
    childProgramsDir: string
  }
}

/** Source paths from the repository root. */
export const CHILD_PROGRAMS = [
  'src/cli/leadclock.ts',
  'test/integration/fixtures/escalation-worker-process.ts',
  'test/integration/fixtures/ingest-until-killed.ts',
] as const

/** The bundle of one of CHILD_PROGRAMS, to run with `node`. */
export function childProgram(source: (typeof CHILD_PROGRAMS)[number]): string {
  return join(inject('childProgramsDir'), `${basename(source, '.ts')}.js`)
}
