#!/usr/bin/env node
import { CommanderError } from 'commander'

import { processOutput } from './cli-output.js'
import { createProgram } from './program.js'

try {
  await createProgram(processOutput).parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2
  } else {
    processOutput.error(`leadclock: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
