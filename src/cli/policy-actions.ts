/** What `leadclock policy …` does; loaded only when a policy command runs (zod, YAML, the schema). */
import { z } from 'zod'

import { diffPolicies, formatPolicyChange } from '../policy/diff-policy.js'
import { defaultPolicyPath, loadPolicyFile } from '../policy/load-policy-file.js'
import type { ParsePolicyResult } from '../policy/parse-policy.js'
import { formatPolicyProblem } from '../policy/parse-policy.js'
import { policySchema } from '../policy/policy-schema.js'
import type { CliOutput } from './cli-output.js'
import { describePolicy } from './describe-policy.js'

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

export async function validatePolicy(file: string, output: CliOutput): Promise<void> {
  const result = await loadOrReport(file, output)
  if (result) {
    output.print(
      `${file}: valid — ${result.policy.name} version ${result.policy.version}, effective from ${result.policy.effectiveFrom}`,
    )
  }
}

export async function showPolicy(file: string | undefined, output: CliOutput): Promise<void> {
  const result = await loadOrReport(file ?? defaultPolicyPath(), output)
  if (result) {
    output.print(describePolicy(result.policy))
  }
}

export async function diffPolicyFiles(
  beforeFile: string,
  afterFile: string,
  output: CliOutput,
): Promise<void> {
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
}

export function printPolicySchema(output: CliOutput): void {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' })
  output.print(JSON.stringify({ title: 'Leadclock policy', ...schema }, null, 2))
}
