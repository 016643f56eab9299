/**
 * M2 from event data run through the real engine: cuts, recycled MQLs apart, the contact rate per
 * response-time band, surge days and weekly trends, with the figures worked out by hand.
 */
import { describe, expect, it } from 'vitest'

import { DAY, HOUR, leadEvent, MINUTE } from '../../domain/test-support.js'
import type { NewLeadEvent } from '../../domain/recorded-event.js'
import { cutMetrics, metricsTrend, weeklyWindows } from './metric-cuts.js'
import { measureMetrics } from './metrics-report.js'
import {
  acceptedThenSql,
  call,
  HANDOFF_AFTER,
  metricLeads,
  mqlOfTier,
  policy,
} from './test-support.js'

/** Tuesday 2026-02-03 14:00 UTC, 09:00 in New York. */
const FEB_3 = Date.parse('2026-02-03T14:00:00Z')
const CLOCK_START = FEB_3 + HANDOFF_AFTER
/** Four weeks from Monday 2026-02-02. */
const FEBRUARY_WEEKS = {
  from: Date.parse('2026-02-02T00:00:00Z'),
  to: Date.parse('2026-03-02T00:00:00Z'),
}
const OCT_7 = Date.parse('2025-10-07T14:00:00Z')
const JAN_13 = Date.parse('2026-01-13T14:00:00Z')
const TEAMS = new Map([
  ['sdr-ana', 'mgr-carla'],
  ['sdr-bo', 'mgr-dan'],
])

/**
 * a1: tier 1, Ana, touched in 3 minutes (live), SQL and an opportunity; a2: tier 2, Ana, never
 * touched; b1: tier 1, Bo, touched after 20 minutes (live); b2: tier 2, Bo, touched in an hour (no
 * answer), SQL; r1: a tier-2 MQL of October, recycled, back as a tier-1 MQL on February 3, touched
 * in 2 minutes (live) and accepted; j1–j3: January MQLs, the surge baseline.
 */
function history(): NewLeadEvent[] {
  return [
    ...mqlOfTier('a1', 'tier-1', FEB_3, 'sdr-ana', { source: 'webinar', segment: 'smb' }),
    call('a1', CLOCK_START + 3 * MINUTE, 'connected'),
    ...acceptedThenSql('a1', CLOCK_START + HOUR),
    leadEvent('a1', 'ae.accepted', { briefingRead: true }, CLOCK_START + 2 * HOUR),
    leadEvent('a1', 'opportunity.created', { acv: 40_000 }, CLOCK_START + DAY),
    ...mqlOfTier('a2', 'tier-2', FEB_3, 'sdr-ana', { source: 'webinar' }),
    ...mqlOfTier('b1', 'tier-1', FEB_3, 'sdr-bo', { source: 'paid', segment: 'smb' }),
    call('b1', CLOCK_START + 20 * MINUTE, 'connected'),
    ...mqlOfTier('b2', 'tier-2', FEB_3, 'sdr-bo', { source: 'paid', segment: 'mid-market' }),
    call('b2', CLOCK_START + HOUR),
    ...acceptedThenSql('b2', CLOCK_START + 2 * HOUR),
    ...mqlOfTier('r1', 'tier-2', OCT_7, 'sdr-ana', { source: 'webinar' }),
    leadEvent('r1', 'sal.accepted', {}, OCT_7 + HOUR),
    leadEvent('r1', 'lead.recycled', { scenario: 'cadence-exhausted' }, OCT_7 + DAY),
    leadEvent('r1', 'intent.recorded', { action: 'demo-request' }, FEB_3, { key: 'r1:again' }),
    leadEvent('r1', 'owner.assigned', { ownerId: 'sdr-ana', reason: 'rr' }, CLOCK_START),
    call('r1', CLOCK_START + 2 * MINUTE, 'connected'),
    leadEvent('r1', 'sal.accepted', {}, CLOCK_START + HOUR),
    ...['j1', 'j2', 'j3'].flatMap((leadId) => mqlOfTier(leadId, 'tier-1', JAN_13, 'sdr-bo')),
  ]
}

const leads = metricLeads(history(), FEBRUARY_WEEKS.to, TEAMS)
const figures = (ratio: { numerator: number; denominator: number; value: number | null }) => [
  ratio.numerator,
  ratio.denominator,
  ratio.value,
]

describe('the period uncut', () => {
  const report = measureMetrics(policy, leads, FEBRUARY_WEEKS, FEBRUARY_WEEKS.to)

  it('puts the north star first, over new MQLs only: 1 opportunity of 4 new MQLs', () => {
    expect(Object.keys(report).slice(0, 3)).toEqual(['window', 'asOf', 'mqlToOpportunity'])
    expect(figures(report.mqlToOpportunity)).toEqual([1, 4, 25])
    expect(report.cohort.leads.mql).toEqual(['a1', 'a2', 'b1', 'b2'])
  })

  it('reports the recycled MQL apart: 1 back after a recycle, accepted, no SQL yet', () => {
    expect(report.recycled.cohort).toMatchObject({ mql: 1, sal: 1, sql: 0, opportunity: 0 })
    expect(report.recycled.cohort.leads.mql).toEqual(['r1'])
    expect(figures(report.recycled.salAcceptance)).toEqual([1, 1, 100])
    expect(figures(report.recycled.mqlToOpportunity)).toEqual([0, 1, 0])
    expect(report.recycled.salAcceptance.name).toBe('SAL acceptance — recycled MQLs')
  })

  it('draws section 11’s curve: live contact rate per band of first-response time', () => {
    expect(
      report.contactByResponseTime.map((band) => [
        band.grade,
        band.withinMs,
        ...figures(band.contact),
      ]),
    ).toEqual([
      // a1 (3 min) and r1 (2 min), both reached live.
      ['Exceptional', 5 * MINUTE, 2, 2, 100],
      ['Excellent', 15 * MINUTE, 0, 0, null],
      // b1 (20 min, live) and b2 (60 min, no answer).
      ['Good', 60 * MINUTE, 1, 2, 50],
      ['Acceptable', 4 * HOUR, 0, 0, null],
      ['Below target', 8 * HOUR, 0, 0, null],
      ['Needs improvement', null, 0, 0, null],
      // a2, never touched.
      ['Unacceptable', null, 0, 1, 0],
    ])
    expect(report.contactByResponseTime.at(-1)?.touched).toBe(false)
    expect(report.contactByResponseTime[0]?.contact.status).toBe('green')
  })

  it('marks February 3 a surge day: 5 MQLs against 3 in the 30 days before (threshold 0.2)', () => {
    expect(report.surgeDays).toEqual([
      { date: '2026-02-03', mqls: 5, trailingAverage: 0.1, threshold: 0.2 },
    ])
  })
})

describe('cuts', () => {
  const cut = (dimension: Parameters<typeof cutMetrics>[4]) =>
    cutMetrics(policy, leads, FEBRUARY_WEEKS, FEBRUARY_WEEKS.to, dimension)

  it('by owner: Ana 1 opportunity of 2 new MQLs and 2/3 responses met; Bo 0 of 2 and 1/2', () => {
    expect(
      cut('owner').values.map(({ value, leads: count, metrics }) => [
        value,
        count,
        figures(metrics.mqlToOpportunity),
        figures(metrics.responseCompliance.weighted),
        figures(metrics.liveContact),
      ]),
    ).toEqual([
      ['sdr-ana', 3, [1, 2, 50], [2, 3, 66.7], [1, 2, 50]],
      ['sdr-bo', 2, [0, 2, 0], [1, 2, 50], [1, 2, 50]],
    ])
  })

  it('by tier, source, segment and team, each lead in exactly one value (null last)', () => {
    const valuesOf = (dimension: Parameters<typeof cutMetrics>[4]) =>
      cut(dimension).values.map(({ value, metrics }) => [value, metrics.cohort.leads.mql])
    expect(valuesOf('tier')).toEqual([
      ['tier-1', ['a1', 'b1']],
      ['tier-2', ['a2', 'b2']],
    ])
    expect(valuesOf('source')).toEqual([
      ['paid', ['b1', 'b2']],
      ['webinar', ['a1', 'a2']],
    ])
    expect(valuesOf('segment')).toEqual([
      ['mid-market', ['b2']],
      ['smb', ['a1', 'b1']],
      [null, ['a2']],
    ])
    expect(valuesOf('team')).toEqual([
      ['mgr-carla', ['a1', 'a2']],
      ['mgr-dan', ['b1', 'b2']],
    ])
    // r1 is tier 1 now (its MQL of February), so it is in the tier-1 value's recycled cohort.
    expect(cut('tier').values[0]?.metrics.recycled.cohort.leads.mql).toEqual(['r1'])
  })

  it('by region and policy version: one value each here, equal to the whole', () => {
    for (const dimension of ['region', 'policy-version', 'acv-tier'] as const) {
      const { values } = cut(dimension)
      expect(values).toHaveLength(1)
      expect(
        figures(
          values[0]?.metrics.mqlToOpportunity ?? { numerator: -1, denominator: -1, value: -1 },
        ),
      ).toEqual([1, 4, 25])
    }
    expect(cut('region').values.map((value) => value.value)).toEqual(['us-east'])
    expect(cut('policy-version').values.map((value) => value.value)).toEqual(['2.1.0'])
    expect(cut('acv-tier').values.map((value) => value.value)).toEqual([null])
  })

  it('leaves out values with nothing in the period (the January leads’ owner has February ones)', () => {
    const january = { from: JAN_13 - DAY, to: JAN_13 + DAY }
    const { values } = cutMetrics(policy, leads, january, january.to, 'owner')
    expect(values.map(({ value, leads: count }) => [value, count])).toEqual([['sdr-bo', 3]])
  })
})

describe('weekly trends', () => {
  it('splits a period into 7-day weeks from its start, the last one shorter when it must be', () => {
    expect(weeklyWindows({ from: 0, to: 16 * DAY })).toEqual([
      { from: 0, to: 7 * DAY },
      { from: 7 * DAY, to: 14 * DAY },
      { from: 14 * DAY, to: 16 * DAY },
    ])
  })

  it('four February weeks: the first holds every MQL, and is a surge week', () => {
    const trend = metricsTrend(policy, leads, FEBRUARY_WEEKS, FEBRUARY_WEEKS.to)
    expect(
      trend.weeks.map((week) => [
        new Date(week.window.from).toISOString().slice(0, 10),
        week.newMqls,
        week.recycledMqls,
        week.surge,
        week.surgeDays,
        week.measures[0]?.id,
        week.measures[0] && figures(week.measures[0]),
      ]),
    ).toEqual([
      ['2026-02-02', 4, 1, true, ['2026-02-03'], 'mql-to-opportunity-rate', [1, 4, 25]],
      ['2026-02-09', 0, 0, false, [], 'mql-to-opportunity-rate', [0, 0, null]],
      ['2026-02-16', 0, 0, false, [], 'mql-to-opportunity-rate', [0, 0, null]],
      ['2026-02-23', 0, 0, false, [], 'mql-to-opportunity-rate', [0, 0, null]],
    ])
    expect(trend.weeks[0]?.firstResponse).toEqual({
      responded: 4,
      averageMs: ((3 + 2 + 20 + 60) / 4) * MINUTE,
      medianMs: 11.5 * MINUTE,
    })
    expect(trend.surgeDays.map((day) => day.date)).toEqual(['2026-02-03'])
  })
})
