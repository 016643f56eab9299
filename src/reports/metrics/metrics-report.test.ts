/**
 * Seed 001's worked examples, reproduced from event data run through the real engine, and the
 * arithmetic's properties (fast-check).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { DAY, HOUR, leadEvent, MINUTE } from '../../domain/test-support.js'
import type { NewLeadEvent } from '../../domain/recorded-event.js'
import type { MetricLead } from './metric-lead.js'
import type { CutDimension } from './metric-options.js'
import { CUT_DIMENSIONS } from './metric-options.js'
import { cutMetrics, weeklyWindows } from './metric-cuts.js'
import { measureMetrics } from './metrics-report.js'
import type { RatedRatio } from './rated-ratio.js'
import { ragStatus, ratedRatio } from './rated-ratio.js'
import {
  acceptedThenSql,
  call,
  everyRatio,
  HANDOFF_AFTER,
  metricLeads,
  mqlOfTier,
  policy,
} from './test-support.js'

/** Tuesday 2026-02-03 14:00 UTC, 09:00 in New York: business hours. */
const FEB_3 = Date.parse('2026-02-03T14:00:00Z')
const FEBRUARY = {
  from: Date.parse('2026-02-01T00:00:00Z'),
  to: Date.parse('2026-03-01T00:00:00Z'),
}
const JANUARY = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-02-01T00:00:00Z') }
/** Tuesday 2026-01-13 14:00 UTC. */
const JAN_13 = Date.parse('2026-01-13T14:00:00Z')
const END_OF_MARCH = Date.parse('2026-04-01T00:00:00Z')

const ids = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`)

/** Leads of a tier whose first valid touch comes `after` the SDR clock started (none: null). */
function responded(
  prefix: string,
  tier: 'tier-1' | 'tier-2' | 'tier-3',
  count: number,
  after: number | null,
  ownerId?: string,
): NewLeadEvent[] {
  return ids(prefix, count).flatMap((leadId) => [
    ...mqlOfTier(leadId, tier, FEB_3, ownerId),
    ...(after === null ? [] : [call(leadId, FEB_3 + HANDOFF_AFTER + after)]),
  ])
}

describe('seed 001 worked examples, from event data', () => {
  it('SLA compliance: 38/50, 68/80, 18/20 → 76 %, 85 %, 90 %, weighted 124/150 = 82.7 %', () => {
    // Demo requests (tier 1, 5 business minutes), content MQLs (tier 2, 2 business hours), event
    // leads (tier 3, 24 business hours): the seed's three lead types in the policy's three tiers.
    const events = [
      ...responded('t1-in', 'tier-1', 38, 3 * MINUTE),
      ...responded('t1-late', 'tier-1', 12, 20 * MINUTE),
      ...responded('t2-in', 'tier-2', 68, HOUR),
      ...responded('t2-late', 'tier-2', 12, 3 * HOUR),
      ...responded('t3-in', 'tier-3', 18, 2 * HOUR),
      ...responded('t3-late', 'tier-3', 2, 3 * DAY),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    const { tiers, weighted } = report.responseCompliance
    expect(
      tiers.map(({ tier, numerator, denominator, value, status }) => ({
        tier,
        numerator,
        denominator,
        value,
        status,
      })),
    ).toEqual([
      { tier: 'tier-1', numerator: 38, denominator: 50, value: 76, status: 'amber' },
      { tier: 'tier-2', numerator: 68, denominator: 80, value: 85, status: 'amber' },
      { tier: 'tier-3', numerator: 18, denominator: 20, value: 90, status: 'green' },
    ])
    expect(tiers[0]?.thresholds).toEqual({
      source: 'metrics.mql-response-tier-1',
      better: 'higher',
      green: 80,
      red: 60,
    })
    expect(tiers[2]?.thresholds?.source).toBe('measurement.thresholds.sla-compliance')
    expect(weighted).toMatchObject({
      numerator: 124,
      denominator: 150,
      value: 82.7,
      status: 'amber',
    })
    expect(weighted.counted.numerator).toHaveLength(124)
    expect(weighted.counted.numerator).not.toContain('t1-late-001')
    // The same clocks in the per-item view.
    const item = report.slaCompliance.items.find((ratio) => ratio.id === 'sdr-response-tier-1')
    expect(item).toMatchObject({ numerator: 38, denominator: 50, value: 76 })
  })

  it('formula quick reference: 170 of 200 within SLA = 85 %, leakage (200 − 170) / 200 = 15 %', () => {
    const events = [
      ...responded('called', 'tier-1', 170, 3 * MINUTE),
      ...responded('never', 'tier-1', 30, null),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    expect(report.responseCompliance.weighted).toMatchObject({
      numerator: 170,
      denominator: 200,
      value: 85,
    })
    expect(report.leadLeakage).toMatchObject({ numerator: 30, denominator: 200, value: 15 })
    expect(report.leadLeakage.counted.numerator).toEqual(ids('never', 30))
    // Average response time: the sum of response times ÷ the leads responded.
    expect(report.firstResponse.overall).toMatchObject({ responded: 170, averageMs: 3 * MINUTE })
  })

  it('first response in business time: tier 1 averages 7.08 minutes, median 3 minutes', () => {
    const events = [
      ...responded('fast', 'tier-1', 38, 3 * MINUTE),
      ...responded('slow', 'tier-1', 12, 20 * MINUTE),
      // Tier 2 called the next morning: only business time counts (16:02 → 08:02 next day is 2 h).
      ...ids('overnight', 1).flatMap((leadId) => [
        ...mqlOfTier(leadId, 'tier-2', Date.parse('2026-02-03T21:00:00Z')),
        call(leadId, Date.parse('2026-02-04T13:02:00Z')),
      ]),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    const [tier1, tier2] = report.firstResponse.tiers
    expect(tier1).toMatchObject({
      tier: 'tier-1',
      responded: 50,
      averageMs: ((38 * 3 + 12 * 20) / 50) * MINUTE,
      medianMs: 3 * MINUTE,
      // Nearest rank: the 45th of 50 responses, fastest first.
      p90Ms: 20 * MINUTE,
      notResponded: [],
      pending: [],
    })
    // The response rubric's bands (measurement.responseScoring), in business time.
    expect(tier1?.byBand).toEqual([
      { grade: 'Exceptional', points: 10, withinMs: 5 * MINUTE, responses: 38 },
      { grade: 'Excellent', points: 8, withinMs: 15 * MINUTE, responses: 0 },
      { grade: 'Good', points: 6, withinMs: 60 * MINUTE, responses: 12 },
      { grade: 'Acceptable', points: 4, withinMs: 4 * HOUR, responses: 0 },
      { grade: 'Below target', points: 2, withinMs: 8 * HOUR, responses: 0 },
      { grade: 'Needs improvement', points: 1, withinMs: null, responses: 0 },
    ])
    expect(tier2).toMatchObject({ responded: 1, averageMs: 2 * HOUR, medianMs: 2 * HOUR })
    expect(tier2?.byBand.map((band) => band.responses)).toEqual([0, 0, 0, 1, 0, 0])
    expect(report.firstResponse.overall.responded).toBe(51)
  })

  it('breaches per SLA item: clocks past the breach threshold; pooled by lead, the overall rate', () => {
    // Tier 1 (5 business minutes, breach at 2 business hours), judged the next morning (Wednesday
    // 09:00 in New York, 9 h 58 min of business time after the handoff).
    const asOf = Date.parse('2026-02-04T14:00:00Z')
    const clockStart = FEB_3 + HANDOFF_AFTER
    const events = [
      ...responded('fast', 'tier-1', 3, 3 * MINUTE).concat(
        ids('fast', 3).map((leadId) => leadEvent(leadId, 'sal.accepted', {}, clockStart + HOUR)),
      ),
      ...responded('slow', 'tier-1', 2, 20 * MINUTE),
      ...responded('late', 'tier-1', 1, 3 * HOUR),
      ...responded('never', 'tier-1', 1, null),
    ]
    const report = measureMetrics(policy, metricLeads(events, asOf), FEBRUARY, asOf)
    const breaches = (itemId: string) => report.slaBreaches.find((ratio) => ratio.id === itemId)
    // Stopped after the breach threshold (late) or running past it (never); slow only missed.
    expect(breaches('sdr-response-tier-1')).toMatchObject({
      numerator: 2,
      denominator: 7,
      value: 28.6,
      status: null,
      counted: { numerator: ['late-001', 'never-001'] },
    })
    // Past the 4-hour target but short of 24 business hours: missed, not breached.
    expect(breaches('sal-accept-reject')).toMatchObject({ numerator: 0, denominator: 7 })
    expect(
      report.slaCompliance.items.find((ratio) => ratio.id === 'sal-accept-reject'),
    ).toMatchObject({ numerator: 3, denominator: 7 })
    expect(breaches('sal-resolution-window')).toMatchObject({ numerator: 0, denominator: 3 })
    expect(report.overallBreach).toMatchObject({
      numerator: 2,
      denominator: 7,
      value: 28.6,
      status: 'red',
    })
  })

  it('rep response score: 50 leads averaging 7.2 points score 72 %', () => {
    // 20 within 5 minutes (10 points), 20 within 15 (8), 10 never touched (0): 360 of 500.
    const events = [
      ...responded('exceptional', 'tier-1', 20, 4 * MINUTE, 'sdr-bo'),
      ...responded('excellent', 'tier-1', 20, 10 * MINUTE, 'sdr-bo'),
      ...responded('silent', 'tier-1', 10, null, 'sdr-bo'),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    expect(report.repResponseScores).toHaveLength(1)
    const [score] = report.repResponseScores
    expect(score).toMatchObject({
      repId: 'sdr-bo',
      leads: 50,
      points: 360,
      maxPoints: 500,
      averagePoints: 7.2,
      value: 72,
      status: null,
      pending: [],
    })
    expect(score?.byLead.find((lead) => lead.leadId === 'excellent-001')).toEqual({
      leadId: 'excellent-001',
      businessMs: 10 * MINUTE,
      points: 8,
      grade: 'Excellent',
    })
    expect(score?.byLead.find((lead) => lead.leadId === 'silent-001')).toMatchObject({
      businessMs: null,
      points: 0,
      grade: 'Unacceptable',
    })
    // Lead leakage of the same leads: 10 of 50 never validly touched.
    expect(report.leadLeakage).toMatchObject({ numerator: 10, denominator: 50, value: 20 })
  })

  it('the January cohort at the March snapshot: SAL 60 %, SAL → SQL 30 %, MQL → SQL 18 %', () => {
    const accepted = ids('jan', 200).slice(0, 120)
    const events = ids('jan', 200).flatMap((leadId, i) => {
      const mql = mqlOfTier(leadId, 'tier-1', JAN_13)
      const decided = JAN_13 + HOUR
      if (i >= 120) {
        return [...mql, leadEvent(leadId, 'sal.rejected', { reasonCode: 'REJ-03' }, decided)]
      }
      if (i < 36) {
        return [...mql, ...acceptedThenSql(leadId, decided)]
      }
      const sal = [...mql, leadEvent(leadId, 'sal.accepted', {}, decided)]
      return i < 66
        ? [...sal, leadEvent(leadId, 'lead.disqualified', { reason: 'no budget' }, decided + DAY)]
        : sal
    })
    const report = measureMetrics(policy, metricLeads(events, END_OF_MARCH), JANUARY, END_OF_MARCH)
    expect(report.cohort).toMatchObject({
      mql: 200,
      sal: 120,
      sql: 36,
      opportunity: 0,
      mqlOutcomes: { accepted: 120, rejected: 80, closed: 0, open: 0 },
      salOutcomes: { qualified: 36, closed: 30, open: 54 },
    })
    expect(report.cohort.leads.sal).toEqual(accepted)
    expect(report.salAcceptance).toMatchObject({
      numerator: 120,
      denominator: 200,
      value: 60,
      status: 'amber',
    })
    expect(report.salToSql).toMatchObject({
      numerator: 36,
      denominator: 120,
      value: 30,
      status: 'green',
    })
    expect(report.mqlToSql).toMatchObject({
      numerator: 36,
      denominator: 200,
      value: 18,
      status: 'amber',
    })
    expect(report.mqlQuality).toMatchObject({
      numerator: 120,
      denominator: 200,
      value: 60,
      status: 'red',
    })
  })

  it('lead velocity: 220 new MQLs after 200 → 10 % growth', () => {
    const events = [
      ...ids('jan', 200).flatMap((leadId) => mqlOfTier(leadId, 'tier-1', JAN_13)),
      ...ids('feb', 220).flatMap((leadId) => mqlOfTier(leadId, 'tier-1', FEB_3)),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    expect(report.leadVelocity).toMatchObject({
      current: 220,
      previous: 200,
      previousWindow: { from: FEBRUARY.from - (FEBRUARY.to - FEBRUARY.from), to: FEBRUARY.from },
      value: 10,
    })
  })
})

describe('rejection feedback completion, from event data', () => {
  it('counts coded rejections against those refused for want of a code and never completed', () => {
    const at = FEB_3 + HOUR
    const events = [
      ...mqlOfTier('coded', 'tier-1', FEB_3),
      leadEvent('coded', 'sal.rejected', { reasonCode: 'REJ-03' }, at),
      // Refused (free text only), then completed with a code: one complete rejection.
      ...mqlOfTier('retried', 'tier-1', FEB_3),
      leadEvent('retried', 'sal.rejected', { reasonCode: 'not a fit' }, at),
      leadEvent('retried', 'sal.rejected', { reasonCode: 'REJ-02' }, at + MINUTE),
      // Refused and left there: the feedback never came.
      ...mqlOfTier('abandoned', 'tier-1', FEB_3),
      leadEvent('abandoned', 'sal.rejected', { reasonCode: '' }, at),
    ]
    const report = measureMetrics(policy, metricLeads(events, FEBRUARY.to), FEBRUARY, FEBRUARY.to)
    expect(report.rejectionFeedback).toMatchObject({
      numerator: 2,
      denominator: 3,
      value: 66.7,
      status: 'amber',
      thresholds: { source: 'measurement.thresholds.rejection-feedback-completion' },
    })
    expect(report.rejectionFeedback.counted.denominator).toEqual([
      'abandoned/sal-rejection@2026-02-03T15:00:00.000Z',
      'coded/sal-rejection@2026-02-03T15:00:00.000Z',
      'retried/sal-rejection@2026-02-03T15:01:00.000Z',
    ])
  })
})

describe('RAG status', () => {
  const higher = { source: 'metrics.x', better: 'higher' as const, green: 80, red: 60 }
  const lower = { source: 'metrics.y', better: 'lower' as const, green: 5, red: 15 }
  it('is amber between the thresholds, both included, as section 11 writes its bands', () => {
    expect([80.1, 80, 60, 59.9].map((value) => ragStatus(value, higher))).toEqual([
      'green',
      'amber',
      'amber',
      'red',
    ])
    expect([4.9, 5, 15, 15.1].map((value) => ragStatus(value, lower))).toEqual([
      'green',
      'amber',
      'amber',
      'red',
    ])
  })
  it('rates nothing when nothing was measured', () => {
    expect(
      ratedRatio({
        id: 'x',
        name: 'x',
        formula: 'x',
        numerator: [],
        denominator: [],
        thresholds: higher,
      }),
    ).toMatchObject({ value: null, status: null })
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over generated facts

const WINDOW = { from: 0, to: 1_000_000 }
const ITEM_IDS = policy.slaItems.filter((item) => item.clock).map((item) => item.id)
const STAGES = [
  'mql',
  'sal',
  'sql',
  'opportunity',
  'closed-won',
  'closed-lost',
  'recycled',
  'nurture',
  'disqualified',
]
const instant = fc.integer({ min: -500_000, max: 1_200_000 })
const NO_CUTS = Object.fromEntries(CUT_DIMENSIONS.map((dimension) => [dimension, null])) as Record<
  CutDimension,
  null
>

const clockArb = fc
  .record({
    itemId: fc.constantFrom(...ITEM_IDS),
    startedAt: instant,
    runFor: fc.option(fc.integer({ min: 0, max: 400_000 })),
    target: fc.option(fc.integer({ min: 0, max: 300_000 })),
    breachAfterTarget: fc.integer({ min: 0, max: 300_000 }),
  })
  .map(({ itemId, startedAt, runFor, target, breachAfterTarget }) => {
    const stoppedAt = runFor === null ? null : startedAt + runFor
    const targetAt = target === null ? null : startedAt + target
    const breachAt = targetAt === null ? null : targetAt + breachAfterTarget
    const status =
      stoppedAt === null
        ? breachAt !== null && breachAt <= WINDOW.to
          ? ('breached' as const)
          : ('running' as const)
        : targetAt === null || stoppedAt <= targetAt
          ? ('met' as const)
          : ('missed' as const)
    return { itemId, startedAt, stoppedAt, elapsedMs: runFor ?? 0, targetAt, breachAt, status }
  })

const leadArb = fc
  .record({
    ownerId: fc.option(fc.constantFrom('sdr-a', 'sdr-b')),
    tier: fc.option(fc.constantFrom('tier-1', 'tier-2', 'tier-3')),
    transitions: fc.array(fc.record({ to: fc.constantFrom(...STAGES), at: instant }), {
      maxLength: 6,
    }),
    clocks: fc.array(clockArb, { maxLength: 4 }),
    touchAtStop: fc.boolean(),
    validTouchesAt: fc.array(instant, { maxLength: 3 }),
    connectsAt: fc.array(instant, { maxLength: 2 }),
    codedRejections: fc.array(
      fc.record({ kind: fc.constantFrom('sal' as const, 'ae' as const), at: instant }),
      { maxLength: 2 },
    ),
    refusedRejections: fc.array(
      fc.record({ kind: fc.constantFrom('sal' as const, 'ae' as const), at: instant }),
      { maxLength: 2 },
    ),
    cuts: fc.record(
      Object.fromEntries(
        CUT_DIMENSIONS.map((dimension) => [dimension, fc.option(fc.constantFrom('x', 'y', 'z'))]),
      ) as Record<CutDimension, fc.Arbitrary<string | null>>,
    ),
  })
  .map(({ touchAtStop, ...lead }) => ({
    ...lead,
    // The latest run of each SLA item, as metricLeadOf gives them.
    clocks: lead.clocks.filter(
      (clock, i) => lead.clocks.findIndex((other) => other.itemId === clock.itemId) === i,
    ),
    transitions: [...lead.transitions].sort((a, b) => a.at - b.at),
    validTouchesAt: touchAtStop
      ? [
          ...lead.validTouchesAt,
          ...lead.clocks.flatMap((clock) => (clock.stoppedAt === null ? [] : [clock.stoppedAt])),
        ]
      : lead.validTouchesAt,
  }))

const leadsArb = fc
  .array(leadArb, { maxLength: 25 })
  .map((leads): MetricLead[] => leads.map((lead, i) => ({ ...lead, leadId: `lead-${i}` })))

describe('metric arithmetic (properties)', () => {
  it('no percentage ever leaves [0, 100], and no numerator exceeds its denominator', () => {
    fc.assert(
      fc.property(leadsArb, (leads) => {
        const report = measureMetrics(policy, leads, WINDOW, WINDOW.to)
        for (const ratio of everyRatio(report)) {
          expect(ratio.numerator).toBeLessThanOrEqual(ratio.denominator)
          if (ratio.value !== null) {
            expect(ratio.value).toBeGreaterThanOrEqual(0)
            expect(ratio.value).toBeLessThanOrEqual(100)
          }
        }
        for (const score of report.repResponseScores) {
          expect(score.points).toBeLessThanOrEqual(score.maxPoints)
          if (score.value !== null) {
            expect(score.value).toBeGreaterThanOrEqual(0)
            expect(score.value).toBeLessThanOrEqual(100)
          }
        }
      }),
    )
  })

  it('the overall breach rate pools the items’ breaches by lead', () => {
    const union = (ratios: readonly RatedRatio[], part: 'numerator' | 'denominator') =>
      [...new Set(ratios.flatMap((ratio) => ratio.counted[part]))].sort()
    fc.assert(
      fc.property(leadsArb, (leads) => {
        const report = measureMetrics(policy, leads, WINDOW, WINDOW.to)
        expect(report.overallBreach.counted.numerator).toEqual(
          union(report.slaBreaches, 'numerator'),
        )
        expect(report.overallBreach.counted.denominator).toEqual(
          union(report.slaBreaches, 'denominator'),
        )
      }),
    )
  })

  it('each first response falls in exactly one band of the rubric', () => {
    fc.assert(
      fc.property(leadsArb, (leads) => {
        const { tiers, overall } = measureMetrics(policy, leads, WINDOW, WINDOW.to).firstResponse
        for (const times of [...tiers, overall]) {
          expect(times.byBand.reduce((sum, band) => sum + band.responses, 0)).toBe(times.responded)
        }
      }),
    )
  })

  it('adding a compliant lead never lowers an item’s compliance nor the overall one', () => {
    const compliant = fc
      .record({
        itemId: fc.constantFrom(...ITEM_IDS),
        startedAt: fc.integer({ min: WINDOW.from, max: WINDOW.to - 1 }),
        took: fc.integer({ min: 0, max: 100_000 }),
        spare: fc.integer({ min: 0, max: 100_000 }),
      })
      .map(({ itemId, startedAt, took, spare }) => ({
        itemId,
        startedAt,
        stoppedAt: startedAt + took,
        elapsedMs: took,
        targetAt: startedAt + took + spare,
        breachAt: startedAt + took + spare,
        status: 'met' as const,
      }))
    const share = (ratio: { numerator: number; denominator: number }) =>
      ratio.denominator === 0 ? 0 : ratio.numerator / ratio.denominator
    fc.assert(
      fc.property(leadsArb, compliant, (leads, clock) => {
        const before = measureMetrics(policy, leads, WINDOW, WINDOW.to)
        const added: MetricLead = {
          leadId: 'lead-added',
          ownerId: null,
          tier: null,
          transitions: [],
          clocks: [clock],
          validTouchesAt: [],
          connectsAt: [],
          codedRejections: [],
          refusedRejections: [],
          cuts: NO_CUTS,
        }
        const after = measureMetrics(policy, [...leads, added], WINDOW, WINDOW.to)
        const item = (report: typeof before) =>
          report.slaCompliance.items.find((ratio) => ratio.id === clock.itemId)
        expect(share(item(after) ?? { numerator: 0, denominator: 0 })).toBeGreaterThanOrEqual(
          share(item(before) ?? { numerator: 0, denominator: 0 }),
        )
        expect(item(after)?.denominator).toBe((item(before)?.denominator ?? 0) + 1)
        expect(share(after.slaCompliance.overall)).toBeGreaterThanOrEqual(
          share(before.slaCompliance.overall),
        )
      }),
    )
  })

  it('counts the cohort MQLs whose opportunity closed won, not those lost', () => {
    const lead = (leadId: string, last: string): MetricLead => ({
      leadId,
      ownerId: 'sdr-a',
      tier: 'tier-1',
      transitions: ['mql', 'sal', 'sql', 'opportunity', last].map((to, i) => ({
        to,
        at: 100 + i,
      })),
      clocks: [],
      validTouchesAt: [],
      connectsAt: [],
      codedRejections: [],
      refusedRejections: [],
      cuts: NO_CUTS,
    })
    const { cohort } = measureMetrics(
      policy,
      [lead('won-1', 'closed-won'), lead('lost-1', 'closed-lost'), lead('open-1', 'opportunity')],
      WINDOW,
      WINDOW.to,
    )
    expect(cohort).toMatchObject({ mql: 3, opportunity: 3, won: 1 })
    expect(cohort.leads.won).toEqual(['won-1'])
  })

  it('cohort stage counts never grow along the funnel, and each stage’s outcomes add up to it', () => {
    fc.assert(
      fc.property(leadsArb, (leads) => {
        const { cohort } = measureMetrics(policy, leads, WINDOW, WINDOW.to)
        expect(cohort.mql).toBeGreaterThanOrEqual(cohort.sal)
        expect(cohort.sal).toBeGreaterThanOrEqual(cohort.sql)
        expect(cohort.sql).toBeGreaterThanOrEqual(cohort.opportunity)
        expect(cohort.opportunity).toBeGreaterThanOrEqual(cohort.won)
        const sum = (parts: Record<string, number>) =>
          Object.values(parts).reduce((total, part) => total + part, 0)
        expect(sum(cohort.mqlOutcomes)).toBe(cohort.mql)
        expect(sum(cohort.salOutcomes)).toBe(cohort.sal)
        expect(sum(cohort.sqlOutcomes)).toBe(cohort.sql)
        for (const part of [cohort.mqlOutcomes, cohort.salOutcomes, cohort.sqlOutcomes]) {
          expect(Math.min(...Object.values(part))).toBeGreaterThanOrEqual(0)
        }
      }),
    )
  })
})

describe('cuts and weeks add up (properties)', () => {
  const sums = (ratios: readonly RatedRatio[][]) =>
    ratios[0]?.map((_, i) => ({
      numerator: ratios.reduce((sum, list) => sum + (list[i]?.numerator ?? 0), 0),
      denominator: ratios.reduce((sum, list) => sum + (list[i]?.denominator ?? 0), 0),
    })) ?? []
  const counts = (ratios: readonly RatedRatio[]) =>
    ratios.map(({ numerator, denominator }) => ({ numerator, denominator }))

  it('the values of every cut partition every ratio, and every rep’s points', () => {
    fc.assert(
      fc.property(leadsArb, fc.constantFrom(...CUT_DIMENSIONS), (leads, dimension) => {
        const whole = measureMetrics(policy, leads, WINDOW, WINDOW.to)
        const { values } = cutMetrics(policy, leads, WINDOW, WINDOW.to, dimension)
        if (values.length === 0) {
          expect(counts(everyRatio(whole)).every((ratio) => ratio.denominator === 0)).toBe(true)
          return
        }
        expect(sums(values.map((value) => everyRatio(value.metrics)))).toEqual(
          counts(everyRatio(whole)),
        )
        const points = (reports: readonly (typeof whole)[]) =>
          reports
            .flatMap((report) => report.repResponseScores)
            .reduce((sum, score) => sum + score.points, 0)
        expect(points(values.map((value) => value.metrics))).toBe(points([whole]))
        expect(values.reduce((sum, value) => sum + value.metrics.cohort.mql, 0)).toBe(
          whole.cohort.mql,
        )
      }),
    )
  })

  it('weekly buckets cover the period and their cohorts and clocks add up to it', () => {
    // The generated instants span about 20 minutes: a minute each becomes a day here.
    const DAYS = 1440
    const inDays = (at: number) => at * DAYS
    const stretched = (lead: MetricLead): MetricLead => ({
      ...lead,
      transitions: lead.transitions.map((transition) => ({
        ...transition,
        at: inDays(transition.at),
      })),
      clocks: lead.clocks.map((clock) => ({
        ...clock,
        startedAt: inDays(clock.startedAt),
        stoppedAt: clock.stoppedAt === null ? null : inDays(clock.stoppedAt),
        elapsedMs: inDays(clock.elapsedMs),
        targetAt: clock.targetAt === null ? null : inDays(clock.targetAt),
        breachAt: clock.breachAt === null ? null : inDays(clock.breachAt),
      })),
      validTouchesAt: lead.validTouchesAt.map(inDays),
      connectsAt: lead.connectsAt.map(inDays),
      codedRejections: lead.codedRejections.map((rejection) => ({
        ...rejection,
        at: inDays(rejection.at),
      })),
      refusedRejections: lead.refusedRejections.map((rejection) => ({
        ...rejection,
        at: inDays(rejection.at),
      })),
    })
    const period = fc
      .record({
        from: fc.integer({ min: -500_000, max: 200_000 }),
        span: fc.integer({ min: 1, max: 1_500_000 }),
      })
      .map(({ from, span }) => ({ from: inDays(from), to: inDays(from + span) }))
    fc.assert(
      fc.property(
        leadsArb.map((leads) => leads.map(stretched)),
        period,
        (leads, window) => {
          const weeks = weeklyWindows(window)
          expect(weeks[0]?.from).toBe(window.from)
          expect(weeks.at(-1)?.to).toBe(window.to)
          weeks.slice(1).forEach((week, i) => expect(week.from).toBe(weeks[i]?.to))
          const asOf = inDays(WINDOW.to)
          const whole = measureMetrics(policy, leads, window, asOf)
          const parts = weeks.map((week) => measureMetrics(policy, leads, week, asOf))
          // Counted by cohort MQL, by clock (lead/item) or by rejection: each falls in one week.
          const additive = (report: typeof whole) => [
            report.mqlToOpportunity,
            report.salAcceptance,
            report.salToSql,
            report.mqlToSql,
            report.sqlToOpportunity,
            report.mqlQuality,
            report.liveContact,
            report.slaCompliance.overall,
            ...report.slaCompliance.items,
            report.rejectionFeedback,
          ]
          expect(sums(parts.map(additive))).toEqual(counts(additive(whole)))
          // A lead with clocks started in several weeks counts in each of them.
          expect(
            parts.reduce((sum, part) => sum + part.overallBreach.denominator, 0),
          ).toBeGreaterThanOrEqual(whole.overallBreach.denominator)
        },
      ),
    )
  })
})
