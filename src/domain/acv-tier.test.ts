import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import type { Policy } from '../policy/policy-schema.js'
import { assessAcvTier, mqlBar, tierOfAcv } from './acv-tier.js'
import type { SuppliedValues } from './lead-events.js'
import { replayLead } from './lifecycle/engine.js'
import type { LeadState } from './lead-state.js'
import type { NewLeadEvent } from './recorded-event.js'
import {
  IDEAL_PROFILE,
  leadEvent,
  loadAcvTiersPolicy,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from './test-support.js'

const acvPolicy = loadAcvTiersPolicy()
const defaultPolicy = loadDefaultPolicy()

/** Fit 35 (company size + economic buyer; Mining is not an ICP industry): ICP fit 64/100. */
const PROFILE = { ...IDEAL_PROFILE, industry: 'Mining' }

/**
 * Intents that end on a demo request, the action that meets the intent criterion, so the score
 * is first compared with the threshold when every extra has counted: 35 − 50 + extras + 40.
 */
function leadEvents(
  acvEstimate: number | undefined,
  extras: readonly string[],
  supplied?: SuppliedValues,
): NewLeadEvent[] {
  const actions = ['email-unsubscribe', ...extras, 'demo-request']
  return [
    leadEvent(
      'lead-acv',
      'lead.created',
      {
        profile: acvEstimate === undefined ? PROFILE : { ...PROFILE, acvEstimate },
        source: 'demo-request',
        ...(supplied === undefined ? {} : { supplied }),
      },
      T0,
    ),
    ...actions.map((action, i) =>
      leadEvent('lead-acv', 'intent.recorded', { action }, T0 + (i + 1) * MINUTE),
    ),
  ]
}

function stateOf(events: readonly NewLeadEvent[], policy: Policy): LeadState {
  const { state } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead')
  }
  return state
}

const TIERS = [
  { id: 'self-serve', acv: 5_000, extras: ['product-pages-multiple'], score: 35 },
  { id: 'lower-mid-market', acv: 20_000, extras: ['competitor-comparison'], score: 50 },
  {
    id: 'mid-market',
    acv: 50_000,
    extras: ['competitor-comparison', 'product-pages-multiple'],
    score: 60,
  },
  { id: 'mid-enterprise', acv: 120_000, extras: ['roi-calculator', 'webinar-live'], score: 70 },
  {
    id: 'strategic-enterprise',
    acv: 350_000,
    extras: ['roi-calculator', 'competitor-comparison'],
    score: 80,
  },
] as const

describe('MQL threshold by ACV tier (policies/acv-tiers.yaml)', () => {
  it.each(TIERS.map((tier) => [tier.id, tier] as const))(
    'a %s lead scoring exactly its tier threshold becomes an MQL',
    (_, tier) => {
      const state = stateOf(leadEvents(tier.acv, tier.extras), acvPolicy)
      expect(state.score?.total).toBe(tier.score)
      expect(state.stage).toBe('mql')
      expect(state.acvTier?.tierId).toBe(tier.id)
      expect(state.acvTier?.basis).toBe('acv-estimate')
      expect(state.transitions.at(-1)?.reason).toBe(
        `score ${tier.score} ≥ ${tier.score} (ACV tier ${tier.id}) and every entry criterion met`,
      )
    },
  )

  it.each(TIERS.slice(1).map((tier, i) => [tier.id, tier, TIERS[i]!] as const))(
    'a %s lead with the tier below’s threshold score stays out of MQL',
    (_, tier, below) => {
      const state = stateOf(leadEvents(tier.acv, below.extras), acvPolicy)
      expect(state.score?.total).toBe(below.score)
      expect(state.stage).toBe('inquiry')
    },
  )

  it('gives the top ACV tiers their own response tier and the others their intent tier', () => {
    expect(TIERS.map((tier) => stateOf(leadEvents(tier.acv, tier.extras), acvPolicy).tier)).toEqual(
      ['tier-1', 'tier-1', 'tier-1', 'mid-enterprise', 'strategic-enterprise'],
    )
  })

  it('keeps the single threshold for a lead with no ACV estimate and no supplied tier', () => {
    const state = stateOf(leadEvents(undefined, ['competitor-comparison']), acvPolicy)
    expect(state.acvTier).toEqual({
      tierId: null,
      basis: 'none',
      ownTierId: null,
      suppliedTierId: null,
      detail: 'no ACV estimate or supplied tier: the single MQL threshold applies',
    })
    expect(state.score?.total).toBe(50)
    expect(state.stage).toBe('inquiry')
    expect(state.queues).toEqual(['manager-review'])
  })

  it('places band edges in the upper band and every ACV in exactly one band', () => {
    expect(
      [0, 9_999.99, 10_000, 29_999, 30_000, 75_000, 199_999, 200_000, 5e9].map(
        (acv) => tierOfAcv(acvPolicy, acv)?.id,
      ),
    ).toEqual([
      'self-serve',
      'self-serve',
      'lower-mid-market',
      'lower-mid-market',
      'mid-market',
      'mid-enterprise',
      'mid-enterprise',
      'strategic-enterprise',
      'strategic-enterprise',
    ])
    const tiers = acvPolicy.acvTiers?.tiers ?? []
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (acv) => {
        const holding = tiers.filter(
          (tier) => acv >= tier.acvFrom && (tier.acvTo === undefined || acv < tier.acvTo),
        )
        expect(holding).toHaveLength(1)
        expect(tierOfAcv(acvPolicy, acv)).toBe(holding[0])
      }),
    )
  })
})

describe('a recycled lead of an ACV tier with its own response tier', () => {
  const DAY = 24 * 60 * MINUTE
  const recycled = [
    leadEvent(
      'lead-acv',
      'lead.created',
      { profile: { ...IDEAL_PROFILE, acvEstimate: 120_000 }, source: 'demo-request' },
      T0,
    ),
    leadEvent('lead-acv', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    leadEvent('lead-acv', 'lead.recycled', { scenario: 'cadence-exhausted' }, T0 + 10 * DAY),
  ]
  const tier2 = ['webinar-live', 'case-study-download', 'email-clicks-3-in-7-days']

  it('re-MQLs only on an intent above its last one (Tier 1), not on Tier 2 actions', () => {
    const first = stateOf(recycled, acvPolicy)
    expect([first.stage, first.tier, first.intentTier]).toEqual([
      'recycled',
      'mid-enterprise',
      'tier-1',
    ])
    const lower = stateOf(
      [
        ...recycled,
        ...tier2.map((action, i) =>
          leadEvent('lead-acv', 'intent.recorded', { action }, T0 + (120 + i) * DAY),
        ),
      ],
      acvPolicy,
    )
    expect(lower.stage).toBe('recycled')
    const back = stateOf(
      [
        ...recycled,
        leadEvent('lead-acv', 'intent.recorded', { action: 'contact-sales' }, T0 + 120 * DAY),
      ],
      acvPolicy,
    )
    expect([back.stage, back.tier, back.mqlCount]).toEqual(['mql', 'mid-enterprise', 2])
  })
})

describe('the default policy keeps seed 000’s single threshold', () => {
  it('qualifies at 60 whatever the ACV estimate, and records no ACV tier', () => {
    const events = leadEvents(350_000, ['competitor-comparison', 'product-pages-multiple'])
    const state = stateOf(events, defaultPolicy)
    expect(state.acvTier).toBeNull()
    expect(state.stage).toBe('mql')
    expect(state.tier).toBe('tier-1')
    expect(state.transitions.at(-1)?.reason).toBe('score 60 ≥ 60 and every entry criterion met')
    // The same lead under the ACV model is strategic enterprise: 60 is below its 80.
    expect(stateOf(events, acvPolicy).stage).toBe('inquiry')
  })
})

describe('a tier or score supplied by the source system', () => {
  const suppliedPolicy: Policy = {
    ...acvPolicy,
    acvTiers: { ...acvPolicy.acvTiers!, tierPrecedence: 'supplied' },
  }
  const fromCrm = { acvTier: 'strategic-enterprise', system: 'salesforce' }

  it('is recorded but loses to Leadclock’s own tier when the policy says leadclock', () => {
    const state = stateOf(leadEvents(20_000, ['competitor-comparison'], fromCrm), acvPolicy)
    expect(state.supplied).toEqual({
      acvTier: 'strategic-enterprise',
      score: null,
      system: 'salesforce',
      at: T0,
    })
    expect(state.acvTier).toEqual({
      tierId: 'lower-mid-market',
      basis: 'acv-estimate',
      ownTierId: 'lower-mid-market',
      suppliedTierId: 'strategic-enterprise',
      detail:
        "Leadclock's tier wins over supplied strategic-enterprise (salesforce): ACV estimate 20000 USD is in lower-mid-market (10000–30000 USD)",
    })
    expect(state.stage).toBe('mql')
  })

  it('wins over Leadclock’s own tier when the policy says supplied', () => {
    const state = stateOf(leadEvents(20_000, ['competitor-comparison'], fromCrm), suppliedPolicy)
    expect(state.acvTier).toEqual({
      tierId: 'strategic-enterprise',
      basis: 'supplied',
      ownTierId: 'lower-mid-market',
      suppliedTierId: 'strategic-enterprise',
      detail:
        "supplied tier strategic-enterprise (salesforce) wins over Leadclock's: ACV estimate 20000 USD is in lower-mid-market (10000–30000 USD)",
    })
    // 50 points clear lower-mid-market's 50 but not strategic enterprise's 80.
    expect(state.score?.total).toBe(50)
    expect(state.stage).toBe('inquiry')
  })

  it('applies when Leadclock has no tier of its own, and is ignored when the policy has no such tier', () => {
    expect(assessAcvTier(acvPolicy, PROFILE, { ...fromCrm, score: null, at: T0 })).toEqual({
      tierId: 'strategic-enterprise',
      basis: 'supplied',
      ownTierId: null,
      suppliedTierId: 'strategic-enterprise',
      detail: 'no ACV estimate; supplied tier strategic-enterprise (salesforce) applies',
    })
    expect(
      assessAcvTier(
        suppliedPolicy,
        { ...PROFILE, acvEstimate: 50_000 },
        { acvTier: 'gold', score: null, system: null, at: T0 },
      ),
    ).toEqual({
      tierId: 'mid-market',
      basis: 'acv-estimate',
      ownTierId: 'mid-market',
      suppliedTierId: null,
      detail:
        'ACV estimate 50000 USD is in mid-market (30000–75000 USD); supplied tier "gold" is not a tier of the policy (allowed: self-serve, lower-mid-market, mid-market, mid-enterprise, strategic-enterprise)',
    })
  })

  const suppliedScorePolicy: Policy = {
    ...defaultPolicy,
    scoring: { ...defaultPolicy.scoring, scorePrecedence: 'supplied' },
  }

  it('scores: Leadclock’s own decides by default, the supplied one when the policy says so', () => {
    const events = leadEvents(undefined, ['competitor-comparison'], {
      score: 90,
      system: 'hubspot',
    })
    const own = stateOf(events, defaultPolicy)
    expect(own.score?.total).toBe(50)
    expect(own.supplied).toEqual({ acvTier: null, score: 90, system: 'hubspot', at: T0 })
    expect(own.stage).toBe('inquiry')
    expect(own.queues).toEqual(['manager-review'])

    const supplied = stateOf(events, suppliedScorePolicy)
    expect(supplied.score?.total).toBe(50)
    expect(supplied.stage).toBe('mql')
    expect(supplied.transitions.at(-1)?.reason).toBe(
      "supplied score 90 (hubspot), Leadclock's 50, ≥ 60 and every entry criterion met",
    )
  })

  it('falls back to Leadclock’s score, and to the policy’s default tier, when nothing is supplied', () => {
    expect(mqlBar(suppliedScorePolicy, 72, null, null)).toEqual({
      points: 72,
      threshold: 60,
      comparison: 'score 72 ≥ 60',
    })
    const withDefault: Policy = {
      ...acvPolicy,
      acvTiers: { ...acvPolicy.acvTiers!, whenUnknown: 'mid-market' },
    }
    const acv = assessAcvTier(withDefault, PROFILE, null)
    expect(acv).toEqual({
      tierId: 'mid-market',
      basis: 'when-unknown',
      ownTierId: null,
      suppliedTierId: null,
      detail: 'no ACV estimate or supplied tier: policy tier mid-market',
    })
    expect(mqlBar(withDefault, 72, null, acv)).toEqual({
      points: 72,
      threshold: 60,
      comparison: 'score 72 ≥ 60 (ACV tier mid-market)',
    })
  })

  it('a later supplied value replaces that value only', () => {
    const events = [
      ...leadEvents(undefined, [], { acvTier: 'mid-market', score: 90, system: 'hubspot' }),
      leadEvent(
        'lead-acv',
        'lead.updated',
        { profile: {}, supplied: { score: 20 } },
        T0 + 10 * MINUTE,
      ),
    ]
    const state = stateOf(events, suppliedScorePolicy)
    expect(state.score?.total).toBe(25)
    expect(state.transitions.at(-1)?.reason).toBe(
      "supplied score 90 (hubspot), Leadclock's 25, ≥ 60 and every entry criterion met",
    )
    expect(state.supplied).toEqual({
      acvTier: 'mid-market',
      score: 20,
      system: 'hubspot',
      at: T0 + 10 * MINUTE,
    })
  })
})
