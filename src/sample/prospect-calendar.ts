/**
 * Business calendars of the sample: the policy's calendars by id, and which one a prospect's
 * clocks run in (policy `calendarSelection`, as the engine chooses it).
 */
import type { BusinessCalendar } from '../calendar/index.js'
import { createBusinessCalendar } from '../calendar/index.js'
import { prospectCalendar } from '../domain/clock-calendars.js'
import type { Policy } from '../policy/policy-schema.js'

export interface CalendarLookup {
  /** The policy calendar with this id, or the default calendar when the policy has none. */
  byId(id: string): BusinessCalendar
  /** The calendar of a prospect's `prospect` clocks. */
  forProspect(profile: { readonly country?: string; readonly timeZone?: string }): BusinessCalendar
}

/**
 * The policy's choice (`prospectCalendar`); for a prospect it cannot place (a country without a
 * calendar) the sample still needs plausible working hours, so it uses the default calendar —
 * the engine itself reports such leads' clocks as unable to run.
 */
export function prospectCalendarId(
  policy: Policy,
  profile: { readonly country?: string; readonly timeZone?: string },
): string {
  const choice = prospectCalendar(policy, profile)
  return 'calendarId' in choice ? choice.calendarId : policy.calendarSelection.default
}

/** Building a calendar's year schedules is the costly part; a policy's calendars never change. */
const calendarsByPolicy = new WeakMap<Policy, Map<string, BusinessCalendar>>()

export function createCalendarLookup(policy: Policy): CalendarLookup {
  const cache = calendarsByPolicy.get(policy) ?? new Map<string, BusinessCalendar>()
  calendarsByPolicy.set(policy, cache)
  const byId = (id: string): BusinessCalendar => {
    const known = policy.calendars[id] ? id : policy.calendarSelection.default
    const cached = cache.get(known)
    if (cached) {
      return cached
    }
    const spec = policy.calendars[known]
    if (!spec) {
      throw new Error(`the policy has no calendar "${known}"`)
    }
    const calendar = createBusinessCalendar({ id: known, ...spec })
    cache.set(known, calendar)
    return calendar
  }
  return {
    byId,
    forProspect: (profile) => byId(prospectCalendarId(policy, profile)),
  }
}
