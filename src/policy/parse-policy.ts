/**
 * Policy text → validated, frozen Policy, or a list of problems located by file, line and column.
 * Pure: the caller reads the file.
 */
import { checkPolicy } from './check-policy.js'
import type { Policy } from './policy-schema.js'
import { policySchema } from './policy-schema.js'
import type { DocumentPath, LocatedProblem } from './yaml-document.js'
import { parseValidatedYaml } from './yaml-document.js'

export type { UnlocatedProblem } from './yaml-document.js'
export {
  formatDocumentPath as formatPolicyPath,
  formatLocatedProblem as formatPolicyProblem,
} from './yaml-document.js'

export type PolicyPath = DocumentPath
export type PolicyProblem = LocatedProblem

export type ParsePolicyResult =
  | { readonly ok: true; readonly policy: Policy; readonly raw: unknown }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] }

export function parsePolicy(text: string, file: string): ParsePolicyResult {
  const result = parseValidatedYaml(text, file, policySchema, checkPolicy)
  return result.ok ? { ok: true, policy: result.value, raw: result.raw } : result
}
