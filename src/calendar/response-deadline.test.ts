import { describe, expect, it } from 'vitest'
import { createBusinessCalendar } from './business-calendar.js'
import { responseDeadline } from './response-deadline.js'
import type { ResponseWindow } from './response-deadline.js'
import { newYorkSales } from './sample-calendars.js'

const MINUTE = 60_000
const at = (isoWithOffset: string): number => Date.parse(isoWithOffset)
const iso = (t: number): string => new Date(t).toISOString()

describe('responseDeadline on the New York sales calendar', () => {
  const calendar = createBusinessCalendar(newYorkSales)
  const tier1 = {
    inHours: { kind: 'business-duration', durationMs: 5 * MINUTE },
    afterHours: { kind: 'after-next-open', durationMs: 30 * MINUTE },
  } as const satisfies Record<string, ResponseWindow>
  const tier2AfterHours: ResponseWindow = { kind: 'next-business-day-at', localTime: '10:00' }
  const tier1Deadline = (receivedAt: number): string =>
    iso(responseDeadline(calendar, receivedAt, tier1.inHours, tier1.afterHours))

  it('Tier 1 after hours: Tue 19:00 → 30 min after Wednesday opens, 08:30', () => {
    expect(tier1Deadline(at('2026-03-03T19:00:00-05:00'))).toBe('2026-03-04T13:30:00.000Z')
  })

  it('Tier 1 in hours: Fri 17:55 → 5 business minutes end at 18:00, due Mon 08:00', () => {
    // Monday 2026-03-09 is already EDT
    expect(tier1Deadline(at('2026-03-06T17:55:00-05:00'))).toBe('2026-03-09T12:00:00.000Z')
  })

  it('Tier 1 in hours, mid-morning: due 5 minutes later', () => {
    expect(tier1Deadline(at('2026-03-03T10:00:00-05:00'))).toBe('2026-03-03T15:05:00.000Z')
  })

  it('Tier 1 on a public holiday counts from the next opening after the holiday', () => {
    // Fri 2026-07-03 (Independence Day observed) → Mon 07-06 08:00 EDT + 30 min
    expect(calendar.nextOpening(at('2026-07-03T10:00:00-04:00'))).toBe(
      at('2026-07-06T08:00:00-04:00'),
    )
    expect(tier1Deadline(at('2026-07-03T10:00:00-04:00'))).toBe('2026-07-06T12:30:00.000Z')
    // Thu 2026-11-26 (Thanksgiving) → Fri 11-27 08:00 EST + 30 min
    expect(tier1Deadline(at('2026-11-26T11:00:00-05:00'))).toBe('2026-11-27T13:30:00.000Z')
  })

  it('Tier 2 after hours: Fri 20:00 → next business day 10:00, Monday', () => {
    const deadline = responseDeadline(
      calendar,
      at('2026-03-06T20:00:00-05:00'),
      tier1.inHours,
      tier2AfterHours,
    )
    expect(iso(deadline)).toBe('2026-03-09T14:00:00.000Z')
  })

  it('uses the in-hours window whenever the calendar is open', () => {
    const deadline = responseDeadline(
      calendar,
      at('2026-03-03T10:00:00-05:00'),
      tier2AfterHours,
      tier1.afterHours,
    )
    // Tue 10:00 is open, so "next business day at 10:00" applies: Wed 10:00 EST
    expect(iso(deadline)).toBe('2026-03-04T15:00:00.000Z')
  })

  it('"within 24 hours of next business day open" counts business hours', () => {
    const deadline = responseDeadline(calendar, at('2026-03-06T20:00:00-05:00'), tier1.inHours, {
      kind: 'after-next-open',
      durationMs: 24 * 60 * MINUTE,
    })
    // Mon 08:00 + 24 business hours: Mon 10 h, Tue 10 h, Wed 4 h → Wed 12:00 EDT
    expect(iso(deadline)).toBe('2026-03-11T16:00:00.000Z')
  })
})
