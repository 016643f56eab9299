import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { defaultPolicyPath } from './load-policy-file.js'
import { parsePolicy } from './parse-policy.js'
import type { Policy } from './policy-schema.js'
import { createPolicyHistory, policyInEffectAt } from './policy-history.js'

const defaultText = readFileSync(defaultPolicyPath(), 'utf8')

function policyVersion(version: string, effectiveFrom: string): Policy {
  const result = parsePolicy(
    defaultText
      .replace("version: '2.1.0'", `version: '${version}'`)
      .replace("effectiveFrom: '2026-01-01'", `effectiveFrom: '${effectiveFrom}'`),
    `${version}.yaml`,
  )
  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems))
  }
  return result.policy
}

describe('policy history', () => {
  const v1 = policyVersion('2.1.0', '2026-01-01')
  const v2 = policyVersion('2.2.0', '2026-04-01')

  it('judges each instant under the version in effect then', () => {
    const result = createPolicyHistory([v2, v1])
    expect(result.ok).toBe(true)
    if (!result.ok) {
      return
    }
    expect(policyInEffectAt(result.history, Date.parse('2025-12-31T23:59:59.999Z'))).toBeUndefined()
    expect(policyInEffectAt(result.history, Date.parse('2026-01-01T00:00:00Z'))?.version).toBe(
      '2.1.0',
    )
    expect(policyInEffectAt(result.history, Date.parse('2026-03-31T23:59:59.999Z'))?.version).toBe(
      '2.1.0',
    )
    expect(policyInEffectAt(result.history, Date.parse('2026-04-01T00:00:00Z'))?.version).toBe(
      '2.2.0',
    )
  })

  it('refuses a recalibration that reuses a version or an effective date', () => {
    expect(createPolicyHistory([v1, policyVersion('2.1.0', '2026-07-01')])).toEqual({
      ok: false,
      message: 'version 2.1.0 appears twice; a recalibration must publish a new version',
    })
    expect(createPolicyHistory([v1, policyVersion('2.3.0', '2026-01-01')])).toEqual({
      ok: false,
      message:
        'versions 2.1.0 and 2.3.0 are both effective from 2026-01-01; each version needs its own effective date',
    })
  })
})
