import type { BusinessCalendar } from './business-calendar.js'
import { assertDuration, CalendarError } from './calendar-error.js'
import { describeInstant, isValidInstant } from './civil-time.js'

/** A stretch during which the clock ran; `end` is absent while it is still running. */
export interface ClockRun {
  readonly start: number
  readonly end?: number
}

/** An SLA clock as an immutable value: transitions return a new clock. */
export interface SlaClock {
  readonly calendarId: string
  readonly runs: readonly ClockRun[]
  readonly stoppedAt?: number
}

type ClockState = 'running' | 'paused' | 'stopped'

function stateOf(clock: SlaClock): ClockState {
  if (clock.stoppedAt !== undefined) {
    return 'stopped'
  }
  return clock.runs.at(-1)?.end === undefined ? 'running' : 'paused'
}

/** The instant of the clock's latest transition. */
function lastTransitionAt(clock: SlaClock): number {
  const lastRun = clock.runs.at(-1)
  return clock.stoppedAt ?? lastRun?.end ?? lastRun?.start ?? -Infinity
}

function assertInstant(transition: string, at: number): void {
  if (!isValidInstant(at)) {
    throw new CalendarError(
      'CLOCK.INVALID_TRANSITION',
      `cannot ${transition} the clock at ${at}; use epoch milliseconds that a Date can represent`,
    )
  }
}

function assertTransition(
  clock: SlaClock,
  transition: string,
  at: number,
  allowedFrom: readonly ClockState[],
): void {
  const state = stateOf(clock)
  if (!allowedFrom.includes(state)) {
    throw new CalendarError(
      'CLOCK.INVALID_TRANSITION',
      `cannot ${transition} a ${state} clock; ${transition} is allowed only when the clock is ${allowedFrom.join(' or ')}`,
    )
  }
  assertInstant(transition, at)
  const last = lastTransitionAt(clock)
  if (at < last) {
    throw new CalendarError(
      'CLOCK.INVALID_TRANSITION',
      `cannot ${transition} the clock at ${describeInstant(at)}, before its last transition at ${describeInstant(last)}; time must not go backwards`,
    )
  }
}

function withLastRunEndedAt(runs: readonly ClockRun[], at: number): ClockRun[] {
  return runs.map((run, index) =>
    index === runs.length - 1 ? Object.freeze({ start: run.start, end: at }) : run,
  )
}

function freezeClock(calendarId: string, runs: ClockRun[], stoppedAt?: number): SlaClock {
  return Object.freeze({
    calendarId,
    runs: Object.freeze(runs),
    ...(stoppedAt !== undefined && { stoppedAt }),
  })
}

export function startClock(calendarId: string, at: number): SlaClock {
  assertInstant('start', at)
  return freezeClock(calendarId, [Object.freeze({ start: at })])
}

export function pauseClock(clock: SlaClock, at: number): SlaClock {
  assertTransition(clock, 'pause', at, ['running'])
  return freezeClock(clock.calendarId, withLastRunEndedAt(clock.runs, at))
}

export function resumeClock(clock: SlaClock, at: number): SlaClock {
  assertTransition(clock, 'resume', at, ['paused'])
  return freezeClock(clock.calendarId, [...clock.runs, Object.freeze({ start: at })])
}

export function stopClock(clock: SlaClock, at: number): SlaClock {
  assertTransition(clock, 'stop', at, ['running', 'paused'])
  const runs = stateOf(clock) === 'running' ? withLastRunEndedAt(clock.runs, at) : [...clock.runs]
  return freezeClock(clock.calendarId, runs, at)
}

function assertSameCalendar(clock: SlaClock, calendar: BusinessCalendar): void {
  if (clock.calendarId !== calendar.id) {
    throw new CalendarError(
      'CLOCK.CALENDAR_MISMATCH',
      `clock runs on calendar "${clock.calendarId}" but calendar "${calendar.id}" was given; measure a clock with its own calendar`,
    )
  }
}

/** Business ms the clock has run up to `now` (runs after `now` do not count yet). */
export function clockElapsed(clock: SlaClock, calendar: BusinessCalendar, now: number): number {
  assertSameCalendar(clock, calendar)
  return clock.runs.reduce((total, run) => {
    const end = Math.max(run.start, Math.min(run.end ?? now, now))
    return total + calendar.elapsed(run.start, end)
  }, 0)
}

/**
 * The instant the clock's business time reaches `thresholdMs`, in the sense of
 * BusinessCalendar.add: the last instant at which it still shows thresholdMs, after which any
 * further business time exceeds it. Assumes a running clock keeps running. Null when the clock is
 * paused or stopped without exceeding the threshold; a past instant when it already has.
 */
export function clockReachesAt(
  clock: SlaClock,
  calendar: BusinessCalendar,
  thresholdMs: number,
): number | null {
  assertSameCalendar(clock, calendar)
  assertDuration(thresholdMs, 'clock threshold')
  let before = 0
  for (const run of clock.runs) {
    if (run.end === undefined) {
      return calendar.add(run.start, thresholdMs - before)
    }
    const runMs = calendar.elapsed(run.start, run.end)
    if (before + runMs > thresholdMs) {
      return calendar.add(run.start, thresholdMs - before)
    }
    before += runMs
  }
  return null
}

/** clockReachesAt for each named threshold (target, breach, escalation steps). */
export function clockThresholdInstants(
  clock: SlaClock,
  calendar: BusinessCalendar,
  thresholds: Record<string, number>,
): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(thresholds).map(([name, thresholdMs]) => [
      name,
      clockReachesAt(clock, calendar, thresholdMs),
    ]),
  )
}
