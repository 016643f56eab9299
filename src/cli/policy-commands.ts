/**
 * `leadclock policy …`: validate, show, diff and export the schema of policy files. Registering
 * them loads nothing heavy; each action imports policy-actions.ts.
 */
import type { Command } from 'commander'

import type { CliOutput } from './cli-output.js'

const actions = () => import('./policy-actions.js')

export function registerPolicyCommands(program: Command, output: CliOutput): void {
  const policy = program
    .command('policy')
    .description('validate, show and compare SLA policy files')

  policy
    .command('validate')
    .argument('<file>', 'policy YAML file')
    .description('check a policy file; prints located problems and exits 1 if any')
    .action(async (file: string) => (await actions()).validatePolicy(file, output))

  policy
    .command('show')
    .argument('[file]', 'policy YAML file (default: the built-in default policy)')
    .description('print a readable summary of the SLA table, tiers and escalation chains')
    .action(async (file: string | undefined) => (await actions()).showPolicy(file, output))

  policy
    .command('diff')
    .argument('<before>', 'older policy file')
    .argument('<after>', 'newer policy file')
    .description('list the semantic changes between two policy versions')
    .action(async (beforeFile: string, afterFile: string) =>
      (await actions()).diffPolicyFiles(beforeFile, afterFile, output),
    )

  policy
    .command('schema')
    .description('print the policy JSON Schema (for editor completion and validation)')
    .action(async () => (await actions()).printPolicySchema(output))
}
