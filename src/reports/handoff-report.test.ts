import { describe, expect, it } from 'vitest'

import { replayLead } from '../domain/lifecycle/engine.js'
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../domain/test-support.js'
import { handoffReport } from './handoff-report.js'

const policy = loadDefaultPolicy()

/** One lead taken to SQL for `aeId` by `sdrId`, then accepted into an opportunity or rejected. */
function sqlLead(
  leadId: string,
  sdrId: string,
  aeId: string,
  /** An AE-REJ code, or 'opportunity' when the AE accepts. */
  outcome: string,
  start = T0,
): LeadState {
  const events: NewLeadEvent[] = [
    leadEvent(
      leadId,
      'lead.created',
      { profile: { ...IDEAL_PROFILE, email: `${leadId}@acmesoft.com` }, source: 'demo-request' },
      start,
    ),
    leadEvent(leadId, 'intent.recorded', { action: 'demo-request' }, start + MINUTE),
    leadEvent(leadId, 'owner.assigned', { ownerId: sdrId, reason: 'rr' }, start + 2 * MINUTE),
    leadEvent(leadId, 'sal.accepted', {}, start + 10 * MINUTE),
    leadEvent(
      leadId,
      'meeting.booked',
      { meetingAt: start + 3 * DAY, link: 'https://meet.example.com/x' },
      start + DAY,
    ),
    leadEvent(
      leadId,
      'sql.promoted',
      {
        aeId,
        qualification: {
          painStatement: 'p',
          timeline: 't',
          meddpic: { metrics: 'm', 'decision-process': 'd', 'implicate-pain': 'i' },
        },
      },
      start + DAY + HOUR,
    ),
    ...(outcome === 'opportunity'
      ? [
          leadEvent(leadId, 'ae.accepted', { briefingRead: true }, start + DAY + 2 * HOUR),
          leadEvent(leadId, 'opportunity.created', { acv: 20_000 }, start + DAY + 3 * HOUR),
        ]
      : [leadEvent(leadId, 'ae.rejected', { reasonCode: outcome }, start + DAY + 2 * HOUR)]),
  ]
  const { state } = replayLead(events, policy)
  if (!state) {
    throw new Error('no state')
  }
  return state
}

const until = (to: number) => ({ from: Number.NEGATIVE_INFINITY, to })

describe('handoffReport', () => {
  const leads = [
    sqlLead('h1', 'sdr-a', 'ae-x', 'AE-REJ-01'),
    sqlLead('h2', 'sdr-a', 'ae-x', 'opportunity'),
    sqlLead('h3', 'sdr-a', 'ae-x', 'opportunity'),
    sqlLead('h4', 'sdr-b', 'ae-x', 'AE-REJ-05'),
    sqlLead('h5', 'sdr-b', 'ae-y', 'opportunity'),
    sqlLead('h6', 'sdr-b', 'ae-y', 'AE-REJ-02', T0 - 40 * DAY),
  ]

  it('gives AE rejection rates by code per AE and per SDR, flagging over 20% under AE-REJ-01/02', () => {
    const report = handoffReport(leads, policy, until(T0 + 2 * DAY))
    expect(report.byAe).toEqual([
      {
        person: 'ae-x',
        sqls: 4,
        rejected: 2,
        byCode: { 'AE-REJ-01': 1, 'AE-REJ-05': 1 },
        reviewCodeRate: 25,
        flagged: true,
      },
      {
        person: 'ae-y',
        sqls: 2,
        rejected: 1,
        byCode: { 'AE-REJ-02': 1 },
        reviewCodeRate: 50,
        flagged: true,
      },
    ])
    expect(
      report.bySdr.map((rates) => [rates.person, rates.sqls, rates.rejected, rates.reviewCodeRate]),
    ).toEqual([
      ['sdr-a', 3, 1, 100 / 3],
      ['sdr-b', 3, 2, 100 / 3],
    ])
  })

  it('counts only the SQLs created within the window', () => {
    const report = handoffReport(leads, policy, { from: T0 - 10 * DAY, to: T0 + 2 * DAY })
    expect(report.byAe.map((rates) => [rates.person, rates.sqls, rates.rejected])).toEqual([
      ['ae-x', 4, 2],
      ['ae-y', 1, 0],
    ])
  })

  it('measures SQL → Opportunity for SQLs created 4–6 weeks before now', () => {
    // Only h6's SQL (41 days, 5.9 weeks before now) is in the cohort; the AE rejected it.
    expect(handoffReport(leads, policy, until(T0 + 2 * DAY)).sqlToOpportunity).toEqual({
      cohort: 1,
      opportunities: 0,
      rate: 0,
    })
    // Five weeks after the others' SQL, they form the cohort: 3 of 5 became opportunities.
    expect(handoffReport(leads, policy, until(T0 + 36 * DAY)).sqlToOpportunity).toEqual({
      cohort: 5,
      opportunities: 3,
      rate: 60,
    })
  })
})
