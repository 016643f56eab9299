import { IANAZone } from 'luxon'
import { CalendarError } from './calendar-error.js'
import type { CalendarErrorCode } from './calendar-error.js'
import { parseClockTime, parseLocalDate, parseLocalDateTime } from './civil-time.js'
import type { LocalDateTime } from './civil-time.js'
import { holidaySelectionProblems } from './holiday-dates.js'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
  sun: 'sunday',
}

/** Local wall-clock opening, 'HH:MM'; `end` may be '24:00'. */
export interface OpeningInterval {
  start: string
  end: string
}

/** date-holidays codes; `types` defaults to ['public']. */
export interface HolidaySelection {
  country: string
  state?: string
  region?: string
  types?: readonly string[]
}

/** One-off closure, local 'YYYY-MM-DDTHH:MM' in the calendar's zone. */
export interface Closure {
  from: string
  to: string
  reason?: string
}

export interface CalendarDefinition {
  id: string
  /** IANA zone, e.g. 'America/New_York'. */
  timeZone: string
  /** Several intervals a day are allowed; a missing day is closed. */
  weeklyHours: Partial<Record<Weekday, readonly OpeningInterval[]>>
  holidays?: HolidaySelection
  /** Local 'YYYY-MM-DD' whole-day closures. */
  closedDates?: readonly string[]
  closures?: readonly Closure[]
}

/** A located problem; `path` is relative to the definition, e.g. ['weeklyHours', 'mon', 1]. */
export interface CalendarProblem {
  path: (string | number)[]
  code: CalendarErrorCode
  message: string
}

/** Opening minutes after local midnight, [start, end) with end ≤ 1440. */
export interface DailyInterval {
  start: number
  end: number
}

/** A checked definition in numbers: the form the calendar is built from. */
export interface ParsedCalendar {
  id: string
  timeZone: string
  /** Index 0 = Monday; each day sorted, touching intervals joined. */
  dailyIntervals: DailyInterval[][]
  holidays?: HolidaySelection
  closedDays: number[]
  closures: { from: LocalDateTime; to: LocalDateTime }[]
}

interface Analysis {
  problems: CalendarProblem[]
  parsed: ParsedCalendar
}

function isWeekday(key: string): key is Weekday {
  return (WEEKDAYS as readonly string[]).includes(key)
}

function formatInterval({ start, end }: OpeningInterval): string {
  return `"${start}-${end}"`
}

function compareLocalDateTimes(a: LocalDateTime, b: LocalDateTime): number {
  return a.epochDay - b.epochDay || a.minuteOfDay - b.minuteOfDay
}

/** Checks one day's intervals; returns the valid ones sorted and joined where they touch. */
function analyseDay(
  weekday: Weekday,
  intervals: readonly OpeningInterval[],
  problems: CalendarProblem[],
): DailyInterval[] {
  const dayName = WEEKDAY_NAMES[weekday]
  const valid: { index: number; interval: OpeningInterval; minutes: DailyInterval }[] = []
  intervals.forEach((interval, index) => {
    const path = ['weeklyHours', weekday, index]
    const start = parseClockTime(interval.start, false)
    const end = parseClockTime(interval.end, true)
    if (start === undefined || end === undefined) {
      const [field, text] = start === undefined ? ['start', interval.start] : ['end', interval.end]
      problems.push({
        path,
        code: 'CALENDAR.INVALID_TIME',
        message: `${dayName} hours ${field} "${text}" is not a valid time; use "HH:MM" from 00:00 to 23:59 (an end may be 24:00)`,
      })
    } else if (end <= start) {
      problems.push({
        path,
        code: 'CALENDAR.END_BEFORE_START',
        message: `${dayName} hours ${formatInterval(interval)} do not end after they start; an interval's end must be later than its start (use 24:00 for midnight)`,
      })
    } else {
      valid.push({ index, interval, minutes: { start, end } })
    }
  })
  valid.sort((a, b) => a.minutes.start - b.minutes.start)
  const joined: DailyInterval[] = []
  let furthest: (typeof valid)[number] | undefined
  for (const current of valid) {
    // Compare with the interval reaching furthest so far, which catches overlaps beyond neighbours.
    if (furthest && current.minutes.start < furthest.minutes.end) {
      const [first, second] =
        furthest.index < current.index ? [furthest, current] : [current, furthest]
      problems.push({
        path: ['weeklyHours', weekday, second.index],
        code: 'CALENDAR.OVERLAPPING_HOURS',
        message: `${dayName} hours ${formatInterval(first.interval)} and ${formatInterval(second.interval)} overlap; intervals within a day must not overlap`,
      })
    }
    if (!furthest || current.minutes.end > furthest.minutes.end) {
      furthest = current
    }
    const last = joined.at(-1)
    if (last && current.minutes.start <= last.end) {
      last.end = Math.max(last.end, current.minutes.end)
    } else {
      joined.push({ ...current.minutes })
    }
  }
  return joined
}

function analyseWeeklyHours(
  weeklyHours: CalendarDefinition['weeklyHours'],
  problems: CalendarProblem[],
): DailyInterval[][] {
  const dailyIntervals: DailyInterval[][] = WEEKDAYS.map(() => [])
  const problemCountBefore = problems.length
  for (const [key, intervals = []] of Object.entries(weeklyHours)) {
    if (isWeekday(key)) {
      dailyIntervals[WEEKDAYS.indexOf(key)] = analyseDay(key, intervals, problems)
    } else {
      problems.push({
        path: ['weeklyHours', key],
        code: 'CALENDAR.UNKNOWN_WEEKDAY',
        message: `weeklyHours key "${key}" is not a weekday; use ${WEEKDAYS.join(', ')}`,
      })
    }
  }
  // An empty week caused by invalid intervals is already reported through those intervals.
  if (problems.length === problemCountBefore && dailyIntervals.every((day) => day.length === 0)) {
    problems.push({
      path: ['weeklyHours'],
      code: 'CALENDAR.EMPTY_WEEK',
      message: 'weeklyHours has no opening intervals; at least one day of the week must be open',
    })
  }
  return dailyIntervals
}

function analyseClosedDates(closedDates: readonly string[], problems: CalendarProblem[]): number[] {
  const closedDays: number[] = []
  closedDates.forEach((date, index) => {
    const epochDay = parseLocalDate(date)
    if (epochDay === undefined) {
      problems.push({
        path: ['closedDates', index],
        code: 'CALENDAR.INVALID_DATE',
        message: `closed date "${date}" is not a valid date; use a real calendar date "YYYY-MM-DD"`,
      })
    } else {
      closedDays.push(epochDay)
    }
  })
  return closedDays
}

function analyseClosures(
  closures: readonly Closure[],
  problems: CalendarProblem[],
): ParsedCalendar['closures'] {
  const parsedClosures: ParsedCalendar['closures'] = []
  closures.forEach((closure, index) => {
    const parsed = { from: parseLocalDateTime(closure.from), to: parseLocalDateTime(closure.to) }
    const { from, to } = parsed
    if (!from || !to) {
      for (const field of ['from', 'to'] as const) {
        if (!parsed[field]) {
          problems.push({
            path: ['closures', index, field],
            code: 'CALENDAR.INVALID_DATE',
            message: `closure ${field} "${closure[field]}" is not a valid local date-time; use "YYYY-MM-DDTHH:MM"`,
          })
        }
      }
    } else if (compareLocalDateTimes(to, from) <= 0) {
      problems.push({
        path: ['closures', index],
        code: 'CALENDAR.END_BEFORE_START',
        message: `closure from "${closure.from}" to "${closure.to}" does not end after it starts; "to" must be later than "from"`,
      })
    } else {
      parsedClosures.push({ from, to })
    }
  })
  return parsedClosures
}

function analyseCalendarDefinition(definition: CalendarDefinition): Analysis {
  const problems: CalendarProblem[] = []
  if (definition.id.trim() === '') {
    problems.push({
      path: ['id'],
      code: 'CALENDAR.INVALID_ID',
      message: 'calendar id is empty; give the calendar a non-empty id',
    })
  }
  if (!IANAZone.isValidZone(definition.timeZone)) {
    problems.push({
      path: ['timeZone'],
      code: 'CALENDAR.UNKNOWN_TIME_ZONE',
      message: `time zone "${definition.timeZone}" is not a known IANA time zone; use a name such as "America/New_York" or "Europe/London"`,
    })
  }
  const dailyIntervals = analyseWeeklyHours(definition.weeklyHours, problems)
  if (definition.holidays) {
    problems.push(...holidaySelectionProblems(definition.holidays))
  }
  const closedDays = analyseClosedDates(definition.closedDates ?? [], problems)
  const closures = analyseClosures(definition.closures ?? [], problems)
  const parsed: ParsedCalendar = {
    id: definition.id,
    timeZone: definition.timeZone,
    dailyIntervals,
    closedDays,
    closures,
    ...(definition.holidays && { holidays: definition.holidays }),
  }
  return { problems, parsed }
}

/** Every problem in the definition, located; never throws. An empty list means it is valid. */
export function checkCalendarDefinition(definition: CalendarDefinition): CalendarProblem[] {
  return analyseCalendarDefinition(definition).problems
}

/** The definition in numbers; throws CalendarError for the first problem. */
export function parseCalendarDefinition(definition: CalendarDefinition): ParsedCalendar {
  const { problems, parsed } = analyseCalendarDefinition(definition)
  const [first] = problems
  if (first) {
    throw new CalendarError(first.code, first.message)
  }
  return parsed
}
