/** The zone a lead's instants are shown in. Pure. */
import { IANAZone } from 'luxon'

import type { Policy } from '../policy/policy-schema.js'
import type { LeadState } from './lead-state.js'
import type { CalendarSet } from './sla-clock-view.js'
import { prospectCalendar } from './sla-clock-view.js'

/**
 * The lead's zone: its profile's IANA `timeZone` when valid, else its prospect calendar's zone;
 * UTC when neither can be known (its clocks then say why they cannot run).
 */
export function leadTimeZone(policy: Policy, calendars: CalendarSet, lead: LeadState): string {
  const own = lead.profile.timeZone
  if (own !== undefined && IANAZone.isValidZone(own)) {
    return own
  }
  const choice = prospectCalendar(policy, lead.profile)
  const calendar = 'calendarId' in choice ? calendars.byId.get(choice.calendarId) : undefined
  return (calendar ?? calendars.wallClock).timeZone
}
