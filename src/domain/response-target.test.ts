import { describe, expect, it } from 'vitest'

import { createCalendarSet } from './clock-calendars.js'
import { firstAttemptDeadline } from './response-target.js'
import { loadDefaultPolicy } from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
const newYork = calendars.byId.get('us-east')!
const london = calendars.byId.get('uk')!
const due = (tier: string, calendar = newYork, at: string, stretch = 1): string =>
  new Date(
    firstAttemptDeadline(
      policy.responseTiers[tier]!,
      calendar,
      calendars.wallClock,
      Date.parse(at),
      stretch,
    ),
  ).toISOString()

describe('firstAttemptDeadline (section 04 tiers and after-hours rules)', () => {
  it('gives each tier its in-hours window while the calendar is open', () => {
    // Tuesday 3 March 2026 09:00 New York (EST).
    expect(due('tier-1', newYork, '2026-03-03T14:00:00Z')).toBe('2026-03-03T14:05:00.000Z')
    expect(due('tier-2', newYork, '2026-03-03T14:00:00Z')).toBe('2026-03-03T16:00:00.000Z')
    // 24 business hours of 10-hour days: Tue 9 h, Wed 10 h, Thu 5 h → Thu 13:00.
    expect(due('tier-3', newYork, '2026-03-03T14:00:00Z')).toBe('2026-03-05T18:00:00.000Z')
  })

  it('applies the after-hours rule from Tuesday 19:00 New York', () => {
    // Tier 1: 30 business minutes after the Wednesday 08:00 open.
    expect(due('tier-1', newYork, '2026-03-04T00:00:00Z')).toBe('2026-03-04T13:30:00.000Z')
    // Tier 2: by 10:00 next business day.
    expect(due('tier-2', newYork, '2026-03-04T00:00:00Z')).toBe('2026-03-04T15:00:00.000Z')
    // Tier 3: 24 business hours after the open: Wed 10 h, Thu 10 h, Fri 4 h → Fri 12:00.
    expect(due('tier-3', newYork, '2026-03-04T00:00:00Z')).toBe('2026-03-06T17:00:00.000Z')
  })

  it('treats a bank holiday as after hours: Early May bank holiday in London', () => {
    // Monday 4 May 2026 10:00 BST; next open Tuesday 08:00 BST (07:00Z).
    expect(due('tier-1', london, '2026-05-04T09:00:00Z')).toBe('2026-05-05T07:30:00.000Z')
  })

  it('stretches durations during a surge, but not "by 10:00 next business day"', () => {
    expect(due('tier-1', newYork, '2026-03-04T00:00:00Z', 2)).toBe('2026-03-04T14:00:00.000Z')
    expect(due('tier-2', newYork, '2026-03-04T00:00:00Z', 2)).toBe('2026-03-04T15:00:00.000Z')
  })
})
