/**
 * Who may do what. Six access roles: four a person holds through their roster role (the policy's
 * `roles.<id>.access` says which), two only a token grants (admin, integration). What each role
 * may call is the capability table below; which leads it sees is its lead scope, from the roster's
 * manager chain. Pure: the shell authenticates, this decides.
 */
import type { LeadEventType } from '../domain/lead-events.js'
import { EVENT_RECORDERS } from '../domain/lead-events.js'
import type { Roster } from '../domain/team/roster.js'
import { findPerson, managerChain } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import { PERSON_ACCESS_ROLES } from '../policy/policy-schema.js'

/** Access a roster role can grant (policy `roles.<id>.access`). */
export { PERSON_ACCESS_ROLES }
export type PersonAccessRole = (typeof PERSON_ACCESS_ROLES)[number]

export const ACCESS_ROLES = [...PERSON_ACCESS_ROLES, 'admin', 'integration'] as const
export type AccessRole = (typeof ACCESS_ROLES)[number]

export function isPersonAccessRole(role: AccessRole): role is PersonAccessRole {
  return (PERSON_ACCESS_ROLES as readonly string[]).includes(role)
}

/** Who is calling: the token it presented (directly or through a session) and what it grants. */
export interface Principal {
  readonly tokenId: string
  readonly role: AccessRole
  /** The roster person the token acts for; null for an admin or integration token of no person. */
  readonly personId: string | null
}

/** What a route does, as far as access goes. Every route names one (or is public). */
export const CAPABILITIES = {
  'leads:read': ['rep', 'manager', 'revops', 'admin'],
  'leads:transition': ['rep', 'manager', 'revops', 'admin'],
  'events:record': ['integration', 'admin'],
  'escalations:read': ['rep', 'manager', 'revops', 'admin'],
  'tasks:read': ['rep', 'manager', 'revops', 'admin'],
  'notifications:read': ['revops', 'admin'],
  'notifications:replay': ['revops', 'admin'],
  'scheduler:read': ['revops', 'admin'],
  'reports:read': ['revops', 'leadership', 'admin'],
  /** The measures of the caller's own leads (a rep's compliance): whoever has leads in scope. */
  'reports:own-leads': ['rep', 'manager', 'revops', 'admin'],
  /** The team's availability and load (out of office, at capacity): who assigns leads. */
  'team:read': ['manager', 'revops', 'admin'],
  'roster:read': ['revops', 'admin'],
  'roster:write': ['revops', 'admin'],
  'policy:read': ['revops', 'admin'],
  'policy:write': ['revops', 'admin'],
  'audit:read': ['revops', 'admin'],
  /** Erasing a person's personal data (the right to erasure). */
  'privacy:erase': ['revops', 'admin'],
  'tokens:manage': ['admin'],
  /** Reading and ending one's own dashboard session. */
  'session:own': ACCESS_ROLES,
} as const satisfies Readonly<Record<string, readonly AccessRole[]>>
export type Capability = keyof typeof CAPABILITIES

export function mayUse(role: AccessRole, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly AccessRole[]).includes(role)
}

/** The access roles that hold a capability, for messages ("revops or admin"). */
export function holdersOf(capability: Capability): string {
  const roles: readonly string[] = CAPABILITIES[capability]
  return roles.length === 1
    ? (roles[0] ?? '')
    : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1) ?? ''}`
}

/** The access a roster person holds through their role; undefined when the policy grants none. */
export function personAccessRole(
  roster: Roster,
  policy: Policy,
  personId: string,
): PersonAccessRole | undefined {
  const person = findPerson(roster, personId)
  return person?.active === true ? policy.roles[person.role]?.access : undefined
}

/**
 * Why a token's person does not hold what the token grants (not in the roster, inactive, or their
 * role grants other access); undefined when they hold it. Without a roster (tests of the API
 * alone) only the presence of the person is checked.
 */
export function tokenStanding(
  roster: Roster | undefined,
  policy: Policy,
  token: { readonly role: AccessRole; readonly personId: string | null },
): string | undefined {
  if (token.personId === null) {
    return isPersonAccessRole(token.role)
      ? `a ${token.role} token must act for a person`
      : undefined
  }
  if (roster === undefined) {
    return undefined
  }
  const person = findPerson(roster, token.personId)
  if (person === undefined || !person.active) {
    return `${token.personId} is not an active person of the roster`
  }
  if (!isPersonAccessRole(token.role)) {
    return undefined
  }
  const granted = policy.roles[person.role]?.access
  return granted === token.role
    ? undefined
    : `${token.personId} is ${person.role}, which the policy grants ${granted === undefined ? 'no access' : `${granted} access`}, not ${token.role}`
}

/** Which leads a principal may see: all, or those owned by some people. */
export type LeadScope =
  { readonly kind: 'all' } | { readonly kind: 'owners'; readonly ownerIds: readonly string[] }

const NO_LEADS: LeadScope = { kind: 'owners', ownerIds: [] }

/**
 * rep: leads they own; manager: leads owned by them or anyone whose manager chain includes them;
 * revops and admin: all; leadership and integration: none (reports and intake only).
 */
export function leadScopeOf(principal: Principal, roster: Roster | undefined): LeadScope {
  switch (principal.role) {
    case 'revops':
    case 'admin':
      return { kind: 'all' }
    case 'leadership':
    case 'integration':
      return NO_LEADS
    case 'rep':
      return principal.personId === null
        ? NO_LEADS
        : { kind: 'owners', ownerIds: [principal.personId] }
    case 'manager': {
      const managerId = principal.personId
      if (managerId === null) {
        return NO_LEADS
      }
      const team = (roster?.people ?? []).filter((person) =>
        managerChain(roster as Roster, person.id).some((manager) => manager.id === managerId),
      )
      return { kind: 'owners', ownerIds: [managerId, ...team.map((person) => person.id)] }
    }
  }
}

export function scopeIncludes(scope: LeadScope, ownerId: string | null): boolean {
  return scope.kind === 'all' || (ownerId !== null && scope.ownerIds.includes(ownerId))
}

/** Documented manager actions on an escalation, and taking a lead from its owner. */
const MANAGER_DECISIONS: ReadonlySet<LeadEventType> = new Set([
  'escalation.resolved',
  'escalation.root-caused',
  'owner.assigned',
])

/** Why `role` may not ask for this transition on a lead it sees; undefined when it may. */
export function transitionRefusal(role: AccessRole, type: LeadEventType): string | undefined {
  return role === 'rep' && MANAGER_DECISIONS.has(type)
    ? `${type} is a manager's decision: a manager, revops or admin records it`
    : undefined
}

/**
 * Why an integration may not post this event; undefined when it may. Integrations report what
 * happened in their systems; they never record what Leadclock itself records (routing, matches,
 * suppressions, fired escalations) nor the escalation actions managers document.
 */
export function integrationEventRefusal(type: LeadEventType): string | undefined {
  if (EVENT_RECORDERS[type] === 'leadclock') {
    return `${type} is recorded by Leadclock itself, never by an integration`
  }
  return type.startsWith('escalation.')
    ? `${type} is a manager's action on an escalation, not an integration's`
    : undefined
}
