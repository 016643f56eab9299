import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { replayLead } from '../domain/lifecycle/engine.js'
import { createCalendarSet, deriveSlaClocks } from '../domain/sla-clock-view.js'
import { DAY, HOUR, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../domain/test-support.js'
import { AuditTally, BREACH_RATE_METRIC, ragOf } from './audit-report.js'
import { AUDIT_ESCALATIONS, AUDIT_HISTORIES, auditOf, policy, roster } from './test-support.js'

const calendars = createCalendarSet(policy)

describe('the audit report', () => {
  const report = auditOf(AUDIT_HISTORIES)
  const item = (id: string) => report.compliance.find((entry) => entry.itemId === id)

  it('judges each appendix-A clock of the period at its end, with the RAG of its breach rate', () => {
    expect(report.leads).toBe(4)
    expect(item('sdr-response-tier-1')).toMatchObject({
      met: 1,
      late: 1,
      breached: 2,
      open: 0,
      complianceRate: 25,
      breachRate: 50,
      rag: 'red',
    })
    // A, B and C neither accepted nor rejected: 10 business hours by the period's end, short of 24.
    expect(item('sal-accept-reject')).toMatchObject({ met: 1, late: 0, breached: 0, open: 3 })
    expect(item('sal-accept-reject')?.rag).toBe('green')
    // Appendix A only: section 06's items (three-way intro…) are not rows of it.
    expect(report.compliance.map((entry) => entry.itemId)).toHaveLength(14)
    expect(item('three-way-intro')).toBeUndefined()
    expect(item('sql-briefing-doc')).toMatchObject({ clocked: false, complianceRate: null })
  })

  it('tells the first-response times per tier in business minutes, in bins', () => {
    const tier1 = report.firstResponse.find((tier) => tier.tier === 'tier-1')
    // A at 3 minutes, B at 180 (credited when logged); D was rejected, not answered; C still waits.
    expect(tier1).toMatchObject({
      responded: 2,
      unanswered: 1,
      medianMinutes: 3,
      p90Minutes: 180,
      meanMinutes: 91.5,
    })
    expect(tier1?.bins).toEqual([
      '0–5 min',
      '5 min–30 min',
      '30 min–2 h',
      '2 h–4 h',
      '4 h–24 h',
      '24 h–48 h',
      'over 48 h',
    ])
    expect(tier1?.counts).toEqual([1, 0, 0, 1, 0, 0, 0])
  })

  it('counts untouched MQLs as leakage and rejection codes by source', () => {
    expect(report.leakage).toMatchObject({ assigned: 4, touched: 2, rate: 50 })
    expect(report.leakage.leads.map((lead) => lead.leadId)).toEqual(['lead-c', 'lead-d'])
    expect(report.rejections).toEqual([{ source: 'webinar', byCode: { 'REJ-02': 1 }, total: 1 }])
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
    const later = new AuditTally(policy, { from: T0 + DAY, to: T0 + 2 * DAY })
    for (const events of Object.values(AUDIT_HISTORIES)) {
      const { state, effects } = replayLead(events, policy, 'validated')
      if (state) {
        later.add(state, deriveSlaClocks(policy, calendars, state, effects, T0 + 2 * DAY))
      }
    }
    const empty = later.report(AUDIT_ESCALATIONS, roster)
    expect(empty.leads).toBe(0)
    expect(empty.leakage.assigned).toBe(0)
    expect(empty.rejections).toEqual([])
  })
})

describe('ragOf', () => {
  const breachRate = policy.metrics.find((metric) => metric.id === BREACH_RATE_METRIC)
  const tier1 = policy.metrics.find((metric) => metric.id === 'mql-response-tier-1')

  it('reads section 11: green beyond green, red beyond red, amber between, both ends amber', () => {
    if (!breachRate || !tier1) {
      throw new Error('the default policy has these metrics')
    }
    expect([4.9, 5, 15, 15.1].map((value) => ragOf(breachRate, value))).toEqual([
      'green',
      'amber',
      'amber',
      'red',
    ])
    expect([80.1, 80, 60, 59.9].map((value) => ragOf(tier1, value))).toEqual([
      'green',
      'amber',
      'amber',
      'red',
    ])
  })

  it('is monotone: a better value is never a worse colour', () => {
    if (!breachRate) {
      throw new Error('the default policy has the breach-rate metric')
    }
    const rank = { green: 0, amber: 1, red: 2 }
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a]
          expect(rank[ragOf(breachRate, low)]).toBeLessThanOrEqual(rank[ragOf(breachRate, high)])
        },
      ),
    )
  })
})
