import { describe, expect, it } from 'vitest'

import type { LeadProfile } from '../domain/lead-events.js'
import type { LeadState } from '../domain/lead-state.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { createCalendarSet, deriveSlaClocks } from '../domain/sla-clock-view.js'
import { loadDefaultRoster } from '../domain/team/test-support.js'
import {
  IDEAL_PROFILE,
  leadEvent,
  loadAcvTiersPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../domain/test-support.js'
import type { RoutingContext, RoutingDecision } from './route-lead.js'
import { routeLead } from './route-lead.js'

const policy = loadAcvTiersPolicy()
const calendars = createCalendarSet(policy)
const roster = loadDefaultRoster(policy)
const context: RoutingContext = {
  roster: roster,
  policy,
  calendars,
  load: { assignedToday: new Map(), lastAssignedAt: new Map() },
  surgeActive: false,
}

/** The SLA items that time a first response (one per response tier). */
const RESPONSE_ITEMS = policy.slaItems.flatMap((item) =>
  item.responseTier === undefined ? [] : [item.id],
)

/** Routed at 09:10 New York on Tuesday 3 March 2026, in business hours. */
const ROUTED = T0 + 10 * MINUTE

/** An ideal lead (score 95, clears every tier) with this ACV estimate, MQL on a demo request. */
function mqlEvents(profile: LeadProfile): NewLeadEvent[] {
  return [
    leadEvent('lead-acv', 'lead.created', { profile, source: 'demo-request' }, T0),
    leadEvent('lead-acv', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    leadEvent('lead-acv', 'lead.enriched', { profile: {} }, T0 + 2 * MINUTE),
  ]
}

function replay(events: readonly NewLeadEvent[]): ReturnType<typeof replayLead> & {
  state: LeadState
} {
  const result = replayLead(events, policy)
  if (!result.state) {
    throw new Error('no lead')
  }
  return { ...result, state: result.state }
}

function route(profile: LeadProfile, at = ROUTED): RoutingDecision {
  const { state } = replay(mqlEvents(profile))
  expect(state.stage).toBe('mql')
  return routeLead(
    {
      leadId: state.leadId,
      profile: state.profile,
      tier: state.tier ?? '',
      acvTier: state.acvTier?.tierId ?? null,
      at,
    },
    context,
  )
}

const assigned = (
  ownerId: string,
  reason: string,
  dueAt: number,
  rule = 'acv-tier',
): RoutingDecision => ({
  kind: 'assigned',
  ownerId,
  rule: rule as 'acv-tier',
  reason,
  nextAction: { action: 'first attempt', dueAt },
})

const FIVE_TIERS = [
  {
    tier: 'self-serve',
    profile: { ...IDEAL_PROFILE, acvEstimate: 5_000 },
    decision: {
      kind: 'queued',
      queue: 'plg-onboarding',
      rule: 'acv-tier',
      reason: 'ACV tier self-serve: PLG onboarding; SDR only on a product-qualified signal',
      dueAt: ROUTED + 5 * MINUTE,
    },
    clock: null,
  },
  {
    tier: 'lower-mid-market',
    profile: { ...IDEAL_PROFILE, acvEstimate: 20_000 },
    decision: assigned(
      'sdr-ana-lopez',
      'ACV tier lower-mid-market: US: 2 of 2 SDRs available; fewest leads today',
      ROUTED + 5 * MINUTE,
    ),
    clock: 'sdr-response-tier-1',
  },
  {
    tier: 'mid-market',
    profile: { ...IDEAL_PROFILE, acvEstimate: 50_000 },
    decision: assigned(
      'sdr-ana-lopez',
      'ACV tier mid-market: US: 1 of 1 AE-assigned SDRs available; fewest leads today',
      ROUTED + 5 * MINUTE,
    ),
    clock: 'sdr-response-tier-1',
  },
  {
    tier: 'mid-enterprise',
    profile: { ...IDEAL_PROFILE, acvEstimate: 120_000 },
    decision: assigned(
      'ae-omar-haddad',
      'ACV tier mid-enterprise: US: 2 of 2 AEs available; fewest leads today',
      ROUTED + 15 * MINUTE,
    ),
    clock: 'ae-response-mid-enterprise',
  },
  {
    tier: 'strategic-enterprise',
    profile: { ...IDEAL_PROFILE, acvEstimate: 350_000, namedAccountOwnerId: 'ae-rachel-kim' },
    decision: assigned(
      'ae-rachel-kim',
      "ACV tier strategic-enterprise: named-account AE from the lead's namedAccountOwnerId",
      ROUTED + 30 * MINUTE,
    ),
    clock: 'ae-response-strategic-enterprise',
  },
] as const

describe('routing by ACV tier (policies/acv-tiers.yaml, default roster)', () => {
  it.each(FIVE_TIERS.map((row) => [row.tier, row] as const))(
    'routes a %s MQL by its tier, first response due at the tier’s time',
    (_, row) => {
      expect(route(row.profile)).toEqual(row.decision)
    },
  )

  it.each(FIVE_TIERS.filter((row) => row.clock !== null).map((row) => [row.tier, row] as const))(
    'runs the %s owner’s response clock to the same deadline',
    (_, row) => {
      const decision = route(row.profile)
      if (decision.kind !== 'assigned') {
        throw new Error('expected an assignment')
      }
      const { state, effects } = replay([
        ...mqlEvents(row.profile),
        leadEvent(
          'lead-acv',
          'owner.assigned',
          { ownerId: decision.ownerId, reason: `acv-tier: ${decision.reason}` },
          ROUTED,
        ),
      ])
      const clocks = deriveSlaClocks(policy, calendars, state, effects, ROUTED + MINUTE)
      expect(
        clocks
          .filter((clock) => RESPONSE_ITEMS.includes(clock.itemId))
          .map((clock) => [clock.itemId, clock.startedAt, clock.targetAt]),
      ).toEqual([[row.clock, ROUTED, decision.nextAction.dueAt]])
    },
  )

  it('puts a PLG lead in the onboarding queue with its deadline, and starts no response clock', () => {
    const decision = FIVE_TIERS[0].decision
    const { state, effects } = replay([
      ...mqlEvents(FIVE_TIERS[0].profile),
      leadEvent(
        'lead-acv',
        'lead.routed',
        {
          outcome: 'queued',
          queue: decision.queue,
          reason: `acv-tier: ${decision.reason}`,
          dueAt: decision.dueAt,
        },
        ROUTED,
      ),
    ])
    expect(state.queues).toEqual(['plg-onboarding'])
    expect(state.routingException).toEqual({
      queue: 'plg-onboarding',
      reason: `acv-tier: ${decision.reason}`,
      raisedAt: ROUTED,
      dueAt: ROUTED + 5 * MINUTE,
      resolvedAt: null,
    })
    const clocks = deriveSlaClocks(policy, calendars, state, effects, ROUTED + MINUTE)
    expect(clocks.filter((clock) => RESPONSE_ITEMS.includes(clock.itemId))).toEqual([])
    expect(clocks.at(-1)).toMatchObject({
      itemId: 'routing-exception:plg-onboarding',
      startedAt: ROUTED,
      targetAt: ROUTED + 5 * MINUTE,
      status: 'running',
    })
  })

  it('after hours, the mid-enterprise AE has 15 business minutes from the next opening', () => {
    // Tuesday 19:00 New York → Wednesday 08:15 New York (13:15Z).
    expect(
      route({ ...IDEAL_PROFILE, acvEstimate: 120_000 }, Date.parse('2026-03-04T00:00:00Z')),
    ).toEqual(
      assigned(
        'ae-omar-haddad',
        'ACV tier mid-enterprise: US: 2 of 2 AEs available; fewest leads today',
        Date.parse('2026-03-04T13:15:00Z'),
      ),
    )
  })

  it('a named account decides before the ACV tier, as routing.ruleOrder says', () => {
    expect(route({ ...IDEAL_PROFILE, email: 'kim@globex.com', acvEstimate: 350_000 })).toEqual(
      assigned(
        'ae-omar-haddad',
        'named account globex.com: owner',
        ROUTED + 30 * MINUTE,
        'named-account',
      ),
    )
  })

  it('sends a strategic lead with no named-account AE to RevOps with the reason', () => {
    expect(route({ ...IDEAL_PROFILE, acvEstimate: 350_000 })).toEqual({
      kind: 'exception',
      queue: 'revops-exceptions',
      reason:
        'ACV tier strategic-enterprise: no named-account AE: the email domain is not a named account and the lead has no namedAccountOwnerId',
      dueAt: ROUTED + 30 * MINUTE,
    })
  })

  it('leaves a lead with no ACV tier to the territory round robin', () => {
    const decision = route(IDEAL_PROFILE)
    expect(decision).toMatchObject({
      kind: 'assigned',
      ownerId: 'sdr-ana-lopez',
      rule: 'territory-round-robin',
    })
  })
})
