/**
 * Use case: the team as a manager assigns leads to it (`GET /team`) — each person of the caller's
 * scope with their role, whether they are out of office now, and today's assignments against
 * their daily capacity: the availability routing itself judges them by (`availabilityOf`).
 */
import type { LeadScope } from '../access/access-roles.js'
import { scopeIncludes } from '../access/access-roles.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import { capacityOf, outOfOfficeAt } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { Availability, RoutingLoad } from '../routing/route-lead.js'
import { availabilityOf } from '../routing/route-lead.js'
import type { LeadRepository } from './lead-repository.js'

const DAY_MS = 86_400_000

export interface TeamMember {
  readonly personId: string
  readonly name: string
  readonly role: string
  readonly managerId: string | null
  readonly availability: Availability
  /** The out-of-office period in force at the instant asked, as the roster writes its bounds. */
  readonly outOfOffice: { readonly from: string; readonly to: string } | null
  /** Leads routing assigned them today (UTC day, as routing counts it). */
  readonly assignedToday: number
  readonly capacityPerDay: number
}

/** Everyone of `scope` in roster order, at `at`. Pure. */
export function teamStatus(
  context: {
    readonly roster: Roster
    readonly policy: Policy
    readonly calendars: CalendarSet
    readonly load: RoutingLoad
  },
  scope: LeadScope,
  at: number,
): TeamMember[] {
  return context.roster.people
    .filter((person) => scopeIncludes(scope, person.id))
    .map((person) => {
      const timeZone = context.calendars.byId.get(person.calendarId)?.timeZone ?? 'UTC'
      const away = outOfOfficeAt(person, at, timeZone)
      return {
        personId: person.id,
        name: person.name,
        role: person.role,
        managerId: person.managerId,
        availability: availabilityOf(person, at, context),
        outOfOffice: away === undefined ? null : { from: away.from.text, to: away.to.text },
        assignedToday: context.load.assignedToday.get(person.id) ?? 0,
        capacityPerDay: capacityOf(person, context.policy),
      }
    })
}

export async function teamStatusFor(
  deps: {
    readonly repository: LeadRepository
    readonly policy: Policy
    readonly calendars: CalendarSet
    readonly roster: Roster
  },
  scope: LeadScope,
  now: number,
): Promise<TeamMember[]> {
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS
  const load = await deps.repository.withLeadsLocked([], (tx) =>
    tx.routing.load(dayStart, dayStart + DAY_MS),
  )
  return teamStatus({ ...deps, load }, scope, now)
}
