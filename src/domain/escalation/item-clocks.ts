/**
 * The clocks of one lead's SLA items, as both the clock view (`deriveSlaClocks`) and the
 * escalation plan (`planEscalations`) see them: whether an item applies to the lead, the calendar
 * it runs in, its runs with every pause, and the instant each threshold falls. Pure.
 *
 * After hours: a response-tier item whose clock starts while its calendar is closed has the
 * tier's after-hours target (`firstAttemptDeadline`). Every business threshold at or beyond the
 * in-hours target (breach, chain steps T+30, T+2h, T+24h…) moves out by the same extra business
 * time, so those steps keep their in-hours distance from the target: a Tier 1 lead at 19:00 is
 * due 08:30 and its T+30 reminder comes at 08:55, never before the target. Earlier thresholds
 * (the T+0 notification) stay where they are.
 */
import type { BusinessCalendar } from '../../calendar/index.js'
import { clockReachesAt } from '../../calendar/index.js'
import type { PolicyDuration } from '../../policy/duration.js'
import { durationMs } from '../../policy/duration.js'
import type { Policy, SlaItem } from '../../policy/policy-schema.js'
import type { CalendarSet } from '../clock-calendars.js'
import { clockCalendar } from '../clock-calendars.js'
import type { LeadState } from '../lead-state.js'
import { firstAttemptDeadline } from '../response-target.js'
import type { ClockMoment, ClockRun } from './clock-runs.js'
import { clockRuns, runAsSlaClock } from './clock-runs.js'

export interface ClockContext {
  readonly policy: Policy
  readonly calendars: CalendarSet
  readonly lead: LeadState
  readonly moments: readonly ClockMoment[]
}

/** A run of an item's clock, with what the after-hours rule made of it. */
export interface ItemRun extends ClockRun {
  /** Business ms added to business thresholds from `shiftFromMs` on (after-hours start; else 0). */
  readonly shiftMs: number
  /** The in-hours target reading: thresholds below it do not move. */
  readonly shiftFromMs: number
  /** The response target as a clock reading (response-tier items), else null. */
  readonly responseTargetMs: number | null
}

export type ItemClock =
  | { readonly kind: 'runs'; readonly calendarId: string; readonly runs: readonly ItemRun[] }
  /** The clock has started but cannot be measured: no calendar could be chosen. */
  | { readonly kind: 'unable'; readonly problem: string; readonly runs: readonly ClockRun[] }

/** Whether an item's clock applies to the lead at all (tier, segment, an opportunity). */
export function itemApplies(item: SlaItem, lead: LeadState): boolean {
  const segments = item.appliesTo?.segments
  return (
    (item.responseTier === undefined || item.responseTier === lead.tier) &&
    (segments === undefined || segments.includes(lead.profile.segment ?? '')) &&
    (item.appliesTo?.opportunity !== true || lead.opportunity !== null)
  )
}

/** Runs that start before the opportunity exists do not count for opportunity items. */
function startsInScope(item: SlaItem, lead: LeadState, run: ClockRun): boolean {
  return (
    item.appliesTo?.opportunity !== true ||
    run.startedAt >= (lead.opportunity?.createdAt ?? Infinity)
  )
}

/** The item's clock for this lead, or null when the item has no clock or does not apply. */
export function itemClock(context: ClockContext, item: SlaItem): ItemClock | null {
  const clock = item.clock
  if (!clock || !itemApplies(item, context.lead)) {
    return null
  }
  const pauses = context.lead.clockPauses.filter((pause) => pause.itemId === item.id)
  const runs = clockRuns(context.moments, clock)
    .filter((run) => startsInScope(item, context.lead, run))
    .map((run) => withPauses(run, pauses))
  const choice = clockCalendar(
    context.policy,
    context.calendars,
    clock.calendar,
    item.owner,
    context.lead,
  )
  if ('problem' in choice) {
    return { kind: 'unable', problem: choice.problem, runs }
  }
  const calendar = context.calendars.byId.get(choice.calendarId) ?? context.calendars.wallClock
  return {
    kind: 'runs',
    calendarId: calendar.id,
    runs: runs.map((run) => afterHoursRun(context, item, calendar, run)),
  }
}

/** The run with the lead's pauses of this item (clipped to the run) merged into its own. */
function withPauses(
  run: ClockRun,
  pauses: readonly { readonly from: number; readonly to: number | null }[],
): ClockRun {
  const end = run.endedAt ?? Infinity
  const clipped = pauses
    .map((pause) => ({
      from: Math.max(pause.from, run.startedAt),
      to: Math.min(pause.to ?? end, end),
    }))
    .filter((pause) => pause.from < pause.to)
  const all = [
    ...run.pauses.map((pause) => ({ from: pause.from, to: pause.to ?? end })),
    ...clipped,
  ].sort((a, b) => a.from - b.from)
  const merged: { from: number; to: number }[] = []
  for (const pause of all) {
    const last = merged.at(-1)
    if (last && pause.from <= last.to) {
      last.to = Math.max(last.to, pause.to)
    } else {
      merged.push({ ...pause })
    }
  }
  return {
    ...run,
    pauses: merged.map((pause) => ({
      from: pause.from,
      to: Number.isFinite(pause.to) ? pause.to : null,
    })),
  }
}

function afterHoursRun(
  context: ClockContext,
  item: SlaItem,
  calendar: BusinessCalendar,
  run: ClockRun,
): ItemRun {
  const tier =
    item.responseTier === undefined ? undefined : context.policy.responseTiers[item.responseTier]
  if (tier === undefined) {
    return { ...run, shiftMs: 0, shiftFromMs: 0, responseTargetMs: null }
  }
  const { wallClock } = context.calendars
  const stretch = context.lead.slaStretch
  const dueAt = firstAttemptDeadline(tier, calendar, wallClock, run.startedAt, stretch)
  const measure = tier.firstAttempt.business ? calendar : wallClock
  const responseTargetMs = measure.elapsed(run.startedAt, dueAt)
  const inHoursMs = durationMs(tier.firstAttempt, calendar.businessDayMs) * stretch
  const shiftMs = tier.firstAttempt.business ? Math.max(0, responseTargetMs - inHoursMs) : 0
  return { ...run, shiftMs, shiftFromMs: inHoursMs, responseTargetMs }
}

/** The calendar a duration is measured in: the clock's for business durations, else the wall. */
function measuring(context: ClockContext, calendarId: string, business: boolean): BusinessCalendar {
  const calendar = context.calendars.byId.get(calendarId) ?? context.calendars.wallClock
  return business ? calendar : context.calendars.wallClock
}

/** When the run's clock reads `thresholdMs` (null if the run ended or is paused first). */
function reachesReading(
  run: ClockRun,
  calendar: BusinessCalendar,
  thresholdMs: number,
): number | null {
  const reached = clockReachesAt(runAsSlaClock(run, calendar.id), calendar, thresholdMs)
  // A run that ends exactly at the threshold met it.
  return reached !== null && (run.endedAt === null || reached < run.endedAt) ? reached : null
}

/**
 * When the run's clock shows `duration` (stretched during a surge; moved by the run's
 * after-hours shift from the in-hours target on), or null if the run ended first.
 */
export function runReaches(
  context: ClockContext,
  run: ClockRun | ItemRun,
  calendarId: string,
  duration: PolicyDuration,
): number | null {
  const calendar = measuring(context, calendarId, duration.business)
  const readingMs = durationMs(duration, calendar.businessDayMs) * context.lead.slaStretch
  const shifted =
    duration.business && 'shiftMs' in run && readingMs >= run.shiftFromMs
      ? readingMs + run.shiftMs
      : readingMs
  return reachesReading(run, calendar, shifted)
}

/** The item's response target on this run (the tier's first-attempt deadline, pauses added). */
export function responseTargetReached(
  context: ClockContext,
  item: SlaItem,
  run: ItemRun,
  calendarId: string,
): number | null {
  if (run.responseTargetMs === null) {
    return null
  }
  const tier = context.policy.responseTiers[item.responseTier ?? '']
  const calendar = measuring(context, calendarId, tier?.firstAttempt.business ?? true)
  return reachesReading(run, calendar, run.responseTargetMs)
}

/** The instant an item's target or breach falls on a run (null: not a timer, or run ended first). */
export function deadlineInstant(
  context: ClockContext,
  item: SlaItem,
  run: ItemRun,
  calendarId: string,
  deadline: SlaItem['target'] | undefined,
): number | null {
  if (deadline === undefined) {
    return null
  }
  if (typeof deadline === 'object') {
    return runReaches(context, run, calendarId, deadline)
  }
  if (deadline === 'before first meeting') {
    const meeting = context.lead.meeting
    if (!meeting || meeting.cancelled || item.beforeMeeting === undefined) {
      return null
    }
    const dueAt = meeting.at - durationMs(item.beforeMeeting, 86_400_000)
    return dueAt >= run.startedAt && (run.endedAt === null || dueAt < run.endedAt) ? dueAt : null
  }
  if (deadline === 'next business day') {
    const calendar = measuring(context, calendarId, true)
    const dueAt = calendar.nextBusinessDayAt(run.startedAt, '23:59')
    return run.endedAt === null || dueAt < run.endedAt ? dueAt : null
  }
  if (deadline === 'same business day') {
    // The end (24:00) of the business day the run starts in, or of the next one when it starts
    // after hours. The first business day opening after a day before the opening is that day,
    // or the one before it when that opened later in its day.
    const calendar = measuring(context, calendarId, true)
    const opening = calendar.nextOpening(run.startedAt)
    const endOfDay = calendar.nextBusinessDayAt(opening - 86_400_000, '24:00')
    const dueAt = endOfDay > opening ? endOfDay : calendar.nextBusinessDayAt(endOfDay - 1, '24:00')
    return run.endedAt === null || dueAt < run.endedAt ? dueAt : null
  }
  // Keyword deadlines ("before ae-notification", "same session"…) are gates, not timers.
  return null
}
