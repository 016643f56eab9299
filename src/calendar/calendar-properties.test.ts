import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createBusinessCalendar } from './business-calendar.js'
import type { BusinessCalendar } from './business-calendar.js'
import {
  clockElapsed,
  clockReachesAt,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
} from './sla-clock.js'
import type { SlaClock } from './sla-clock.js'
import {
  alwaysOpen,
  kolkataOffice,
  londonSupport,
  newYorkSales,
  newYorkSundayNights,
  sydneySplitShifts,
} from './sample-calendars.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const RUNS = { numRuns: 300 }
const FIRST = Date.parse('2025-01-01T00:00:00Z')
const LAST = Date.parse('2028-12-31T00:00:00Z')

const calendars: BusinessCalendar[] = [
  newYorkSales,
  newYorkSundayNights,
  londonSupport,
  sydneySplitShifts,
  kolkataOffice,
  alwaysOpen('Australia/Sydney'),
].map(createBusinessCalendar)

const calendarArb = fc.constantFrom(...calendars)
/** Any millisecond, or a quarter hour so that openings and closings are hit exactly. */
const instantArb = fc.oneof(
  fc.integer({ min: FIRST, max: LAST }),
  fc
    .integer({ min: 0, max: Math.floor((LAST - FIRST) / (15 * MINUTE)) })
    .map((quarters) => FIRST + quarters * 15 * MINUTE),
)
const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 300 * HOUR }),
  fc.integer({ min: 0, max: 240 }).map((quarters) => quarters * 15 * MINUTE),
)
const sorted = (...instants: number[]): number[] => instants.sort((a, b) => a - b)

describe('business-time properties over several calendars, 2025–2028', () => {
  it('elapsed(a, add(a, d)) = d, and add lands on an open instant after which time accrues', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (calendar, a, d) => {
        const due = calendar.add(a, d)
        expect(calendar.elapsed(a, due)).toBe(d)
        expect(calendar.isOpen(due)).toBe(true)
        expect(calendar.elapsed(a, due + 1)).toBe(d + 1)
      }),
      RUNS,
    )
  })

  it('add(a, d) - a >= d, and add(a, 0) = nextOpening(a)', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (calendar, a, d) => {
        expect(calendar.add(a, d) - a).toBeGreaterThanOrEqual(d)
        expect(calendar.add(a, 0)).toBe(calendar.nextOpening(a))
      }),
      RUNS,
    )
  })

  it('elapsed is additive: elapsed(a, b) + elapsed(b, c) = elapsed(a, c)', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (calendar, x, y, z) => {
        const [a = 0, b = 0, c = 0] = sorted(x, y, z)
        expect(calendar.elapsed(a, b) + calendar.elapsed(b, c)).toBe(calendar.elapsed(a, c))
      }),
      RUNS,
    )
  })

  it('0 <= elapsed(a, b) <= b - a', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, (calendar, x, y) => {
        const [a = 0, b = 0] = sorted(x, y)
        const elapsed = calendar.elapsed(a, b)
        expect(elapsed).toBeGreaterThanOrEqual(0)
        expect(elapsed).toBeLessThanOrEqual(b - a)
      }),
      RUNS,
    )
  })

  it('add is monotonic in the start and in the duration', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        instantArb,
        durationArb,
        durationArb,
        (calendar, x, y, d1, d2) => {
          const [a = 0, b = 0] = sorted(x, y)
          const [shorter = 0, longer = 0] = sorted(d1, d2)
          expect(calendar.add(a, shorter)).toBeLessThanOrEqual(calendar.add(b, shorter))
          expect(calendar.add(a, shorter)).toBeLessThanOrEqual(calendar.add(a, longer))
        },
      ),
      RUNS,
    )
  })

  it('isOpen agrees with elapsed, and nextOpening is the first open instant', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (calendar, t) => {
        expect(calendar.isOpen(t)).toBe(calendar.elapsed(t, t + 1) === 1)
        const opening = calendar.nextOpening(t)
        expect(opening).toBeGreaterThanOrEqual(t)
        expect(calendar.isOpen(opening)).toBe(true)
        expect(calendar.elapsed(t, opening)).toBe(0)
      }),
      RUNS,
    )
  })

  it('nextBusinessDayAt is after t, and on an open day at opening-time hours', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (calendar, t) => {
        const due = calendar.nextBusinessDayAt(t, '10:00')
        expect(due).toBeGreaterThan(t)
        // Every calendar here opens some time in the 36 h around 10:00 on a business day
        expect(calendar.elapsed(due - 18 * HOUR, due + 18 * HOUR)).toBeGreaterThan(0)
      }),
      RUNS,
    )
  })
})

/** A clock started at `start`, toggled after each gap, and stopped if asked. */
function clockFrom(calendarId: string, start: number, gaps: number[], stop: boolean): SlaClock {
  let clock = startClock(calendarId, start)
  let now = start
  gaps.forEach((gap, index) => {
    now += gap
    clock = index % 2 === 0 ? pauseClock(clock, now) : resumeClock(clock, now)
  })
  return stop ? stopClock(clock, now + 1) : clock
}

const clockArb = fc
  .tuple(
    calendarArb,
    fc.integer({ min: FIRST, max: LAST - 30 * 24 * HOUR }),
    fc.array(fc.integer({ min: 0, max: 3 * 24 * HOUR }), { maxLength: 6 }),
    fc.boolean(),
  )
  .map(([calendar, start, gaps, stop]) => ({
    calendar,
    clock: clockFrom(calendar.id, start, gaps, stop),
  }))

describe('SLA clock properties', () => {
  it('elapsed of a paused-then-resumed clock is the sum over its runs', () => {
    fc.assert(
      fc.property(clockArb, ({ calendar, clock }) => {
        const now = LAST + 60 * 24 * HOUR
        const sumOfRuns = clock.runs.reduce(
          (sum, run) => sum + calendar.elapsed(run.start, run.end ?? now),
          0,
        )
        expect(clockElapsed(clock, calendar, now)).toBe(sumOfRuns)
      }),
      RUNS,
    )
  })

  it('clockReachesAt agrees with clockElapsed', () => {
    fc.assert(
      fc.property(
        clockArb,
        fc.integer({ min: 0, max: 60 * HOUR }),
        ({ calendar, clock }, threshold) => {
          const reachedAt = clockReachesAt(clock, calendar, threshold)
          const lastRun = clock.runs.at(-1)
          if (reachedAt === null) {
            expect(lastRun?.end).toBeDefined()
            expect(clockElapsed(clock, calendar, lastRun?.end ?? 0)).toBeLessThanOrEqual(threshold)
          } else {
            // The clock shows the threshold at that instant and exceeds it right after
            expect(clockElapsed(clock, calendar, reachedAt)).toBe(threshold)
            expect(clockElapsed(clock, calendar, reachedAt + 1)).toBe(threshold + 1)
          }
        },
      ),
      RUNS,
    )
  })
})
