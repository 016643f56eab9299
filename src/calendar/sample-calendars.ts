import type { CalendarDefinition, OpeningInterval } from './calendar-definition.js'

/** Sample calendar definitions, shared by the tests and the benchmark. */

const weekdays = (hours: readonly OpeningInterval[]): CalendarDefinition['weeklyHours'] => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
})

const allDay: readonly OpeningInterval[] = [{ start: '00:00', end: '24:00' }]

/** The seed's sales floor: New York, Mon–Fri 08:00–18:00, US public holidays. */
export const newYorkSales: CalendarDefinition = {
  id: 'ny-sales',
  timeZone: 'America/New_York',
  weeklyHours: weekdays([{ start: '08:00', end: '18:00' }]),
  holidays: { country: 'US' },
}

/** Open around the clock, so DST transitions fall inside open time. */
export const alwaysOpen = (timeZone: string): CalendarDefinition => ({
  id: `always-${timeZone}`,
  timeZone,
  weeklyHours: { ...weekdays(allDay), sat: allDay, sun: allDay },
})

/** Sunday night shift; its hours contain the 02:00 DST transitions of New York. */
export const newYorkSundayNights: CalendarDefinition = {
  id: 'ny-sunday-nights',
  timeZone: 'America/New_York',
  weeklyHours: { sun: [{ start: '00:00', end: '06:00' }] },
}

export const londonSupport: CalendarDefinition = {
  id: 'london-support',
  timeZone: 'Europe/London',
  weeklyHours: { ...weekdays([{ start: '09:00', end: '17:00' }]), sat: allDay, sun: allDay },
  holidays: { country: 'GB', state: 'ENG' },
}

/** Two shifts a day with a lunch break, NSW holidays. */
export const sydneySplitShifts: CalendarDefinition = {
  id: 'sydney-split',
  timeZone: 'Australia/Sydney',
  weeklyHours: {
    ...weekdays([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]),
    sun: [{ start: '01:00', end: '04:00' }],
  },
  holidays: { country: 'AU', state: 'NSW' },
}

export const kolkataOffice: CalendarDefinition = {
  id: 'kolkata-office',
  timeZone: 'Asia/Kolkata',
  weeklyHours: weekdays([{ start: '09:30', end: '18:30' }]),
  holidays: { country: 'IN' },
}
