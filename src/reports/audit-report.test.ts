import { describe, expect, it } from 'vitest'

import { isClockEvent } from '../domain/lead-snapshot.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import { createCalendarSet } from '../domain/sla-clock-view.js'
import { DAY, HOUR, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../domain/test-support.js'
import { AuditTally } from './audit-report.js'
import { measureMetrics } from './metrics/metrics-report.js'
import { metricLeads } from './metrics/test-support.js'
import {
  AUDIT_ESCALATIONS,
  AUDIT_HISTORIES,
  auditOf,
  policy,
  roster,
  WINDOW,
} from './test-support.js'

const calendars = createCalendarSet(policy)

describe('the audit report', () => {
  const report = auditOf(AUDIT_HISTORIES)
  const item = (id: string) => report.compliance.items.find((entry) => entry.itemId === id)

  it('measures each appendix-A item of the period as of its end, with the RAG of its compliance', () => {
    expect(report.leads).toBe(4)
    expect(report.asOf).toBe(WINDOW.to)
    // A met; B and C missed and breached (B stopped past 2 business hours, C runs past them); D,
    // rejected after 28 minutes, missed the 5-minute target but not the breach threshold.
    expect(item('sdr-response-tier-1')?.compliance).toMatchObject({
      numerator: 1,
      denominator: 4,
      value: 25,
      status: 'red',
      counted: { pending: [] },
      thresholds: { source: 'metrics.mql-response-tier-1', green: 80, red: 60 },
    })
    expect(item('sdr-response-tier-1')?.breaches).toMatchObject({
      numerator: 2,
      denominator: 4,
      value: 50,
      counted: { numerator: ['lead-b', 'lead-c'] },
    })
    // D rejected within 4 business hours (met); A, B and C neither accepted nor rejected: 9 h 58 min
    // of business time by the period's end, past the 4-hour target (missed), short of 24 (no breach).
    expect(item('sal-accept-reject')?.compliance).toMatchObject({
      numerator: 1,
      denominator: 4,
      value: 25,
      status: 'red',
      thresholds: { source: 'measurement.thresholds.sla-compliance', green: 85, red: 70 },
    })
    expect(item('sal-accept-reject')?.breaches).toMatchObject({ numerator: 0, denominator: 4 })
    // Appendix A only: section 06's items (three-way intro…) are not rows of it.
    expect(report.compliance.items.map((entry) => entry.itemId)).toHaveLength(14)
    expect(item('three-way-intro')).toBeUndefined()
    expect(item('sql-briefing-doc')).toMatchObject({ compliance: null, breaches: null })
  })

  it('gives compliance over every item, weighted by tier, and the overall breach rate', () => {
    // Scoring and routing met for all four, SDR response and SAL accept/reject 1 of 4 each.
    expect(report.compliance.overall).toMatchObject({ numerator: 10, denominator: 16, value: 62.5 })
    expect(report.compliance.overall.status).toBe('red')
    expect(report.compliance.responseWeighted).toMatchObject({
      numerator: 1,
      denominator: 4,
      value: 25,
      status: 'red',
    })
    expect(report.compliance.overallBreach).toMatchObject({
      numerator: 2,
      denominator: 4,
      value: 50,
      status: 'red',
    })
  })

  it('tells the first-response times per tier in business time, over the rubric’s bands', () => {
    const tier1 = report.firstResponse.find((tier) => tier.tier === 'tier-1')
    // A at 3 minutes, B at 180 (credited when logged); C passed its breach threshold untouched and
    // D was rejected untouched: both not responded.
    expect(tier1?.tierName).toBe('Tier 1 — Hot MQL')
    expect(tier1?.times).toMatchObject({
      responded: 2,
      averageMs: 91.5 * MINUTE,
      medianMs: 91.5 * MINUTE,
      p90Ms: 3 * HOUR,
      notResponded: ['lead-c', 'lead-d'],
      pending: [],
    })
    expect(tier1?.times.byBand.map((band) => [band.grade, band.responses])).toEqual([
      ['Exceptional', 1],
      ['Excellent', 0],
      ['Good', 0],
      ['Acceptable', 1],
      ['Below target', 0],
      ['Needs improvement', 0],
    ])
  })

  it('counts MQLs never validly touched as leakage, and rejection codes by source', () => {
    expect(report.leakage.ratio).toMatchObject({
      numerator: 2,
      denominator: 4,
      value: 50,
      status: null,
    })
    // MQL at the demo request, a minute after creation.
    expect(report.leakage.leads).toEqual([
      { leadId: 'lead-c', ownerId: 'sdr-ana-lopez', tier: 'tier-1', mqlAt: T0 + MINUTE },
      { leadId: 'lead-d', ownerId: 'sdr-ana-lopez', tier: 'tier-1', mqlAt: T0 + MINUTE },
    ])
    expect(report.rejections).toEqual([{ source: 'webinar', byCode: { 'REJ-02': 1 }, total: 1 }])
  })

  it('has the figures measureMetrics gives for the same period, so the two cannot drift', () => {
    const events = Object.values(AUDIT_HISTORIES).flat()
    const metrics = measureMetrics(policy, metricLeads(events, WINDOW.to), WINDOW, WINDOW.to)
    const inputs = (ratio: { numerator: number; denominator: number; status: unknown } | null) =>
      ratio && { numerator: ratio.numerator, denominator: ratio.denominator, status: ratio.status }
    for (const entry of report.compliance.items) {
      const ofItem = (ratios: typeof metrics.slaBreaches) =>
        inputs(ratios.find((ratio) => ratio.id === entry.itemId) ?? null)
      expect(inputs(entry.compliance)).toEqual(ofItem(metrics.slaCompliance.items))
      expect(inputs(entry.breaches)).toEqual(ofItem(metrics.slaBreaches))
    }
    expect(report.compliance.overall).toEqual(metrics.slaCompliance.overall)
    expect(report.compliance.responseWeighted).toEqual(metrics.responseCompliance.weighted)
    expect(report.compliance.overallBreach).toEqual(metrics.overallBreach)
    expect(report.firstResponse.map((tier) => tier.times)).toEqual(metrics.firstResponse.tiers)
    expect(report.leakage.ratio).toEqual(metrics.leadLeakage)
  })

  it('ranks the worst leads and flags the CRM-reality gap', () => {
    // C runs 21 h 58 min past its breach at the period's end; B stopped 1 h past it.
    expect(report.worstLeads.map((lead) => [lead.leadId, lead.breaches, lead.overdueMs])).toEqual([
      ['lead-c', ['sdr-response-tier-1'], DAY - 2 * HOUR - 2 * MINUTE],
      ['lead-b', ['sdr-response-tier-1'], HOUR],
    ])
    expect(report.worstLeads[1]?.timeline.at(-1)?.what).toBe('call — flagged late-logged')
    expect(report.realityGap.byFlag).toEqual({ 'late-logged': 1 })
    expect(report.realityGap.byRep).toEqual([
      { repId: 'sdr-ana-lopez', flags: { 'late-logged': 1 } },
    ])
  })

  it('gives the escalations per rep (with any) and sums them per manager from the roster', () => {
    expect(report.escalations.byRep.map((rep) => rep.personId)).toEqual([
      'sdr-ana-lopez',
      'sdr-tom-baker',
      'ae-omar-haddad',
    ])
    expect(report.escalations.byManager).toEqual([
      {
        personId: 'mgr-carla-reyes',
        name: 'Carla Reyes',
        formalBreaches: 3,
        criticalBreaches: 3,
        open: 1,
        reps: ['sdr-ana-lopez', 'sdr-tom-baker'],
      },
      {
        personId: 'mgr-david-chen',
        name: 'David Chen',
        formalBreaches: 1,
        criticalBreaches: 0,
        open: 1,
        reps: ['ae-omar-haddad'],
      },
    ])
  })

  it('leaves out what happened outside the period', () => {
    const later = new AuditTally(
      policy,
      calendars,
      { from: T0 + DAY, to: T0 + 2 * DAY },
      T0 + 2 * DAY,
    )
    for (const events of Object.values(AUDIT_HISTORIES)) {
      const { state, effects } = replayLead(events, policy, 'validated')
      if (state) {
        later.add(state, effects.filter(isClockEvent))
      }
    }
    const empty = later.report(AUDIT_ESCALATIONS, roster)
    expect(empty.leads).toBe(0)
    expect(empty.compliance.overall).toMatchObject({ numerator: 0, denominator: 0, value: null })
    expect(empty.leakage.ratio).toMatchObject({ numerator: 0, denominator: 0, value: null })
    expect(empty.leakage.leads).toEqual([])
    expect(empty.rejections).toEqual([])
  })
})
