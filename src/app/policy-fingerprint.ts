/**
 * Identifies a policy by its content, so a stored fold is continued only under the very policy
 * it was folded with — an edit that keeps the version string still forces a replay.
 */
import { createHash } from 'node:crypto'

import type { Policy } from '../policy/policy-schema.js'

const fingerprints = new WeakMap<Policy, string>()

export function policyFingerprint(policy: Policy): string {
  let fingerprint = fingerprints.get(policy)
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(JSON.stringify(policy)).digest('base64url')
    fingerprints.set(policy, fingerprint)
  }
  return fingerprint
}
