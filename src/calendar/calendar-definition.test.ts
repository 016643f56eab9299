import { describe, expect, it } from 'vitest'
import { createBusinessCalendar } from './business-calendar.js'
import { checkCalendarDefinition } from './calendar-definition.js'
import type { CalendarDefinition } from './calendar-definition.js'
import { CalendarError } from './calendar-error.js'
import { newYorkSales } from './sample-calendars.js'

function creationError(definition: CalendarDefinition): CalendarError {
  try {
    createBusinessCalendar(definition)
  } catch (error) {
    if (error instanceof CalendarError) {
      return error
    }
    throw error
  }
  throw new Error('expected createBusinessCalendar to throw a CalendarError')
}

const withMonday = (hours: { start: string; end: string }[]): CalendarDefinition => ({
  ...newYorkSales,
  weeklyHours: { mon: hours },
})

describe('createBusinessCalendar rejects bad definitions with a code and a clear message', () => {
  it('unknown time zone', () => {
    expect(creationError({ ...newYorkSales, timeZone: 'Mars/Olympus_Mons' })).toMatchObject({
      code: 'CALENDAR.UNKNOWN_TIME_ZONE',
      message:
        'time zone "Mars/Olympus_Mons" is not a known IANA time zone; use a name such as "America/New_York" or "Europe/London"',
    })
  })

  it('interval ending before it starts', () => {
    expect(creationError(withMonday([{ start: '18:00', end: '08:00' }]))).toMatchObject({
      code: 'CALENDAR.END_BEFORE_START',
      message:
        'monday hours "18:00-08:00" do not end after they start; an interval\'s end must be later than its start (use 24:00 for midnight)',
    })
  })

  it('overlapping intervals', () => {
    const definition = withMonday([
      { start: '09:00', end: '12:00' },
      { start: '11:00', end: '13:00' },
    ])
    expect(creationError(definition)).toMatchObject({
      code: 'CALENDAR.OVERLAPPING_HOURS',
      message:
        'monday hours "09:00-12:00" and "11:00-13:00" overlap; intervals within a day must not overlap',
    })
  })

  it('empty week', () => {
    expect(creationError({ ...newYorkSales, weeklyHours: { mon: [], sat: [] } })).toMatchObject({
      code: 'CALENDAR.EMPTY_WEEK',
      message: 'weeklyHours has no opening intervals; at least one day of the week must be open',
    })
  })

  it('malformed HH:MM', () => {
    expect(creationError(withMonday([{ start: '9:00', end: '17:00' }]))).toMatchObject({
      code: 'CALENDAR.INVALID_TIME',
      message:
        'monday hours start "9:00" is not a valid time; use "HH:MM" from 00:00 to 23:59 (an end may be 24:00)',
    })
    expect(creationError(withMonday([{ start: '09:00', end: '24:30' }]))).toMatchObject({
      code: 'CALENDAR.INVALID_TIME',
      message:
        'monday hours end "24:30" is not a valid time; use "HH:MM" from 00:00 to 23:59 (an end may be 24:00)',
    })
  })

  it('unknown holiday country, state and region', () => {
    expect(creationError({ ...newYorkSales, holidays: { country: 'XX' } })).toMatchObject({
      code: 'CALENDAR.UNKNOWN_HOLIDAY_REGION',
      message:
        'holiday country "XX" is not supported; use an ISO 3166-1 alpha-2 code known to date-holidays, e.g. "US", "GB" or "DE"',
    })
    expect(
      creationError({ ...newYorkSales, holidays: { country: 'GB', state: 'XYZ' } }),
    ).toMatchObject({
      code: 'CALENDAR.UNKNOWN_HOLIDAY_REGION',
      message: 'holiday state "XYZ" is not a state of "GB"; use one of: ALD, ENG, NIR, SCT, WLS',
    })
    expect(
      creationError({ ...newYorkSales, holidays: { country: 'US', state: 'CA', region: 'SF' } }),
    ).toMatchObject({
      code: 'CALENDAR.UNKNOWN_HOLIDAY_REGION',
      message: 'holiday region "SF" is not a region of "US-CA"; use one of: LA',
    })
  })

  it('unknown holiday type', () => {
    const definition = { ...newYorkSales, holidays: { country: 'US', types: ['federal'] } }
    expect(creationError(definition)).toMatchObject({
      code: 'CALENDAR.UNKNOWN_HOLIDAY_TYPE',
      message: 'holiday type "federal" is unknown; use public, bank, optional, school, observance',
    })
  })

  it('invalid closed date and closure', () => {
    expect(creationError({ ...newYorkSales, closedDates: ['2026-02-30'] })).toMatchObject({
      code: 'CALENDAR.INVALID_DATE',
      message:
        'closed date "2026-02-30" is not a valid date; use a real calendar date "YYYY-MM-DD"',
    })
    const backwards = { from: '2026-03-10T12:00', to: '2026-03-10T09:00' }
    expect(creationError({ ...newYorkSales, closures: [backwards] })).toMatchObject({
      code: 'CALENDAR.END_BEFORE_START',
      message:
        'closure from "2026-03-10T12:00" to "2026-03-10T09:00" does not end after it starts; "to" must be later than "from"',
    })
  })
})

describe('checkCalendarDefinition', () => {
  it('accepts a valid definition', () => {
    expect(checkCalendarDefinition(newYorkSales)).toEqual([])
  })

  it('reports every problem with its path, without throwing', () => {
    const definition: CalendarDefinition = {
      id: ' ',
      timeZone: 'Nowhere/Special',
      weeklyHours: {
        mon: [
          { start: '08:00', end: '18:00' },
          { start: '10:00', end: '11:00' },
          { start: '12:00', end: '13:00' },
        ],
        tue: [{ start: '08:00', end: '8pm' }],
      },
      holidays: { country: 'US', region: 'LA' },
      closedDates: ['2026-13-01'],
      closures: [{ from: '2026-03-10 12:00', to: '2026-03-10T13:00' }],
    }
    expect(checkCalendarDefinition(definition).map(({ path, code }) => ({ path, code }))).toEqual([
      { path: ['id'], code: 'CALENDAR.INVALID_ID' },
      { path: ['timeZone'], code: 'CALENDAR.UNKNOWN_TIME_ZONE' },
      { path: ['weeklyHours', 'mon', 1], code: 'CALENDAR.OVERLAPPING_HOURS' },
      { path: ['weeklyHours', 'mon', 2], code: 'CALENDAR.OVERLAPPING_HOURS' },
      { path: ['weeklyHours', 'tue', 0], code: 'CALENDAR.INVALID_TIME' },
      { path: ['holidays', 'region'], code: 'CALENDAR.UNKNOWN_HOLIDAY_REGION' },
      { path: ['closedDates', 0], code: 'CALENDAR.INVALID_DATE' },
      { path: ['closures', 0, 'from'], code: 'CALENDAR.INVALID_DATE' },
    ])
  })

  it('names the overlapping pair in definition order, also beyond neighbours', () => {
    const problems = checkCalendarDefinition({
      ...newYorkSales,
      weeklyHours: {
        fri: [
          { start: '12:00', end: '13:00' },
          { start: '08:00', end: '18:00' },
        ],
      },
    })
    expect(problems).toEqual([
      {
        path: ['weeklyHours', 'fri', 1],
        code: 'CALENDAR.OVERLAPPING_HOURS',
        message:
          'friday hours "12:00-13:00" and "08:00-18:00" overlap; intervals within a day must not overlap',
      },
    ])
  })

  it('accepts touching intervals and an end of 24:00', () => {
    expect(
      checkCalendarDefinition(
        withMonday([
          { start: '00:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ]),
      ),
    ).toEqual([])
  })
})
