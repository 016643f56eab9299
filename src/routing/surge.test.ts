import { describe, expect, it } from 'vitest'

import { loadDefaultPolicy } from '../domain/test-support.js'
import { stretchDuration, surgeStatus } from './surge.js'

const policy = loadDefaultPolicy()

/** `perDay` MQLs on each of the 30 days before 2025-03-31 (2025-03-01 … 2025-03-30). */
function march(perDay: number, today: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let day = 1; day <= 30; day += 1) {
    counts.set(`2025-03-${String(day).padStart(2, '0')}`, perDay)
  }
  counts.set('2025-03-31', today)
  counts.set('2025-02-28', 1_000) // outside the 30-day window
  return counts
}

describe('surgeStatus', () => {
  it('is active above 2 × the trailing 30-day average', () => {
    expect(surgeStatus(march(10, 21), '2025-03-31', policy)).toEqual({
      active: true,
      todayCount: 21,
      trailingAverage: 10,
      threshold: 20,
    })
  })

  it('is not active at exactly the threshold', () => {
    expect(surgeStatus(march(10, 20), '2025-03-31', policy).active).toBe(false)
  })

  it('counts missing days as zero and crosses month boundaries', () => {
    const counts = new Map([
      ['2025-02-27', 30],
      ['2025-03-01', 30],
      ['2025-03-02', 5],
    ])
    expect(surgeStatus(counts, '2025-03-02', policy)).toEqual({
      active: true,
      todayCount: 5,
      trailingAverage: 2,
      threshold: 4,
    })
  })

  it('has no surge without a baseline', () => {
    expect(surgeStatus(new Map([['2025-03-31', 500]]), '2025-03-31', policy)).toEqual({
      active: false,
      todayCount: 500,
      trailingAverage: 0,
      threshold: 0,
    })
  })

  it('rejects a malformed date', () => {
    expect(() => surgeStatus(new Map(), '2025-02-30', policy)).toThrow(RangeError)
  })
})

describe('stretchDuration', () => {
  it('multiplies by the policy slaStretch', () => {
    expect(stretchDuration(5 * 60_000, policy)).toBe(10 * 60_000)
  })
})
