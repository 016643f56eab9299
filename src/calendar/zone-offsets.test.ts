import fc from 'fast-check'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'

import { instantOfLocalTime, localYearOf } from './civil-time.js'
import { ZoneOffsets } from './zone-offsets.js'

const MS_PER_DAY = 86_400_000
const MS_PER_MINUTE = 60_000

// Zones with one-hour, half-hour and southern-hemisphere changes, none, and a 45-minute offset.
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'UTC',
]

/** The wall time of `t` in `zone` as Luxon reads it, as if it were UTC. */
function luxonLocal(zone: string, t: number): number {
  const local = DateTime.fromMillis(t, { zone })
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)
}

const localTimes = fc.record({
  zone: fc.constantFrom(...ZONES),
  // 1990-01-01 … 2099-12-31, on whole minutes.
  epochDay: fc.integer({ min: 7305, max: 47481 }),
  minuteOfDay: fc.integer({ min: 0, max: 1439 }),
})

describe('instantOfLocalTime', () => {
  it('lands on the asked wall time, or the gap length later when the clocks skip it', () => {
    fc.assert(
      fc.property(localTimes, ({ zone, epochDay, minuteOfDay }) => {
        const asked = epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE
        const instant = instantOfLocalTime(zone, epochDay, minuteOfDay)
        const shown = luxonLocal(zone, instant)
        if (shown !== asked) {
          // A skipped time: no instant shows it, and the result is read with the earlier offset.
          const before = DateTime.fromMillis(instant - MS_PER_DAY, { zone }).offset
          const after = DateTime.fromMillis(instant + MS_PER_DAY, { zone }).offset
          expect(after).toBeGreaterThan(before)
          expect(shown - asked).toBe((after - before) * MS_PER_MINUTE)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('takes the later instant of a wall time shown twice', () => {
    fc.assert(
      fc.property(localTimes, ({ zone, epochDay, minuteOfDay }) => {
        const instant = instantOfLocalTime(zone, epochDay, minuteOfDay)
        const shown = luxonLocal(zone, instant)
        // Any later instant within a day showing the same wall time would be the later choice.
        for (const laterBy of [30, 60, 120]) {
          expect(luxonLocal(zone, instant + laterBy * MS_PER_MINUTE)).not.toBe(shown)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees with Luxon wherever the wall time is shown exactly once', () => {
    fc.assert(
      fc.property(localTimes, ({ zone, epochDay, minuteOfDay }) => {
        const instant = instantOfLocalTime(zone, epochDay, minuteOfDay)
        const civil = new Date(epochDay * MS_PER_DAY)
        const luxon = DateTime.fromObject(
          {
            year: civil.getUTCFullYear(),
            month: civil.getUTCMonth() + 1,
            day: civil.getUTCDate(),
            hour: Math.floor(minuteOfDay / 60),
            minute: minuteOfDay % 60,
          },
          { zone },
        ).toMillis()
        const shownTwice = [-120, -60, -30, 30, 60, 120].some(
          (by) =>
            luxonLocal(zone, instant + by * MS_PER_MINUTE) === luxonLocal(zone, instant) &&
            luxonLocal(zone, instant) === epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE,
        )
        if (!shownTwice) {
          expect(instant).toBe(luxon)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('resolves New York’s 2026 changes: 02:30 skipped on 8 March, 01:30 twice on 1 November', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY
    // 02:30 does not exist: 03:30 EDT.
    expect(new Date(instantOfLocalTime('America/New_York', day('2026-03-08'), 150))).toEqual(
      new Date('2026-03-08T07:30:00Z'),
    )
    // 01:30 exists twice: the later is 01:30 EST.
    expect(new Date(instantOfLocalTime('America/New_York', day('2026-11-01'), 90))).toEqual(
      new Date('2026-11-01T06:30:00Z'),
    )
    // '24:00' is the next midnight, EST.
    expect(new Date(instantOfLocalTime('America/New_York', day('2026-11-01'), 1440))).toEqual(
      new Date('2026-11-02T05:00:00Z'),
    )
    // Lord Howe moves by 30 minutes: 02:15 on 4 October 2026 is skipped → 02:45 (+11:00).
    expect(new Date(instantOfLocalTime('Australia/Lord_Howe', day('2026-10-04'), 135))).toEqual(
      new Date('2026-10-03T15:45:00Z'),
    )
  })
})

describe('ZoneOffsets', () => {
  it('gives Luxon’s offset at every instant, changes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2099, 11, 31) }),
        (zone, t) => {
          expect(new ZoneOffsets(zone).offsetAt(t)).toBe(DateTime.fromMillis(t, { zone }).offset)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('changes offset at the exact millisecond of a change', () => {
    const london = new ZoneOffsets('Europe/London')
    const change = Date.parse('2026-03-29T01:00:00Z')
    expect(london.offsetAt(change - 1)).toBe(0)
    expect(london.offsetAt(change)).toBe(60)
  })
})

describe('localYearOf', () => {
  it('reads the year in the zone: New Year’s Eve 23:30 in New York is 04:30Z the next year', () => {
    expect(localYearOf('America/New_York', Date.parse('2027-01-01T04:30:00Z'))).toBe(2026)
    expect(localYearOf('Pacific/Chatham', Date.parse('2026-12-31T11:00:00Z'))).toBe(2027)
  })
})
