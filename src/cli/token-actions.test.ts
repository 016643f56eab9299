import { describe, expect, it } from 'vitest'

import { REFERENCE_TIMESTAMP as T0 } from '../domain/test-support.js'
import { parseExpiry } from './token-actions.js'

const DAY = 86_400_000

describe('token create --expires', () => {
  it('takes never, a wall-clock duration from now or an instant', () => {
    expect(parseExpiry('never', T0)).toBe(null)
    expect(parseExpiry('90 days', T0)).toBe(T0 + 90 * DAY)
    expect(parseExpiry('12 hours', T0)).toBe(T0 + 12 * 3_600_000)
    expect(parseExpiry('2026-12-31T00:00:00Z', T0)).toBe(Date.parse('2026-12-31T00:00:00Z'))
  })

  it('refuses business time and anything else, saying what it takes', () => {
    const hint = 'is neither never, an instant (2026-12-31T00:00:00Z) nor a duration ("30 days")'
    expect(parseExpiry('5 business days', T0)).toBe(`--expires: "5 business days" ${hint}`)
    expect(parseExpiry('2026-12-31T00:00', T0)).toBe(`--expires: "2026-12-31T00:00" ${hint}`)
    expect(parseExpiry('soon', T0)).toBe(`--expires: "soon" ${hint}`)
  })
})
