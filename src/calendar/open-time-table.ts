import { assertDuration, CalendarError } from './calendar-error.js'
import { describeInstant, isValidInstant } from './civil-time.js'

/** A half-open span of instants [start, end), epoch ms. */
export interface Span {
  start: number
  end: number
}

/** A local date with open time, and the instant it first opens. */
export interface BusinessDay {
  epochDay: number
  opening: number
}

/** The open time of one local year of a calendar. */
export interface YearSchedule {
  /** Local Jan 1 00:00 of the year and of the next year: the instants the schedule covers. */
  span: Span
  /** Sorted, merged open spans starting within `span`. */
  openSpans: Span[]
  /** Ascending. */
  businessDays: BusinessDay[]
}

interface ScheduleSource {
  /** The local year containing instant `t`. */
  yearOf(t: number): number
  buildYear(year: number): YearSchedule
}

/** Bounds keep a calendar without enough open time (e.g. closed for good) from searching forever. */
const SUPPORTED_YEARS = { first: 1900, last: 2199 } as const

/** Joins overlapping and touching spans; `spans` must be sorted by start. */
export function mergeSortedSpans(spans: readonly Span[]): Span[] {
  const merged: Span[] = []
  for (const span of spans) {
    const last = merged.at(-1)
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end)
    } else if (span.end > span.start) {
      merged.push({ ...span })
    }
  }
  return merged
}

/** The first index in values[0, count) whose value is greater than x, or count. */
function upperBound(values: Float64Array, count: number, x: number): number {
  let low = 0
  let high = count
  while (low < high) {
    const middle = (low + high) >>> 1
    // Indices below `count` are in bounds by construction, here and in the methods below.
    if (values[middle]! > x) {
      high = middle
    } else {
      low = middle + 1
    }
  }
  return low
}

/**
 * Open time of a calendar as a sorted table of UTC spans with prefix sums of open milliseconds, so
 * every query is a binary search plus arithmetic. The table covers whole local years and grows
 * lazily (and is rebuilt) whenever a query reaches outside it.
 */
export class OpenTimeTable {
  readonly #source: ScheduleSource
  #years: YearSchedule[] = []
  #firstYear = 0
  // Empty coverage: every instant, NaN included, fails the #cover check.
  #coverStart = Infinity
  #coverEnd = -Infinity
  #count = 0
  #starts = new Float64Array(0)
  #ends = new Float64Array(0)
  /** #openBefore[i] = open ms in spans 0..i-1; #openBefore[#count] = the table's total. */
  #openBefore = new Float64Array(1)
  #businessDays: BusinessDay[] = []
  #businessDayOpenings = new Float64Array(0)

  constructor(source: ScheduleSource) {
    this.#source = source
  }

  isOpen(t: number): boolean {
    this.#cover(t)
    const index = upperBound(this.#starts, this.#count, t) - 1
    return index >= 0 && t < this.#ends[index]!
  }

  nextOpening(t: number): number {
    this.#cover(t)
    for (;;) {
      const next = upperBound(this.#starts, this.#count, t)
      if (next > 0 && t < this.#ends[next - 1]!) {
        return t
      }
      if (next < this.#count) {
        return this.#starts[next]!
      }
      this.#extendForward()
    }
  }

  /**
   * The last instant u with elapsed(t, u) = businessMs: the business time is used up at u and
   * would grow again right after it. So the result is always an open instant: a budget that runs
   * out exactly at a closing carries over to the next opening, and add(t, 0) = nextOpening(t).
   */
  add(t: number, businessMs: number): number {
    assertDuration(businessMs, 'business duration')
    this.#cover(t)
    for (;;) {
      const target = this.#openTimeBefore(t) + businessMs
      // The span holding the target is the last one with no more than `target` open ms before it.
      const span = upperBound(this.#openBefore, this.#count + 1, target) - 1
      if (span < this.#count) {
        return this.#starts[span]! + (target - this.#openBefore[span]!)
      }
      this.#extendForward()
    }
  }

  /** Open ms in [from, to). */
  elapsed(from: number, to: number): number {
    if (to < from) {
      throw new CalendarError(
        'CALENDAR.END_BEFORE_START',
        `elapsed time from ${describeInstant(from)} to ${describeInstant(to)} is undefined because the end is before the start; pass to >= from`,
      )
    }
    this.#cover(from)
    this.#cover(to)
    return this.#openTimeBefore(to) - this.#openTimeBefore(from)
  }

  /** The first business day that first opens strictly after t. */
  businessDayOpeningAfter(t: number): BusinessDay {
    this.#cover(t)
    for (;;) {
      const index = upperBound(this.#businessDayOpenings, this.#businessDays.length, t)
      const day = this.#businessDays[index]
      if (day) {
        return day
      }
      this.#extendForward()
    }
  }

  /** Open ms between the table's start and t; t must be covered. */
  #openTimeBefore(t: number): number {
    const index = upperBound(this.#starts, this.#count, t) - 1
    if (index < 0) {
      return 0
    }
    const end = this.#ends[index]!
    return this.#openBefore[index]! + (t < end ? t : end) - this.#starts[index]!
  }

  #cover(t: number): void {
    if (!(t >= this.#coverStart && t < this.#coverEnd)) {
      this.#extendToInclude(t)
    }
  }

  #extendToInclude(t: number): void {
    if (!isValidInstant(t)) {
      throw new CalendarError(
        'CALENDAR.INVALID_INSTANT',
        `instant ${t} is not valid; use epoch milliseconds that a Date can represent`,
      )
    }
    const year = this.#source.yearOf(t)
    if (year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last) {
      throw new CalendarError(
        'CALENDAR.OUT_OF_RANGE',
        `instant ${describeInstant(t)} is in local year ${year}; supported years are ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
      )
    }
    if (this.#years.length === 0) {
      // Start with the neighbouring years too: most queries stay near the first one.
      this.#firstYear = Math.max(year - 1, SUPPORTED_YEARS.first)
      const lastYear = Math.min(year + 1, SUPPORTED_YEARS.last)
      for (let y = this.#firstYear; y <= lastYear; y++) {
        this.#years.push(this.#source.buildYear(y))
      }
    }
    while (year < this.#firstYear) {
      this.#firstYear -= 1
      this.#years.unshift(this.#source.buildYear(this.#firstYear))
    }
    while (year >= this.#firstYear + this.#years.length) {
      this.#years.push(this.#source.buildYear(this.#firstYear + this.#years.length))
    }
    this.#rebuild()
  }

  #extendForward(): void {
    const nextYear = this.#firstYear + this.#years.length
    if (nextYear > SUPPORTED_YEARS.last) {
      throw new CalendarError(
        'CALENDAR.OUT_OF_RANGE',
        `the calendar has no further open time before the end of ${SUPPORTED_YEARS.last}; supported years are ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
      )
    }
    this.#years.push(this.#source.buildYear(nextYear))
    this.#rebuild()
  }

  #rebuild(): void {
    const spans = mergeSortedSpans(this.#years.flatMap((year) => year.openSpans))
    this.#count = spans.length
    this.#starts = Float64Array.from(spans, (span) => span.start)
    this.#ends = Float64Array.from(spans, (span) => span.end)
    this.#openBefore = new Float64Array(spans.length + 1)
    spans.forEach((span, index) => {
      this.#openBefore[index + 1] = this.#openBefore[index]! + (span.end - span.start)
    })
    this.#businessDays = this.#years.flatMap((year) => year.businessDays)
    this.#businessDayOpenings = Float64Array.from(this.#businessDays, (day) => day.opening)
    this.#coverStart = this.#years[0]?.span.start ?? Infinity
    this.#coverEnd = this.#years.at(-1)?.span.end ?? -Infinity
  }
}
