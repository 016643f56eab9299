/**
 * P4: policies are versioned, never edited. A history holds every version with its effective
 * date; a lead, clock or breach is judged under the version in effect at the moment it happened.
 * `effectiveFrom` is a date; a version takes effect at 00:00 UTC on that date.
 */
import type { Policy } from './policy-schema.js'

export interface PolicyHistory {
  /** Oldest first. */
  readonly versions: readonly Policy[]
}

export type PolicyHistoryResult =
  | { readonly ok: true; readonly history: PolicyHistory }
  | { readonly ok: false; readonly message: string }

export function effectiveInstant(policy: Policy): number {
  return Date.parse(`${policy.effectiveFrom}T00:00:00Z`)
}

export function createPolicyHistory(policies: readonly Policy[]): PolicyHistoryResult {
  if (policies.length === 0) {
    return { ok: false, message: 'a policy history needs at least one policy' }
  }
  const versions = [...policies].sort((a, b) => effectiveInstant(a) - effectiveInstant(b))
  for (let i = 1; i < versions.length; i += 1) {
    const previous = versions[i - 1]!
    const current = versions[i]!
    if (current.effectiveFrom === previous.effectiveFrom) {
      return {
        ok: false,
        message: `versions ${previous.version} and ${current.version} are both effective from ${current.effectiveFrom}; each version needs its own effective date`,
      }
    }
  }
  const seen = new Set<string>()
  for (const policy of versions) {
    if (seen.has(policy.version)) {
      return {
        ok: false,
        message: `version ${policy.version} appears twice; a recalibration must publish a new version`,
      }
    }
    seen.add(policy.version)
  }
  return { ok: true, history: { versions } }
}

/** The version in effect at `instant`; before the first version, none applies. */
export function policyInEffectAt(history: PolicyHistory, instant: number): Policy | undefined {
  let found: Policy | undefined
  for (const policy of history.versions) {
    if (effectiveInstant(policy) > instant) {
      break
    }
    found = policy
  }
  return found
}
