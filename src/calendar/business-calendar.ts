import { parseCalendarDefinition } from './calendar-definition.js'
import type { CalendarDefinition, DailyInterval, ParsedCalendar } from './calendar-definition.js'
import { CalendarError } from './calendar-error.js'
import {
  epochDayOf,
  instantOfLocalTime,
  localYearOf,
  parseClockTime,
  weekdayIndexOf,
} from './civil-time.js'
import { holidayDaysByYear } from './holiday-dates.js'
import { mergeSortedSpans, OpenTimeTable } from './open-time-table.js'
import type { BusinessDay, Span, YearSchedule } from './open-time-table.js'

const MS_PER_MINUTE = 60_000

/**
 * Business-time arithmetic over one calendar. Instants are epoch ms, durations are ms, open time
 * is half-open: a calendar open 08:00–18:00 is open at 08:00 and closed at 18:00. DST is in real
 * time: a day whose opening spans a fall-back transition has one more hour of business time.
 */
export interface BusinessCalendar {
  readonly id: string
  readonly timeZone: string
  /**
   * Nominal business day: the most common non-zero daily open total in the weekly hours (the
   * longer one on a tie), e.g. 10 h for Mon–Fri 08:00–18:00. "N business days" = N * businessDayMs.
   */
  readonly businessDayMs: number
  isOpen(t: number): boolean
  /** t itself when open, else the next instant the calendar opens. */
  nextOpening(t: number): number
  /**
   * The instant by which `businessMs` of open time has elapsed after t: the last instant u with
   * elapsed(t, u) = businessMs. It is always open, so a budget used up exactly at closing time
   * lands on the next opening (17:55 Fri + 5 min = 08:00 Mon) and add(t, 0) = nextOpening(t).
   */
  add(t: number, businessMs: number): number
  /** Business ms in [from, to); throws CALENDAR.END_BEFORE_START if to < from. */
  elapsed(from: number, to: number): number
  /**
   * Local time `localTime` ('HH:MM') on the first business day that opens after t, skipping a day
   * on which that time would not be after t. A business day is a local date with open time left
   * after holidays, closed dates and closures. A lead at 06:00 before an 08:00 opening gets the
   * same day; one at 09:00 gets the next business day.
   */
  nextBusinessDayAt(t: number, localTime: string): number
}

function nominalBusinessDayMs(dailyIntervals: readonly DailyInterval[][]): number {
  const dayCountByTotal = new Map<number, number>()
  for (const intervals of dailyIntervals) {
    const total = intervals.reduce((sum, { start, end }) => sum + end - start, 0) * MS_PER_MINUTE
    if (total > 0) {
      dayCountByTotal.set(total, (dayCountByTotal.get(total) ?? 0) + 1)
    }
  }
  let best = { total: 0, dayCount: 0 }
  for (const [total, dayCount] of dayCountByTotal) {
    if (dayCount > best.dayCount || (dayCount === best.dayCount && total > best.total)) {
      best = { total, dayCount }
    }
  }
  return best.total
}

/** `spans` without the parts inside any of `removed`. */
function subtractSpans(spans: readonly Span[], removed: readonly Span[]): Span[] {
  return removed.reduce<Span[]>(
    (remaining, cut) =>
      remaining.flatMap((span) => {
        if (cut.end <= span.start || cut.start >= span.end) {
          return [span]
        }
        const pieces: Span[] = []
        if (span.start < cut.start) {
          pieces.push({ start: span.start, end: cut.start })
        }
        if (cut.end < span.end) {
          pieces.push({ start: cut.end, end: span.end })
        }
        return pieces
      }),
    [...spans],
  )
}

/** Turns the weekly hours into real instants year by year, in the calendar's zone. */
function yearScheduleBuilder(calendar: ParsedCalendar): (year: number) => YearSchedule {
  const { timeZone, dailyIntervals } = calendar
  const closedDays = new Set(calendar.closedDays)
  const holidayDays = calendar.holidays ? holidayDaysByYear(calendar.holidays) : undefined
  const closures = calendar.closures.map(({ from, to }) => ({
    start: instantOfLocalTime(timeZone, from.epochDay, from.minuteOfDay),
    end: instantOfLocalTime(timeZone, to.epochDay, to.minuteOfDay),
  }))
  return (year) => {
    const firstDay = epochDayOf({ year, month: 1, day: 1 })
    const nextYearFirstDay = epochDayOf({ year: year + 1, month: 1, day: 1 })
    const span = {
      start: instantOfLocalTime(timeZone, firstDay, 0),
      end: instantOfLocalTime(timeZone, nextYearFirstDay, 0),
    }
    const yearClosures = closures.filter((cut) => cut.start < span.end && cut.end > span.start)
    const holidays = holidayDays?.(year)
    const daySpans: Span[] = []
    const businessDays: BusinessDay[] = []
    for (let epochDay = firstDay; epochDay < nextYearFirstDay; epochDay++) {
      if (closedDays.has(epochDay) || holidays?.has(epochDay)) {
        continue
      }
      // Wall times map to instants in order (a DST gap only shifts them forward), so these stay
      // sorted; a shift may make neighbours overlap, which the merge below absorbs.
      const open = (dailyIntervals[weekdayIndexOf(epochDay)] ?? []).map(({ start, end }) => ({
        start: instantOfLocalTime(timeZone, epochDay, start),
        end: instantOfLocalTime(timeZone, epochDay, end),
      }))
      const remaining = subtractSpans(open, yearClosures)
      const first = remaining[0]
      if (first) {
        businessDays.push({ epochDay, opening: first.start })
        daySpans.push(...remaining)
      }
    }
    return { span, openSpans: mergeSortedSpans(daySpans), businessDays }
  }
}

export function createBusinessCalendar(definition: CalendarDefinition): BusinessCalendar {
  const calendar = parseCalendarDefinition(definition)
  const { id, timeZone } = calendar
  const table = new OpenTimeTable({
    yearOf: (t) => localYearOf(timeZone, t),
    buildYear: yearScheduleBuilder(calendar),
  })
  return Object.freeze({
    id,
    timeZone,
    businessDayMs: nominalBusinessDayMs(calendar.dailyIntervals),
    isOpen: (t: number) => table.isOpen(t),
    nextOpening: (t: number) => table.nextOpening(t),
    add: (t: number, businessMs: number) => table.add(t, businessMs),
    elapsed: (from: number, to: number) => table.elapsed(from, to),
    nextBusinessDayAt: (t: number, localTime: string) => {
      const minuteOfDay = parseClockTime(localTime, true)
      if (minuteOfDay === undefined) {
        throw new CalendarError(
          'CALENDAR.INVALID_TIME',
          `local time "${localTime}" is not a valid time; use "HH:MM" from 00:00 to 24:00`,
        )
      }
      let day = table.businessDayOpeningAfter(t)
      let at = instantOfLocalTime(timeZone, day.epochDay, minuteOfDay)
      while (at <= t) {
        day = table.businessDayOpeningAfter(day.opening)
        at = instantOfLocalTime(timeZone, day.epochDay, minuteOfDay)
      }
      return at
    },
  })
}
