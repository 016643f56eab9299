import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { percentile } from './escalation-report.js'

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
