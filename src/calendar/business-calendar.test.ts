import { describe, expect, it } from 'vitest'
import { createBusinessCalendar } from './business-calendar.js'
import type { CalendarDefinition } from './calendar-definition.js'
import {
  alwaysOpen,
  kolkataOffice,
  londonSupport,
  newYorkSales,
  newYorkSundayNights,
} from './sample-calendars.js'

const HOUR = 3_600_000
const MINUTE = 60_000
const at = (isoWithOffset: string): number => Date.parse(isoWithOffset)
const iso = (t: number): string => new Date(t).toISOString()

describe('New York sales calendar (Mon–Fri 08:00–18:00, US public holidays)', () => {
  const calendar = createBusinessCalendar(newYorkSales)

  it('exposes its identity and a 10 h business day', () => {
    expect(calendar.id).toBe('ny-sales')
    expect(calendar.timeZone).toBe('America/New_York')
    expect(calendar.businessDayMs).toBe(10 * HOUR)
  })

  it('is open from 08:00 up to but not including 18:00', () => {
    expect(calendar.isOpen(at('2026-03-03T07:59:59.999-05:00'))).toBe(false)
    expect(calendar.isOpen(at('2026-03-03T08:00:00-05:00'))).toBe(true)
    expect(calendar.isOpen(at('2026-03-03T17:59:59.999-05:00'))).toBe(true)
    expect(calendar.isOpen(at('2026-03-03T18:00:00-05:00'))).toBe(false)
    expect(calendar.isOpen(at('2026-03-07T12:00:00-05:00'))).toBe(false) // Saturday
  })

  it('finds the next opening', () => {
    const tuesdayNoon = at('2026-03-03T12:00:00-05:00')
    expect(calendar.nextOpening(tuesdayNoon)).toBe(tuesdayNoon)
    // Tue 19:00 → Wed 08:00 EST
    expect(iso(calendar.nextOpening(at('2026-03-03T19:00:00-05:00')))).toBe(
      '2026-03-04T13:00:00.000Z',
    )
    // Fri 18:00 EST → Mon 08:00 EDT, across the spring-forward weekend
    expect(iso(calendar.nextOpening(at('2026-03-06T18:00:00-05:00')))).toBe(
      '2026-03-09T12:00:00.000Z',
    )
  })

  it('adds business time within a day and across nights and weekends', () => {
    // Tue 09:00 + 3 h = Tue 12:00 EST
    expect(iso(calendar.add(at('2026-03-03T09:00:00-05:00'), 3 * HOUR))).toBe(
      '2026-03-03T17:00:00.000Z',
    )
    // Thu 16:00 + 4 h = Fri 10:00 EST
    expect(iso(calendar.add(at('2026-03-05T16:00:00-05:00'), 4 * HOUR))).toBe(
      '2026-03-06T15:00:00.000Z',
    )
    // Sat 12:00 + 1 h = Mon 09:00 EDT
    expect(iso(calendar.add(at('2026-03-07T12:00:00-05:00'), HOUR))).toBe(
      '2026-03-09T13:00:00.000Z',
    )
  })

  it('lands a budget used up exactly at closing on the next opening', () => {
    // Fri 17:55 + 5 min: the 5 minutes end at 18:00, the deadline is Mon 08:00 EDT
    expect(iso(calendar.add(at('2026-03-06T17:55:00-05:00'), 5 * MINUTE))).toBe(
      '2026-03-09T12:00:00.000Z',
    )
  })

  it('adds zero as the next opening', () => {
    const open = at('2026-03-03T10:00:00-05:00')
    expect(calendar.add(open, 0)).toBe(open)
    expect(iso(calendar.add(at('2026-03-03T19:00:00-05:00'), 0))).toBe('2026-03-04T13:00:00.000Z')
  })

  it('measures elapsed business time in [from, to)', () => {
    // Tue 12:00 → Wed 12:00 EST: 6 h + 4 h
    expect(calendar.elapsed(at('2026-03-03T12:00:00-05:00'), at('2026-03-04T12:00:00-05:00'))).toBe(
      10 * HOUR,
    )
    // Fri 17:00 EST → Mon 09:00 EDT: 1 h + 1 h
    expect(calendar.elapsed(at('2026-03-06T17:00:00-05:00'), at('2026-03-09T09:00:00-04:00'))).toBe(
      2 * HOUR,
    )
    const t = at('2026-03-03T12:00:00-05:00')
    expect(calendar.elapsed(t, t)).toBe(0)
  })

  it('skips public holidays when measuring and adding', () => {
    // Wed 12:00 → Fri 12:00 EST around Thanksgiving (Thu 2026-11-26): 6 h + 4 h
    expect(calendar.elapsed(at('2026-11-25T12:00:00-05:00'), at('2026-11-27T12:00:00-05:00'))).toBe(
      10 * HOUR,
    )
    expect(calendar.isOpen(at('2026-11-26T10:00:00-05:00'))).toBe(false)
    // Thu 2026-07-02 17:00 + 2 h skips the observed Independence Day (Fri 07-03): Mon 09:00 EDT
    expect(iso(calendar.add(at('2026-07-02T17:00:00-04:00'), 2 * HOUR))).toBe(
      '2026-07-06T13:00:00.000Z',
    )
  })

  it('ignores holiday types that were not selected', () => {
    // Day after Thanksgiving is an observance in date-holidays, so the office is open
    expect(calendar.isOpen(at('2026-11-27T10:00:00-05:00'))).toBe(true)
    const withObservances = createBusinessCalendar({
      ...newYorkSales,
      holidays: { country: 'US', types: ['public', 'observance'] },
    })
    expect(withObservances.isOpen(at('2026-11-27T10:00:00-05:00'))).toBe(false)
  })

  it('gives local time on the first business day that opens after t', () => {
    // Fri 20:00 → Mon 10:00 EDT
    expect(iso(calendar.nextBusinessDayAt(at('2026-03-06T20:00:00-05:00'), '10:00'))).toBe(
      '2026-03-09T14:00:00.000Z',
    )
    // Mon 06:00, before Monday opens → Mon 10:00 EDT
    expect(iso(calendar.nextBusinessDayAt(at('2026-03-09T06:00:00-04:00'), '10:00'))).toBe(
      '2026-03-09T14:00:00.000Z',
    )
    // Mon 09:00, Monday already open → Tue 10:00 EDT
    expect(iso(calendar.nextBusinessDayAt(at('2026-03-09T09:00:00-04:00'), '10:00'))).toBe(
      '2026-03-10T14:00:00.000Z',
    )
    // Wed 19:00 before Thanksgiving → Fri 10:00 EST
    expect(iso(calendar.nextBusinessDayAt(at('2026-11-25T19:00:00-05:00'), '10:00'))).toBe(
      '2026-11-27T15:00:00.000Z',
    )
    // Mon 07:00, but 06:00 Monday is already past → Tue 06:00 EDT
    expect(iso(calendar.nextBusinessDayAt(at('2026-03-09T07:00:00-04:00'), '06:00'))).toBe(
      '2026-03-10T10:00:00.000Z',
    )
  })

  it('works in any supported year, building its table where queries fall', () => {
    // Mon 2199-12-30 17:00 + 1 h = Tue 2199-12-31 08:00 EST
    expect(
      iso(createBusinessCalendar(newYorkSales).add(at('2199-12-30T17:00:00-05:00'), HOUR)),
    ).toBe('2199-12-31T13:00:00.000Z')
    // Wed 1969-12-31 17:00 → Fri 1970-01-02 09:00 EST, skipping New Year's Day
    expect(
      createBusinessCalendar(newYorkSales).elapsed(
        at('1969-12-31T17:00:00-05:00'),
        at('1970-01-02T09:00:00-05:00'),
      ),
    ).toBe(2 * HOUR)
  })
})

describe('several intervals a day, closures and closed dates', () => {
  const splitDay: CalendarDefinition = {
    id: 'berlin-split',
    timeZone: 'Europe/Berlin',
    weeklyHours: {
      mon: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
      tue: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    },
  }
  const calendar = createBusinessCalendar(splitDay)

  it('counts only the intervals, not the break', () => {
    expect(calendar.businessDayMs).toBe(7 * HOUR)
    // Mon 2026-03-02 10:00 → 14:00 CET: 2 h + 1 h
    expect(calendar.elapsed(at('2026-03-02T10:00:00+01:00'), at('2026-03-02T14:00:00+01:00'))).toBe(
      3 * HOUR,
    )
    // A whole Monday, then Tuesday morning: 7 h + 3 h
    expect(calendar.elapsed(at('2026-03-02T00:00:00+01:00'), at('2026-03-03T12:30:00+01:00'))).toBe(
      10 * HOUR,
    )
    expect(calendar.isOpen(at('2026-03-02T12:30:00+01:00'))).toBe(false)
  })

  it('carries added time over the break', () => {
    // 11:30 + 1 h = 13:30 CET
    expect(iso(calendar.add(at('2026-03-02T11:30:00+01:00'), HOUR))).toBe(
      '2026-03-02T12:30:00.000Z',
    )
    // 11:00 + 1 h ends at 12:00 exactly, so the deadline is the 13:00 reopening
    expect(iso(calendar.add(at('2026-03-02T11:00:00+01:00'), HOUR))).toBe(
      '2026-03-02T12:00:00.000Z',
    )
    // Tue 16:00 + 2 h = next Mon 10:00 CET
    expect(iso(calendar.add(at('2026-03-03T16:00:00+01:00'), 2 * HOUR))).toBe(
      '2026-03-09T09:00:00.000Z',
    )
  })

  it('next business day at a local time skips the rest of an open day', () => {
    // Mon 12:30 (lunch): Monday opened at 09:00 already, so Tuesday 10:00 CET
    expect(iso(calendar.nextBusinessDayAt(at('2026-03-02T12:30:00+01:00'), '10:00'))).toBe(
      '2026-03-03T09:00:00.000Z',
    )
  })

  it('closes for a one-off closure', () => {
    const calendarWithClosure = createBusinessCalendar({
      ...newYorkSales,
      closures: [{ from: '2026-03-10T12:00', to: '2026-03-11T10:00', reason: 'offsite' }],
    })
    // Tue 08:00 → Wed 18:00 EDT: 4 h Tuesday, 8 h Wednesday
    expect(
      calendarWithClosure.elapsed(at('2026-03-10T08:00:00-04:00'), at('2026-03-11T18:00:00-04:00')),
    ).toBe(12 * HOUR)
    // Tue 13:00 → Wed 10:00 EDT
    expect(iso(calendarWithClosure.nextOpening(at('2026-03-10T13:00:00-04:00')))).toBe(
      '2026-03-11T14:00:00.000Z',
    )
  })

  it('closes whole closed dates and treats them as non-business days', () => {
    const calendarWithClosedDate = createBusinessCalendar({
      ...newYorkSales,
      closedDates: ['2026-03-12'],
    })
    // Wed 12:00 → Fri 12:00 EDT without Thursday: 6 h + 4 h
    expect(
      calendarWithClosedDate.elapsed(
        at('2026-03-11T12:00:00-04:00'),
        at('2026-03-13T12:00:00-04:00'),
      ),
    ).toBe(10 * HOUR)
    expect(calendarWithClosedDate.isOpen(at('2026-03-12T10:00:00-04:00'))).toBe(false)
    // Wed 19:00 → Fri 10:00 EDT
    expect(
      iso(calendarWithClosedDate.nextBusinessDayAt(at('2026-03-11T19:00:00-04:00'), '10:00')),
    ).toBe('2026-03-13T14:00:00.000Z')
  })
})

describe('DST: open time is real time', () => {
  it('New York around the clock: 47 h over spring forward, 49 h over fall back', () => {
    const calendar = createBusinessCalendar(alwaysOpen('America/New_York'))
    expect(calendar.businessDayMs).toBe(24 * HOUR)
    // Sat 2026-03-07 12:00 EST → Mon 12:00 EDT
    expect(calendar.elapsed(at('2026-03-07T12:00:00-05:00'), at('2026-03-09T12:00:00-04:00'))).toBe(
      47 * HOUR,
    )
    // Sat 2026-10-31 12:00 EDT → Mon 11-02 12:00 EST
    expect(calendar.elapsed(at('2026-10-31T12:00:00-04:00'), at('2026-11-02T12:00:00-05:00'))).toBe(
      49 * HOUR,
    )
    // Sun 2026-11-01 00:30 EDT + 2 h = 01:30 EST, the second 01:30 of the night
    expect(iso(calendar.add(at('2026-11-01T00:30:00-04:00'), 2 * HOUR))).toBe(
      '2026-11-01T06:30:00.000Z',
    )
  })

  it('New York Sunday night shift 00:00–06:00 lasts 5 h in March and 7 h in November', () => {
    const calendar = createBusinessCalendar(newYorkSundayNights)
    expect(calendar.businessDayMs).toBe(6 * HOUR)
    // Sun 2026-03-08 00:00 EST → 06:00 EDT
    expect(calendar.elapsed(at('2026-03-07T12:00:00-05:00'), at('2026-03-08T12:00:00-04:00'))).toBe(
      5 * HOUR,
    )
    // Sun 2026-11-01 00:00 EDT → 06:00 EST
    expect(calendar.elapsed(at('2026-10-31T12:00:00-04:00'), at('2026-11-01T12:00:00-05:00'))).toBe(
      7 * HOUR,
    )
    // 00:00 EST + 4 h real = 05:00 EDT
    expect(iso(calendar.add(at('2026-03-08T00:00:00-05:00'), 4 * HOUR))).toBe(
      '2026-03-08T09:00:00.000Z',
    )
    // 5 h uses up the shortened night: the deadline is the next Sunday 00:00 EDT
    expect(iso(calendar.add(at('2026-03-08T00:00:00-05:00'), 5 * HOUR))).toBe(
      '2026-03-15T04:00:00.000Z',
    )
  })

  it('moves a start inside the spring-forward gap forward as Luxon does', () => {
    const calendar = createBusinessCalendar({
      id: 'ny-gap',
      timeZone: 'America/New_York',
      weeklyHours: { sun: [{ start: '02:30', end: '04:00' }] },
    })
    // 2026-03-08 02:30 does not exist and becomes 03:30 EDT, leaving 30 minutes until 04:00
    expect(iso(calendar.nextOpening(at('2026-03-08T00:00:00-05:00')))).toBe(
      '2026-03-08T07:30:00.000Z',
    )
    expect(calendar.elapsed(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(
      30 * MINUTE,
    )
    // A normal Sunday has 1.5 h
    expect(calendar.elapsed(at('2026-03-15T00:00:00-04:00'), at('2026-03-16T00:00:00-04:00'))).toBe(
      90 * MINUTE,
    )
  })

  it('London around the clock: 47 h and 49 h; weekday hours keep their wall times', () => {
    const always = createBusinessCalendar(alwaysOpen('Europe/London'))
    // Sat 2026-03-28 12:00 GMT → Mon 12:00 BST
    expect(always.elapsed(at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00+01:00'))).toBe(
      47 * HOUR,
    )
    // Sat 2026-10-24 12:00 BST → Mon 12:00 GMT
    expect(always.elapsed(at('2026-10-24T12:00:00+01:00'), at('2026-10-26T12:00:00Z'))).toBe(
      49 * HOUR,
    )

    const support = createBusinessCalendar(londonSupport)
    // Open all weekend: Sun 2026-03-29 has 23 h, Sun 2026-10-25 has 25 h
    expect(support.elapsed(at('2026-03-29T00:00:00Z'), at('2026-03-30T00:00:00+01:00'))).toBe(
      23 * HOUR,
    )
    expect(support.elapsed(at('2026-10-25T00:00:00+01:00'), at('2026-10-26T00:00:00Z'))).toBe(
      25 * HOUR,
    )
    // Fri 2026-03-27 16:00 GMT + 1 h 30 min (17:00 then all weekend) = Sat 00:30 GMT
    expect(iso(support.add(at('2026-03-27T16:00:00Z'), 90 * MINUTE))).toBe(
      '2026-03-28T00:30:00.000Z',
    )
    // Mon 2026-03-30 09:00 BST is 08:00 UTC
    expect(iso(support.nextOpening(at('2026-03-30T00:00:00+01:00')))).toBe(
      '2026-03-30T08:00:00.000Z',
    )
  })

  it('Sydney around the clock: Sunday has 25 h in April and 23 h in October', () => {
    const calendar = createBusinessCalendar(alwaysOpen('Australia/Sydney'))
    // Sun 2026-04-05 00:00 AEDT → Mon 00:00 AEST
    expect(calendar.elapsed(at('2026-04-05T00:00:00+11:00'), at('2026-04-06T00:00:00+10:00'))).toBe(
      25 * HOUR,
    )
    // Sun 2026-10-04 00:00 AEST → Mon 00:00 AEDT
    expect(calendar.elapsed(at('2026-10-04T00:00:00+10:00'), at('2026-10-05T00:00:00+11:00'))).toBe(
      23 * HOUR,
    )
    // 3 h after midnight is the first 02:00 (AEDT), 4 h the second (AEST)
    expect(iso(calendar.add(at('2026-04-05T00:00:00+11:00'), 3 * HOUR))).toBe(
      '2026-04-04T16:00:00.000Z',
    )
    expect(iso(calendar.add(at('2026-04-05T00:00:00+11:00'), 4 * HOUR))).toBe(
      '2026-04-04T17:00:00.000Z',
    )
  })

  it('Kolkata (+05:30, no DST) skips Republic Day', () => {
    const calendar = createBusinessCalendar(kolkataOffice)
    expect(calendar.businessDayMs).toBe(9 * HOUR)
    // Fri 2026-01-23 18:00 IST + 1 h: 30 min Friday, Mon 26 is Republic Day, Tue 09:30 + 30 min
    expect(iso(calendar.add(at('2026-01-23T18:00:00+05:30'), HOUR))).toBe(
      '2026-01-27T04:30:00.000Z',
    )
    // Mon 2026-03-02 09:30 IST is 04:00 UTC
    expect(iso(calendar.nextOpening(at('2026-03-01T12:00:00+05:30')))).toBe(
      '2026-03-02T04:00:00.000Z',
    )
    // Tue 2026-03-03 12:00 → Wed 12:00 IST: 6 h 30 min + 2 h 30 min
    expect(calendar.elapsed(at('2026-03-03T12:00:00+05:30'), at('2026-03-04T12:00:00+05:30'))).toBe(
      9 * HOUR,
    )
  })
})

describe('rejects bad arguments with a code and a clear message', () => {
  const calendar = createBusinessCalendar(newYorkSales)

  it('elapsed with the end before the start', () => {
    expect(() =>
      calendar.elapsed(at('2026-03-04T12:00:00Z'), at('2026-03-03T12:00:00Z')),
    ).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.END_BEFORE_START',
        message:
          'elapsed time from 2026-03-04T12:00:00.000Z to 2026-03-03T12:00:00.000Z is undefined because the end is before the start; pass to >= from',
      }),
    )
  })

  it('an instant that is not a finite number', () => {
    expect(() => calendar.isOpen(Number.NaN)).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.INVALID_INSTANT',
        message: 'instant NaN is not valid; use epoch milliseconds that a Date can represent',
      }),
    )
  })

  it('an instant outside the supported years', () => {
    expect(() => calendar.nextOpening(at('2250-06-01T00:00:00Z'))).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.OUT_OF_RANGE',
        message:
          'instant 2250-06-01T00:00:00.000Z is in local year 2250; supported years are 1900 to 2199',
      }),
    )
  })

  it('a negative business duration', () => {
    expect(() => calendar.add(at('2026-03-03T12:00:00Z'), -1)).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.INVALID_DURATION',
        message: 'business duration -1 is not allowed; use a finite number of milliseconds >= 0',
      }),
    )
  })

  it('a malformed local time for nextBusinessDayAt', () => {
    expect(() => calendar.nextBusinessDayAt(at('2026-03-03T12:00:00Z'), '10am')).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.INVALID_TIME',
        message: 'local time "10am" is not a valid time; use "HH:MM" from 00:00 to 24:00',
      }),
    )
  })

  it('a calendar that never opens again', () => {
    const closedForGood = createBusinessCalendar({
      ...newYorkSales,
      closures: [{ from: '2026-01-01T00:00', to: '2200-01-01T00:00', reason: 'closed for good' }],
    })
    expect(() => closedForGood.nextOpening(at('2198-06-01T00:00:00Z'))).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.OUT_OF_RANGE',
        message:
          'the calendar has no further open time before the end of 2199; supported years are 1900 to 2199',
      }),
    )
  })
})
