/**
 * The SLA clocks of one lead, as the policy's appendix-A items (and section 04's checked SAL action
 * windows) define them: when each started and stopped, the business time elapsed (pauses
 * excluded), and when its target and breach fall.
 * Derived from the same clock runs and deadline functions as the escalation plan
 * (`escalation/item-clocks.ts`), so a lead's view and its escalations never disagree. Pure;
 * `now` is an argument.
 */
import type { BusinessCalendar } from '../calendar/index.js'
import { clockElapsed } from '../calendar/index.js'
import type { Policy, SlaItem } from '../policy/policy-schema.js'
import { clockMoments, runAsSlaClock } from './escalation/clock-runs.js'
import type { ClockRun } from './escalation/clock-runs.js'
import type { ClockContext, ItemRun } from './escalation/item-clocks.js'
import { deadlineInstant, itemClock, responseTargetReached } from './escalation/item-clocks.js'
import type { CalendarSet } from './clock-calendars.js'
import type { LeadEffect } from './lead-effects.js'
import type { LeadState } from './lead-state.js'
import { salActionClockItems } from './sal-actions.js'

export type { CalendarChoice, CalendarSet } from './clock-calendars.js'
export {
  calendarSetOf,
  clockCalendar,
  createCalendarSet,
  prospectCalendar,
  withOwnerCalendars,
} from './clock-calendars.js'

/**
 * running; paused (thresholds shown as if it resumed now); met (stopped by target); missed
 * (stopped after target); breached (running past breach); unable-to-run (no calendar: `problem`).
 */
export type SlaClockStatus = 'running' | 'paused' | 'met' | 'missed' | 'breached' | 'unable-to-run'

export interface SlaClockView {
  readonly itemId: string
  readonly name: string
  /** Empty when the clock is unable to run. */
  readonly calendarId: string
  readonly startedAt: number
  readonly stoppedAt: number | null
  readonly elapsedMs: number
  readonly targetAt: number | null
  readonly breachAt: number | null
  readonly status: SlaClockStatus
  /** Since when the clock is paused, and why (null when it runs). */
  readonly pausedSince: { readonly at: number; readonly reason: string } | null
  /** Why the clock cannot run (unknown time zone, no calendar…); null when it runs. */
  readonly problem: string | null
}

/** The clock id of a routing exception's queue SLA, e.g. `routing-exception:triage`. */
export function routingExceptionClockId(queue: string): string {
  return `routing-exception:${queue}`
}

/** The run as seen at `now`: later events are not known yet, an open pause ends now. */
function runAsOf(run: ClockRun, now: number): ClockRun {
  return {
    ...run,
    endedAt: run.endedAt !== null && run.endedAt <= now ? run.endedAt : null,
    pauses: run.pauses
      .filter((pause) => pause.from <= now)
      .map((pause) => ({
        from: pause.from,
        to: pause.to !== null && pause.to <= now ? pause.to : now,
      })),
  }
}

/** Every item a lead's clock view can show: the SLA items with a clock, then section 04's SAL
 * action windows, which read like items without an escalation chain. */
export function clockedItems(policy: Policy): SlaItem[] {
  return [...policy.slaItems.filter((item) => item.clock), ...salActionClockItems(policy)]
}

/** How an item's clock measures time: business time for a business-time target (or a deadline
 * such as "same business day"), else wall-clock time; a routing queue's SLA (no item) on the wall. */
function measureOf(item: SlaItem | undefined): ClockMeasure {
  const business =
    item !== undefined && (typeof item.target === 'object' ? item.target.business : true)
  return business ? 'business' : 'wall-clock'
}

/** The calendar an item's clock measures time in: its own in business time, else the wall clock. */
function measuringCalendar(
  item: SlaItem | undefined,
  calendars: CalendarSet,
  calendarId: string,
): BusinessCalendar {
  return measureOf(item) === 'business'
    ? (calendars.byId.get(calendarId) ?? calendars.wallClock)
    : calendars.wallClock
}

/**
 * The time left on an open clock — "12 business minutes left" — to its target and to its breach,
 * from `now`, measured as the clock measures (business time in its calendar for a business-time
 * target, else wall time); negative once passed (how far past). Null for a threshold the clock
 * lacks, and both null once it stopped or when it cannot run. `measure` says which time it is, so
 * a reader says "business minutes" only when they are.
 */
export interface ClockCountdown {
  readonly measure: ClockMeasure
  readonly leftToTargetMs: number | null
  readonly leftToBreachMs: number | null
}

/** Business time in a calendar, or wall-clock time (a target such as "15 minutes"). */
export type ClockMeasure = 'business' | 'wall-clock'

export function clockCountdown(
  policy: Policy,
  calendars: CalendarSet,
  clock: SlaClockView,
  now: number,
): ClockCountdown {
  const item = clockedItems(policy).find((candidate) => candidate.id === clock.itemId)
  const measure = measureOf(item)
  if (clock.stoppedAt !== null || clock.status === 'unable-to-run') {
    return { measure, leftToTargetMs: null, leftToBreachMs: null }
  }
  const calendar = measuringCalendar(item, calendars, clock.calendarId)
  const left = (at: number | null): number | null =>
    at === null ? null : at >= now ? calendar.elapsed(now, at) : -calendar.elapsed(at, now)
  return { measure, leftToTargetMs: left(clock.targetAt), leftToBreachMs: left(clock.breachAt) }
}

export function deriveSlaClocks(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  effects: readonly LeadEffect[],
  now: number,
): SlaClockView[] {
  const context: ClockContext = { policy, calendars, lead, moments: clockMoments(effects) }
  const views: SlaClockView[] = []
  for (const item of clockedItems(policy)) {
    const clock = itemClock(context, item)
    const latest = clock?.runs.filter((run) => run.startedAt <= now).at(-1)
    if (!clock || !latest) {
      continue
    }
    const stoppedAt = latest.endedAt !== null && latest.endedAt <= now ? latest.endedAt : null
    const base = { itemId: item.id, name: item.name, startedAt: latest.startedAt, stoppedAt }
    if (clock.kind === 'unable') {
      views.push({
        ...base,
        calendarId: '',
        elapsedMs: 0,
        targetAt: null,
        breachAt: null,
        status: 'unable-to-run',
        pausedSince: null,
        problem: clock.problem,
      })
      continue
    }
    const run = latest as ItemRun
    // Thresholds of the run as if it kept running from now on: a stopped run is judged by them.
    const open: ItemRun = { ...run, ...runAsOf({ ...run, endedAt: null }, now) }
    const targetAt =
      item.responseTier === undefined
        ? deadlineInstant(context, item, open, clock.calendarId, item.target)
        : responseTargetReached(context, item, open, clock.calendarId)
    const breachAt = deadlineInstant(context, item, open, clock.calendarId, item.breach)
    const measure = measuringCalendar(item, calendars, clock.calendarId)
    const asOfNow = runAsOf(run, now)
    const elapsedMs = clockElapsed(runAsSlaClock(asOfNow, measure.id), measure, now)
    const openPause = run.pauses.find(
      (pause) => pause.from <= now && (pause.to === null || pause.to > now),
    )
    const pauseReason =
      lead.clockPauses.findLast((pause) => pause.itemId === item.id && pause.from <= now)?.reason ??
      'paused by the policy'
    const status: SlaClockView['status'] =
      stoppedAt !== null
        ? targetAt === null || stoppedAt <= targetAt
          ? 'met'
          : 'missed'
        : openPause
          ? 'paused'
          : breachAt !== null && now >= breachAt
            ? 'breached'
            : 'running'
    views.push({
      ...base,
      calendarId: clock.calendarId,
      elapsedMs,
      targetAt,
      breachAt,
      status,
      pausedSince:
        stoppedAt === null && openPause ? { at: openPause.from, reason: pauseReason } : null,
      problem: null,
    })
  }
  const exception = lead.routingException
  if (exception !== null && exception.raisedAt <= now) {
    // The RevOps / triage queue runs its own wall-clock SLA until routing is resolved.
    const stopped = exception.resolvedAt !== null && exception.resolvedAt <= now
    const end = stopped ? (exception.resolvedAt ?? now) : now
    views.push({
      itemId: routingExceptionClockId(exception.queue),
      name: `Routing exception — ${exception.queue} queue`,
      calendarId: calendars.wallClock.id,
      startedAt: exception.raisedAt,
      stoppedAt: stopped ? exception.resolvedAt : null,
      elapsedMs: end - exception.raisedAt,
      targetAt: exception.dueAt,
      breachAt: exception.dueAt,
      status: stopped
        ? end <= exception.dueAt
          ? 'met'
          : 'missed'
        : now >= exception.dueAt
          ? 'breached'
          : 'running',
      pausedSince: null,
      problem: null,
    })
  }
  return views
}
