import { Command } from 'commander'

import type { CliOutput } from './cli-output.js'
import { registerConnectorCommands } from './connector-commands.js'
import { registerPolicyCommands } from './policy-commands.js'
import { registerReportCommands } from './report-commands.js'
import { registerRuntimeCommands } from './runtime-commands.js'
import { registerTokenCommands } from './token-commands.js'

export function createProgram(output: CliOutput): Command {
  const program = new Command('leadclock')
    .description('Leadclock — lead-lifecycle SLAs enforced in business time')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => output.print(text.trimEnd()),
      writeErr: (text) => output.error(text.trimEnd()),
    })
    .exitOverride()
  registerPolicyCommands(program, output)
  registerRuntimeCommands(program, output)
  registerReportCommands(program, output)
  registerTokenCommands(program, output)
  registerConnectorCommands(program, output)
  return program
}
