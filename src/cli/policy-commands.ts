/** `leadclock policy …`: validate, show, diff and export the schema of policy files. */
import type { Command } from 'commander'
import { z } from 'zod'

import { describePolicy } from '../policy/describe-policy.js'
import { diffPolicies, formatPolicyChange } from '../policy/diff-policy.js'
import { defaultPolicyPath, loadPolicyFile } from '../policy/load-policy-file.js'
import type { ParsePolicyResult } from '../policy/parse-policy.js'
import { formatPolicyProblem } from '../policy/parse-policy.js'
import { policySchema } from '../policy/policy-schema.js'
import type { CliOutput } from './cli-output.js'

type ValidPolicy = Extract<ParsePolicyResult, { ok: true }>

async function loadOrReport(path: string, output: CliOutput): Promise<ValidPolicy | undefined> {
  const result = await loadPolicyFile(path)
  if (!result.ok) {
    output.error(
      `${path}: ${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}`,
    )
    for (const problem of result.problems) {
      output.error(`  ${formatPolicyProblem(problem)}`)
    }
    output.exitCode(1)
    return undefined
  }
  return result
}

export function registerPolicyCommands(program: Command, output: CliOutput): void {
  const policy = program
    .command('policy')
    .description('validate, show and compare SLA policy files')

  policy
    .command('validate')
    .argument('<file>', 'policy YAML file')
    .description('check a policy file; prints located problems and exits 1 if any')
    .action(async (file: string) => {
      const result = await loadOrReport(file, output)
      if (result) {
        output.print(
          `${file}: valid — ${result.policy.name} version ${result.policy.version}, effective from ${result.policy.effectiveFrom}`,
        )
      }
    })

  policy
    .command('show')
    .argument('[file]', 'policy YAML file (default: the built-in default policy)')
    .description('print a readable summary of the SLA table, tiers and escalation chains')
    .action(async (file: string | undefined) => {
      const result = await loadOrReport(file ?? defaultPolicyPath(), output)
      if (result) {
        output.print(describePolicy(result.policy))
      }
    })

  policy
    .command('diff')
    .argument('<before>', 'older policy file')
    .argument('<after>', 'newer policy file')
    .description('list the semantic changes between two policy versions')
    .action(async (beforeFile: string, afterFile: string) => {
      const before = await loadOrReport(beforeFile, output)
      const after = await loadOrReport(afterFile, output)
      if (!before || !after) {
        return
      }
      const changes = diffPolicies(before.raw, after.raw)
      output.print(
        `${before.policy.version} (${before.policy.effectiveFrom}) → ${after.policy.version} (${after.policy.effectiveFrom}): ${changes.length} change${changes.length === 1 ? '' : 's'}`,
      )
      for (const change of changes) {
        output.print(formatPolicyChange(change))
      }
    })

  policy
    .command('schema')
    .description('print the policy JSON Schema (for editor completion and validation)')
    .action(() => {
      const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' })
      output.print(JSON.stringify({ title: 'Leadclock policy', ...schema }, null, 2))
    })
}
