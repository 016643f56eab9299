import { describe, expect, it } from 'vitest'

import { loadDefaultPolicy } from '../domain/test-support.js'
import { LEAD_EVENT_TYPES } from '../domain/lead-events.js'
import { loadDefaultRoster } from '../domain/team/test-support.js'
import type { Principal } from './access-roles.js'
import {
  CAPABILITIES,
  holdersOf,
  integrationEventRefusal,
  leadScopeOf,
  personAccessRole,
  scopeIncludes,
  tokenStanding,
  transitionRefusal,
} from './access-roles.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
const principal = (role: Principal['role'], personId: string | null): Principal => ({
  tokenId: 'tok_test',
  role,
  personId,
})

describe('access roles from the policy and the roster', () => {
  it('grants each person of the default roster the access their role has in the policy', () => {
    expect(
      Object.fromEntries(
        roster.people.map((person) => [person.id, personAccessRole(roster, policy, person.id)]),
      ),
    ).toEqual({
      'vp-grace-okafor': 'leadership',
      'vp-henrik-larsen': 'leadership',
      'revops-mei-tanaka': 'revops',
      'mgr-carla-reyes': 'manager',
      'mgr-david-chen': 'manager',
      'cs-nina-patel': undefined,
      'sdr-ana-lopez': 'rep',
      'sdr-jake-turner': 'rep',
      'sdr-maya-brooks': 'rep',
      'sdr-tom-baker': 'rep',
      'sdr-lena-fischer': 'rep',
      'sdr-arjun-mehta': 'rep',
      'ae-omar-haddad': 'rep',
      'ae-rachel-kim': 'rep',
      'ae-sophie-martin': 'rep',
      'ae-liam-walsh': 'rep',
    })
  })

  it('holds a token while the roster grants its person the role, and says why not otherwise', () => {
    expect(tokenStanding(roster, policy, { role: 'manager', personId: 'mgr-carla-reyes' })).toBe(
      undefined,
    )
    expect(tokenStanding(roster, policy, { role: 'revops', personId: 'sdr-ana-lopez' })).toBe(
      'sdr-ana-lopez is sdr, which the policy grants rep access, not revops',
    )
    expect(tokenStanding(roster, policy, { role: 'rep', personId: 'cs-nina-patel' })).toBe(
      'cs-nina-patel is cs, which the policy grants no access, not rep',
    )
    expect(tokenStanding(roster, policy, { role: 'rep', personId: 'sdr-gone' })).toBe(
      'sdr-gone is not an active person of the roster',
    )
    expect(tokenStanding(roster, policy, { role: 'rep', personId: null })).toBe(
      'a rep token must act for a person',
    )
    // Admin and integration tokens are granted by whoever creates them, for a person or none.
    expect(tokenStanding(roster, policy, { role: 'admin', personId: null })).toBe(undefined)
    expect(tokenStanding(roster, policy, { role: 'integration', personId: 'cs-nina-patel' })).toBe(
      undefined,
    )
    const inactive = {
      ...roster,
      people: roster.people.map((person) =>
        person.id === 'sdr-ana-lopez' ? { ...person, active: false } : person,
      ),
    }
    expect(tokenStanding(inactive, policy, { role: 'rep', personId: 'sdr-ana-lopez' })).toBe(
      'sdr-ana-lopez is not an active person of the roster',
    )
  })

  it('scopes leads: a rep their own, a manager everyone whose chain includes them, revops all', () => {
    expect(leadScopeOf(principal('rep', 'sdr-ana-lopez'), roster)).toEqual({
      kind: 'owners',
      ownerIds: ['sdr-ana-lopez'],
    })
    expect(leadScopeOf(principal('manager', 'mgr-carla-reyes'), roster)).toEqual({
      kind: 'owners',
      ownerIds: [
        'mgr-carla-reyes',
        'sdr-ana-lopez',
        'sdr-jake-turner',
        'sdr-maya-brooks',
        'sdr-tom-baker',
        'sdr-lena-fischer',
        'sdr-arjun-mehta',
      ],
    })
    expect(leadScopeOf(principal('revops', 'revops-mei-tanaka'), roster)).toEqual({ kind: 'all' })
    expect(leadScopeOf(principal('admin', null), roster)).toEqual({ kind: 'all' })
    expect(leadScopeOf(principal('leadership', 'vp-grace-okafor'), roster)).toEqual({
      kind: 'owners',
      ownerIds: [],
    })
    expect(leadScopeOf(principal('integration', null), roster)).toEqual({
      kind: 'owners',
      ownerIds: [],
    })
    const carla = leadScopeOf(principal('manager', 'mgr-carla-reyes'), roster)
    expect(scopeIncludes(carla, 'sdr-tom-baker')).toBe(true)
    expect(scopeIncludes(carla, 'ae-omar-haddad')).toBe(false)
    expect(scopeIncludes(carla, null)).toBe(false)
    expect(scopeIncludes({ kind: 'all' }, null)).toBe(true)
  })

  it('leaves manager decisions to managers, revops and admins', () => {
    expect(transitionRefusal('rep', 'escalation.resolved')).toBe(
      "escalation.resolved is a manager's decision: a manager, revops or admin records it",
    )
    expect(transitionRefusal('rep', 'owner.assigned')).toBe(
      "owner.assigned is a manager's decision: a manager, revops or admin records it",
    )
    expect(transitionRefusal('rep', 'sal.accepted')).toBe(undefined)
    expect(transitionRefusal('manager', 'escalation.root-caused')).toBe(undefined)
  })

  it('refuses an integration exactly the events Leadclock records and the escalation actions', () => {
    expect(
      LEAD_EVENT_TYPES.filter((type) => integrationEventRefusal(type) !== undefined).sort(),
    ).toEqual([
      'escalation.fired',
      'escalation.resolved',
      'escalation.root-caused',
      'lead.matched',
      'lead.routed',
      'lead.suppressed',
    ])
    expect(integrationEventRefusal('lead.suppressed')).toBe(
      'lead.suppressed is recorded by Leadclock itself, never by an integration',
    )
    expect(integrationEventRefusal('escalation.resolved')).toBe(
      "escalation.resolved is a manager's action on an escalation, not an integration's",
    )
  })

  it('names who holds a capability', () => {
    expect(holdersOf('tokens:manage')).toBe('admin')
    expect(holdersOf('reports:read')).toBe('revops, leadership or admin')
    expect(CAPABILITIES['events:record']).toEqual(['integration', 'admin'])
  })
})
