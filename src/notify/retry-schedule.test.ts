import { describe, expect, it } from 'vitest'
import { MAX_DELIVERY_ATTEMPTS, MAX_RETRY_AFTER_MS, nextAttemptDelayMs } from './retry-schedule.js'

const noJitter = () => 0.5
const S = 1000
const M = 60 * S
const H = 60 * M

describe('nextAttemptDelayMs', () => {
  it('follows the Standard Webhooks schedule, then gives up', () => {
    const delays = Array.from({ length: MAX_DELIVERY_ATTEMPTS + 1 }, (_, attempt) =>
      nextAttemptDelayMs(attempt, undefined, noJitter),
    )
    expect(MAX_DELIVERY_ATTEMPTS).toBe(10)
    expect(delays).toEqual([
      0,
      5 * S,
      5 * M,
      30 * M,
      2 * H,
      5 * H,
      10 * H,
      14 * H,
      20 * H,
      24 * H,
      null,
    ])
    expect(nextAttemptDelayMs(11, undefined, noJitter)).toBeNull()
  })

  it('adds at most ±10 % jitter', () => {
    expect(nextAttemptDelayMs(2, undefined, () => 0)).toBe(270_000)
    expect(nextAttemptDelayMs(2, undefined, () => 0.999_999)).toBe(330_000)
    expect(nextAttemptDelayMs(1, undefined, () => 0.75)).toBe(5_250)
    expect(nextAttemptDelayMs(0, undefined, () => 0)).toBe(0)
  })

  it('honours a Retry-After longer than the scheduled wait, and ignores a shorter one', () => {
    expect(nextAttemptDelayMs(1, 30_000, noJitter)).toBe(30_000)
    expect(nextAttemptDelayMs(1, 1_000, noJitter)).toBe(5_000)
    expect(nextAttemptDelayMs(3, 10 * M, noJitter)).toBe(30 * M)
    expect(nextAttemptDelayMs(1, 1_234.2, () => 0)).toBe(4_500)
    expect(nextAttemptDelayMs(1, 6_000.2, () => 0)).toBe(6_001)
  })

  it('caps Retry-After at 24 hours and never revives a dead delivery', () => {
    expect(nextAttemptDelayMs(1, 365 * 24 * H, noJitter)).toBe(MAX_RETRY_AFTER_MS)
    expect(nextAttemptDelayMs(MAX_DELIVERY_ATTEMPTS, 5_000, noJitter)).toBeNull()
  })

  it('refuses a nonsense attempt count', () => {
    expect(() => nextAttemptDelayMs(-1)).toThrow(RangeError)
    expect(() => nextAttemptDelayMs(1.5)).toThrow(RangeError)
  })
})
