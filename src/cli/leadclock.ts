#!/usr/bin/env node
import { inspect } from 'node:util'

import { CommanderError } from 'commander'

import { describeError } from '../describe-error.js'
import { processOutput } from './cli-output.js'
import { createProgram } from './program.js'

const output = processOutput()
try {
  await createProgram(output).parseAsync(process.argv)
  process.exitCode = output.settledExitCode()
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2
  } else {
    output.error(`leadclock: ${describeError(error)}`)
    // The stack and every property, for a bug report.
    if (['debug', 'trace'].includes(process.env.LEADCLOCK_LOG_LEVEL ?? '')) {
      output.error(inspect(error, { depth: 5 }))
    }
    process.exitCode = 1
  }
}
