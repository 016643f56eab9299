import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import {
  dateOrInstantSchema,
  EPOCH_SECONDS_BELOW,
  instantQuerySchema,
  instantSchema,
} from './instant.js'

/** `instant` written in ISO 8601 at a whole-minute offset from UTC. */
function isoAtOffset(instant: number, offsetMinutes: number): string {
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, -1)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0')
  return `${local}${sign}${hours}:${minutes}`
}

const instants = fc.integer({ min: EPOCH_SECONDS_BELOW, max: Date.parse('9000-01-01T00:00:00Z') })

describe('instantSchema', () => {
  it('reads ISO 8601 at any offset, and milliseconds, as the same instant', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -12 * 60, max: 14 * 60 }), (instant, offset) => {
        expect(instantSchema.parse(isoAtOffset(instant, offset))).toBe(instant)
        expect(instantSchema.parse(instant)).toBe(instant)
        expect(instantQuerySchema.parse(String(instant))).toBe(instant)
      }),
    )
  })

  it('refuses every number below 10^11 as epoch seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: EPOCH_SECONDS_BELOW - 1 }), (seconds) => {
        const result = instantSchema.safeParse(seconds)
        expect(result.success).toBe(false)
        expect(result.error?.issues[0]).toMatchObject({ params: { rule: 'instant-epoch-seconds' } })
      }),
    )
  })

  it('takes a date only where a date is meant, as 00:00 UTC', () => {
    expect(dateOrInstantSchema.parse('2026-04-30')).toBe(Date.parse('2026-04-30T00:00:00Z'))
    expect(instantQuerySchema.parse('2026-04-30')).toBe(Date.parse('2026-04-30T00:00:00Z'))
    expect(instantSchema.safeParse('2026-04-30').error?.issues[0]).toMatchObject({
      params: { rule: 'instant' },
    })
    expect(dateOrInstantSchema.safeParse('2026-02-30').success).toBe(false)
    expect(instantSchema.safeParse(1.5e12 + 0.5).success).toBe(false)
  })

  it('refuses every instant before 1970 by one rule, as a number or as text', () => {
    const issueOf = (schema: typeof instantSchema, value: unknown) =>
      schema.safeParse(value).error?.issues.map((issue) => ({
        message: issue.message,
        params: (issue as { readonly params?: unknown }).params,
      }))
    expect(issueOf(instantSchema, '1960-01-01T00:00:00Z')).toEqual([
      {
        message:
          '"1960-01-01T00:00:00Z" is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
        params: { rule: 'instant-before-1970' },
      },
    ])
    expect(issueOf(dateOrInstantSchema, '1969-12-31')).toEqual([
      {
        message:
          '"1969-12-31" is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
        params: { rule: 'instant-before-1970' },
      },
    ])
    expect(issueOf(instantSchema, -1)).toEqual([
      {
        message: '-1 is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
        params: { rule: 'instant-before-1970' },
      },
    ])
    // Text says which year it means: only numbers are suspected of being seconds.
    expect(instantSchema.parse('1971-06-01T00:00:00Z')).toBe(Date.parse('1971-06-01T00:00:00Z'))
    expect(instantSchema.parse('1970-01-01T00:00:00Z')).toBe(0)
  })
})
