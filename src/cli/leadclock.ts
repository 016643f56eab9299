#!/usr/bin/env node
import { CommanderError } from 'commander'

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
    output.error(`leadclock: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
