/**
 * The SLA clocks of one lead, as the policy's appendix-A items define them, derived from the
 * clock events the engine emitted: when each started and stopped, the business time elapsed,
 * and when its target and breach fall. Pure; `now` is an argument.
 */
import type { BusinessCalendar } from '../calendar/index.js'
import { createBusinessCalendar } from '../calendar/index.js'
import type { PolicyDuration } from '../policy/duration.js'
import { durationMs } from '../policy/duration.js'
import type { Policy, SlaItem } from '../policy/policy-schema.js'
import type { ClockEventName } from './clock-events.js'
import type { LeadEffect } from './lead-effects.js'
import type { LeadProfile } from './lead-events.js'
import type { LeadState } from './lead-state.js'

export type SlaClockStatus = 'running' | 'met' | 'missed' | 'breached'

export interface SlaClockView {
  readonly itemId: string
  readonly name: string
  readonly calendarId: string
  readonly startedAt: number
  readonly stoppedAt: number | null
  readonly elapsedMs: number
  readonly targetAt: number | null
  readonly breachAt: number | null
  /** running; met (stopped by target); missed (stopped after target); breached (running past breach). */
  readonly status: SlaClockStatus
}

/** The business calendars of a policy, plus one always open for wall-clock durations. */
export interface CalendarSet {
  readonly byId: ReadonlyMap<string, BusinessCalendar>
  readonly wallClock: BusinessCalendar
  readonly defaultId: string
}

const WALL_CLOCK_ID = 'wall-clock'

const calendarSets = new WeakMap<Policy, CalendarSet>()

/** The calendar set of a policy, built once per policy object (calendars are immutable). */
export function calendarSetOf(policy: Policy): CalendarSet {
  let set = calendarSets.get(policy)
  if (!set) {
    set = createCalendarSet(policy)
    calendarSets.set(policy, set)
  }
  return set
}

export function createCalendarSet(policy: Policy): CalendarSet {
  const byId = new Map<string, BusinessCalendar>()
  for (const [id, definition] of Object.entries(policy.calendars)) {
    byId.set(id, createBusinessCalendar({ id, ...definition }))
  }
  const allDay = [{ start: '00:00', end: '24:00' }]
  const wallClock = createBusinessCalendar({
    id: WALL_CLOCK_ID,
    timeZone: 'UTC',
    weeklyHours: {
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    },
  })
  return { byId, wallClock, defaultId: policy.calendarSelection.default }
}

/** The prospect's business calendar: by US time zone, then by country, then the default. */
export function prospectCalendarId(policy: Policy, profile: LeadProfile): string {
  const selection = policy.calendarSelection
  const byZone =
    profile.timeZone === undefined ? undefined : selection.byUsTimeZone?.[profile.timeZone]
  const byCountry = profile.country === undefined ? undefined : selection.byCountry[profile.country]
  return byZone ?? byCountry ?? selection.default
}

/** Which calendar a clock runs in: the prospect's region, the owner's, or a named one. */
export function calendarIdFor(policy: Policy, selector: string, lead: LeadState): string {
  return selector === 'prospect' || selector === 'owner'
    ? prospectCalendarId(policy, lead.profile)
    : selector
}

function deadlineAt(
  calendar: BusinessCalendar,
  wallClock: BusinessCalendar,
  start: number,
  deadline: SlaItem['target'],
  stretch: number,
): number | null {
  if (typeof deadline === 'string') {
    return deadline === 'next business day' ? calendar.nextBusinessDayAt(start, '23:59') : null
  }
  return addDuration(calendar, wallClock, start, { ...deadline, amount: deadline.amount * stretch })
}

export function addDuration(
  calendar: BusinessCalendar,
  wallClock: BusinessCalendar,
  start: number,
  duration: PolicyDuration,
): number {
  const used = duration.business ? calendar : wallClock
  return used.add(start, durationMs(duration, calendar.businessDayMs))
}

export function deriveSlaClocks(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  effects: readonly LeadEffect[],
  now: number,
): SlaClockView[] {
  const clockEvents = effects.flatMap((effect) =>
    effect.kind === 'clock-event' ? [{ event: effect.event, at: effect.at }] : [],
  )
  const firstAfter = (names: readonly ClockEventName[], after: number): number | undefined =>
    clockEvents
      .filter((candidate) => names.includes(candidate.event) && candidate.at >= after)
      .reduce<number | undefined>(
        (earliest, candidate) =>
          earliest === undefined || candidate.at < earliest ? candidate.at : earliest,
        undefined,
      )
  const views: SlaClockView[] = []
  for (const item of policy.slaItems) {
    const clock = item.clock
    if (!clock || (item.responseTier !== undefined && item.responseTier !== lead.tier)) {
      continue
    }
    const starts = clockEvents.filter((candidate) =>
      [clock.startsOn, ...(clock.restartsOn ?? [])].includes(candidate.event),
    )
    const startedAt = starts.reduce<number | undefined>(
      (latest, candidate) =>
        latest === undefined || candidate.at > latest ? candidate.at : latest,
      undefined,
    )
    if (startedAt === undefined || startedAt > now) {
      continue
    }
    const calendarId = calendarIdFor(policy, clock.calendar, lead)
    const calendar = calendars.byId.get(calendarId) ?? calendars.wallClock
    const stoppedAt = firstAfter(clock.stopsOn, startedAt) ?? null
    const end = stoppedAt !== null && stoppedAt <= now ? stoppedAt : now
    const businessClock = typeof item.target === 'object' ? item.target.business : true
    const elapsedMs = (businessClock ? calendar : calendars.wallClock).elapsed(startedAt, end)
    // A lead routed during a surge runs on stretched SLA windows (policy surge.slaStretch).
    const targetAt = deadlineAt(
      calendar,
      calendars.wallClock,
      startedAt,
      item.target,
      lead.slaStretch,
    )
    const breachAt = deadlineAt(
      calendar,
      calendars.wallClock,
      startedAt,
      item.breach,
      lead.slaStretch,
    )
    const stopped = stoppedAt !== null && stoppedAt <= now
    const status: SlaClockStatus = stopped
      ? targetAt === null || stoppedAt <= targetAt
        ? 'met'
        : 'missed'
      : breachAt !== null && now >= breachAt
        ? 'breached'
        : 'running'
    views.push({
      itemId: item.id,
      name: item.name,
      calendarId: calendar.id,
      startedAt,
      stoppedAt: stopped ? stoppedAt : null,
      elapsedMs,
      targetAt,
      breachAt,
      status,
    })
  }
  const exception = lead.routingException
  if (exception !== null && exception.raisedAt <= now) {
    // The RevOps / triage queue runs its own wall-clock SLA until routing is resolved.
    const stopped = exception.resolvedAt !== null && exception.resolvedAt <= now
    const end = stopped ? (exception.resolvedAt ?? now) : now
    views.push({
      itemId: `routing-exception:${exception.queue}`,
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
    })
  }
  return views
}
