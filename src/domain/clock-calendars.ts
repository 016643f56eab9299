/**
 * Which business calendar a clock runs in (policy `calendarSelection`, SLA item `clock.calendar`):
 * the prospect's, the owner's (from the roster), or a named one. A calendar that cannot be
 * chosen is a problem with its reason, never a silent default. Pure.
 */
import { IANAZone } from 'luxon'

import type { BusinessCalendar } from '../calendar/index.js'
import { createBusinessCalendar } from '../calendar/index.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadProfile } from './lead-events.js'
import type { LeadState } from './lead-state.js'

/** The business calendars of a policy, plus one always open for wall-clock durations. */
export interface CalendarSet {
  readonly byId: ReadonlyMap<string, BusinessCalendar>
  readonly wallClock: BusinessCalendar
  readonly defaultId: string
  /**
   * Person id → calendar id, from the roster (`calendar: owner` clocks). Absent when no roster
   * is at hand (e.g. a policy-only replay): owner clocks then run in the prospect's calendar.
   */
  readonly ownerCalendarIds?: ReadonlyMap<string, string>
}

/** A calendar id, or why none can be chosen. */
export type CalendarChoice = { readonly calendarId: string } | { readonly problem: string }

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

/** The policy's calendars with the roster's people: who works in which calendar. */
export function withOwnerCalendars(
  calendars: CalendarSet,
  people: readonly { readonly id: string; readonly calendarId: string }[],
): CalendarSet {
  return {
    ...calendars,
    ownerCalendarIds: new Map(people.map((person) => [person.id, person.calendarId])),
  }
}

/**
 * Valid zone names seen so far (at most the IANA list): checking one builds an Intl formatter,
 * too slow for every clock of every lead.
 */
const knownZones = new Set<string>()

function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) {
    return true
  }
  const known = IANAZone.isValidZone(zone)
  if (known) {
    knownZones.add(zone)
  }
  return known
}

/**
 * The prospect's calendar. A time zone wins over the country: `byTimeZone`, else the policy
 * calendar in exactly that zone. Without a zone, `byCountry`. With neither, the policy's
 * `default` (a lead with no location at all). An unknown zone, or a zone or country with no
 * calendar, is a problem.
 */
export function prospectCalendar(policy: Policy, profile: LeadProfile): CalendarChoice {
  const selection = policy.calendarSelection
  const zone = profile.timeZone
  if (zone !== undefined) {
    if (!isKnownZone(zone)) {
      return { problem: `unknown time zone "${zone}"; use an IANA zone such as "Europe/London"` }
    }
    const byZone =
      selection.byTimeZone?.[zone] ??
      Object.entries(policy.calendars).find(([, calendar]) => calendar.timeZone === zone)?.[0]
    return byZone === undefined
      ? {
          problem: `no business calendar for time zone "${zone}"; add it to calendarSelection.byTimeZone`,
        }
      : { calendarId: byZone }
  }
  const country = profile.country
  if (country !== undefined) {
    const byCountry = selection.byCountry[country]
    return byCountry === undefined
      ? {
          problem: `no business calendar for country "${country}"; add it to calendarSelection.byCountry`,
        }
      : { calendarId: byCountry }
  }
  return { calendarId: selection.default }
}

/** The person whose working hours an item of this role runs in: the AE, else the lead owner. */
function ownerOf(lead: LeadState, role: string): string | null {
  return role === 'ae' ? lead.aeId : lead.ownerId
}

/**
 * Which calendar a clock runs in: `prospect`, `owner` (the owner's roster calendar; the
 * prospect's until someone owns the lead or when no roster is at hand), or a calendar id.
 */
export function clockCalendar(
  policy: Policy,
  calendars: CalendarSet,
  selector: string,
  ownerRole: string,
  lead: LeadState,
): CalendarChoice {
  if (selector === 'prospect') {
    return prospectCalendar(policy, lead.profile)
  }
  if (selector !== 'owner') {
    return { calendarId: selector }
  }
  const ownerId = ownerOf(lead, ownerRole)
  if (ownerId === null || calendars.ownerCalendarIds === undefined) {
    return prospectCalendar(policy, lead.profile)
  }
  const calendarId = calendars.ownerCalendarIds.get(ownerId)
  return calendarId === undefined
    ? { problem: `owner "${ownerId}" is not in the roster, so their working hours are unknown` }
    : { calendarId }
}
