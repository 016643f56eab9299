import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { diffPolicies, formatPolicyChange } from './diff-policy.js'
import { defaultPolicyPath } from './load-policy-file.js'

const defaultText = readFileSync(defaultPolicyPath(), 'utf8')

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself', () => {
    expect(diffPolicies(parse(defaultText), parse(defaultText))).toEqual([])
  })

  it('names changed list items by their title, whatever their position', () => {
    const before: unknown = parse(defaultText)
    const recalibrated = defaultText
      .replace("version: '2.1.0'", "version: '2.2.0'")
      .replace(
        '    target: 2 business hours\n    breach: 4 business hours',
        '    target: 90 business minutes\n    breach: 4 business hours',
      )
      .replace('firstAttempt: 2 business hours', 'firstAttempt: 90 business minutes')
      .replace('  threshold: 60\n', '  threshold: 65\n')
    const after = parse(recalibrated) as { slaItems: unknown[] }
    // Moving an item does not make it a change.
    after.slaItems.reverse()
    expect(diffPolicies(before, after).map(formatPolicyChange)).toEqual([
      '~ version: 2.1.0 → 2.2.0',
      '~ scoring › threshold: 60 → 65',
      '~ Response tier “tier-2” › firstAttempt: 2 business hours → 90 business minutes',
      '~ SLA item “SDR Response — Tier 2” › target: 2 business hours → 90 business minutes',
    ])
  })

  it('reports added and removed items and steps', () => {
    const before = parse(defaultText) as {
      escalationChains: Record<string, { steps: { id: string }[] }>
      metrics: unknown[]
    }
    const after = structuredClone(before)
    after.escalationChains['sql-acceptance']!.steps.pop()
    after.metrics.push({
      id: 'lead-leakage',
      name: 'Lead Leakage Rate',
      better: 'lower',
      green: 10,
      red: 20,
    })
    const lines = diffPolicies(before, after).map(formatPolicyChange)
    expect(lines).toContain(
      '- Escalation chain “sql-acceptance” › step “VP Sales + CRO Informed — Root Cause Required” › at: 24 business hours',
    )
    expect(lines).toContain('+ Metric “Lead Leakage Rate” › green: 10')
  })

  it('names a task change by its reason code', () => {
    const after = defaultText.replace(
      'effect: reschedule, task: { owner: sdr, due: 14 business days }',
      'effect: reschedule, task: { owner: sdr, due: 10 business days }',
    )
    expect(diffPolicies(parse(defaultText), parse(after)).map(formatPolicyChange)).toEqual([
      '~ Reason taxonomy “ae-rej” › code “Meeting cancelled by prospect before AE could engage” › task › due: 14 business days → 10 business days',
    ])
  })
})
