import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { loadDefaultPolicy } from '../domain/test-support.js'
import type { EscalationGroup } from './escalation-report.js'
import { escalationReport, percentile } from './escalation-report.js'

const policy = loadDefaultPolicy()

describe('percentile (nearest rank)', () => {
  it('gives exact values on a known list', () => {
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 90)).toBe(90)
    expect(percentile(values, 99)).toBe(100)
    expect(percentile(values, 0)).toBe(10)
    expect(percentile([], 50)).toBeNaN()
  })

  it('is an element of the list, within its range, and grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (raw, p, q) => {
          const sorted = [...raw].sort((a, b) => a - b)
          const at = percentile(sorted, p)
          expect(sorted).toContain(at)
          expect(at).toBeGreaterThanOrEqual(sorted[0] ?? 0)
          expect(at).toBeLessThanOrEqual(sorted.at(-1) ?? 0)
          expect(percentile(sorted, Math.min(p, q))).toBeLessThanOrEqual(
            percentile(sorted, Math.max(p, q)),
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('routine notifications apart from escalations', () => {
  const group = (
    subjectId: string,
    stepId: string,
    severity: string,
    fired: number,
  ): EscalationGroup => ({
    subjectId,
    stepId,
    severity,
    kind: 'chain-step',
    repId: 'sdr-ana',
    graced: false,
    open: false,
    firedAt: Array.from({ length: fired }, (_, i) => i),
    lagsMs: Array.from({ length: fired }, () => 1000),
  })

  it('counts the steps the policy marks routine apart, in no escalation count', () => {
    const report = escalationReport(
      {
        groups: [
          // T+0 of both chains: routine in the default policy.
          group('sdr-response-tier-1', 'notification', 'notice', 5),
          group('ae-sql-acceptance', 'notification', 'notice', 2),
          group('sdr-response-tier-1', 'reminder', 'reminder', 3),
          group('sdr-response-tier-1', 'formal-breach', 'formal-breach', 1),
        ],
        open: [],
        crmRealityFlags: [],
      },
      policy,
    )
    expect(report).toMatchObject({ fired: 4, routineNotifications: 7 })
    expect(report.bySubject).toEqual([
      { subjectId: 'sdr-response-tier-1', severity: 'reminder', count: 3 },
      { subjectId: 'sdr-response-tier-1', severity: 'formal-breach', count: 1 },
    ])
    expect(report.byRep).toEqual([
      {
        repId: 'sdr-ana',
        formalBreaches: 1,
        criticalBreaches: 0,
        open: 0,
        crmRealityFlags: {},
      },
    ])
    // Firing lag is the scheduler's, over every step fired.
    expect(report.lagMs).toEqual({ p50: 1000, p99: 1000, max: 1000 })
  })

  it('reads "routine" from the policy, not from step ids', () => {
    const notRoutine = structuredClone(policy)
    for (const chain of Object.values(notRoutine.escalationChains)) {
      for (const step of chain.steps) {
        delete step.routine
      }
    }
    const report = escalationReport(
      {
        groups: [group('sdr-response-tier-1', 'notification', 'notice', 5)],
        open: [],
        crmRealityFlags: [],
      },
      notRoutine,
    )
    expect(report).toMatchObject({ fired: 5, routineNotifications: 0 })
  })
})
