import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import type { LeadEffect } from '../lead-effects.js'
import { replayLead } from './engine.js'
import type { LeadState } from '../lead-state.js'
import type { NewLeadEvent } from '../recorded-event.js'
import {
  created,
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  mqlEvents,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
  salEvents,
  sqlEvents,
} from '../test-support.js'

const policy = loadDefaultPolicy()

function run(events: readonly NewLeadEvent[]): {
  state: LeadState
  effects: readonly LeadEffect[]
} {
  const { state, effects } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead state')
  }
  return { state, effects }
}

const refusals = (effects: readonly LeadEffect[]): string[] =>
  effects.flatMap((effect) => (effect.kind === 'transition-refused' ? [effect.message] : []))

describe('qualification and scoring', () => {
  it('promotes an ideal Tier 1 lead to MQL with the exact score breakdown', () => {
    const { state, effects } = run(mqlEvents())
    expect(state.stage).toBe('mql')
    expect(state.tier).toBe('tier-1')
    expect(state.score).toMatchObject({
      total: 95,
      fitPoints: 55,
      fitScore: 100,
      intentPoints: 40,
      decayPoints: 0,
      penaltyPoints: 0,
    })
    expect(state.score?.lines.map((line) => [line.signal, line.points])).toEqual([
      ['target-industry', 20],
      ['company-size-in-range', 15],
      ['economic-buyer-persona', 20],
      ['demo-request', 40],
    ])
    expect(state.criteria.every((criterion) => criterion.met)).toBe(true)
    expect(state.transitions).toEqual([
      {
        from: 'inquiry',
        to: 'mql',
        at: T0 + MINUTE,
        actor: null,
        reason: 'score 95 ≥ 60 and every entry criterion met',
        policyVersion: '2.1.0',
      },
    ])
    // Bilateral start: the SDR clock starts when routing completes, after enrichment.
    expect(effects).toContainEqual({
      kind: 'clock-event',
      event: 'marketing-handoff-complete',
      at: T0 + 2 * MINUTE,
    })
  })

  it('holds the SDR clock until Marketing has enriched the lead', () => {
    const events = [
      created('lead-2'),
      leadEvent('lead-2', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
      leadEvent(
        'lead-2',
        'owner.assigned',
        { ownerId: 'sdr-ana', reason: 'round robin' },
        T0 + 2 * MINUTE,
      ),
    ]
    const before = run(events)
    expect(before.state.stage).toBe('mql')
    expect(
      before.effects.some(
        (e) => e.kind === 'clock-event' && e.event === 'marketing-handoff-complete',
      ),
    ).toBe(false)
    const after = run([
      ...events,
      leadEvent('lead-2', 'lead.enriched', { profile: { industry: 'SaaS' } }, T0 + 40 * MINUTE),
    ])
    expect(after.effects).toContainEqual({
      kind: 'clock-event',
      event: 'marketing-handoff-complete',
      at: T0 + 40 * MINUTE,
    })
  })

  it('sends a 40–59 lead to the manager review queue, not to MQL, and a manager cannot skip the criteria', () => {
    const profile = { ...IDEAL_PROFILE, title: 'Analyst' }
    const events = [
      created('lead-3', profile),
      leadEvent('lead-3', 'intent.recorded', { action: 'case-study-download' }, T0 + MINUTE),
    ]
    const { state } = run(events)
    expect(state.score?.total).toBe(50)
    expect(state.stage).toBe('inquiry')
    expect(state.queues).toEqual(['manager-review'])
    const decided = run([
      ...events,
      leadEvent('lead-3', 'review.decided', { decision: 'promote' }, T0 + HOUR),
    ])
    expect(decided.state.stage).toBe('inquiry')
    expect(refusals(decided.effects)).toEqual([
      'MQL needs every entry criterion: Persona Match — title "Analyst" matches no buyer or influencer persona; Behavioral Intent — 0 tier-1, 1 tier-2 action(s); needs 1 tier-1 or 3 tier-2',
    ])
  })

  it('applies decay at evaluation time and the unsubscribe penalty', () => {
    const events = [
      created('lead-4'),
      leadEvent('lead-4', 'intent.recorded', { action: 'webinar-live' }, T0),
    ]
    const score = (at: number, extra: NewLeadEvent[] = []) =>
      run([...events, ...extra, leadEvent('lead-4', 'lead.updated', { profile: {} }, at)]).state
        .score
    expect(score(T0 + 29 * DAY)?.total).toBe(70)
    expect(score(T0 + 30 * DAY)?.decayPoints).toBe(-10)
    expect(score(T0 + 60 * DAY)?.total).toBe(50)
    const unsubscribed = score(T0 + DAY, [
      leadEvent('lead-4', 'intent.recorded', { action: 'email-unsubscribe' }, T0 + HOUR),
    ])
    expect(unsubscribed).toMatchObject({ total: 20, penaltyPoints: -50 })
  })

  it('gives the tier of the triggering action', () => {
    const profile = { ...IDEAL_PROFILE }
    const events = [
      created('lead-5', profile),
      leadEvent('lead-5', 'intent.recorded', { action: 'webinar-live' }, T0 + MINUTE),
      leadEvent('lead-5', 'intent.recorded', { action: 'case-study-download' }, T0 + 2 * MINUTE),
      leadEvent('lead-5', 'intent.recorded', { action: 'roi-calculator' }, T0 + 3 * MINUTE),
    ]
    const { state } = run(events)
    expect(state.stage).toBe('mql')
    expect(state.tier).toBe('tier-2')
  })
})

describe('hygiene', () => {
  const withIntent = (leadId: string, profile: Record<string, unknown>) =>
    run([
      created(leadId, profile),
      leadEvent(leadId, 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    ])

  it('disqualifies a competitor permanently', () => {
    const { state } = withIntent('c1', { ...IDEAL_PROFILE, email: 'spy@rivalclock.io' })
    expect(state.stage).toBe('disqualified')
    expect(state.suppressedPermanently).toBe(true)
    expect(state.transitions[0]?.reason).toBe('rivalclock.io is a competitor domain')
  })

  it('disqualifies students, and free email with a tiny company', () => {
    expect(
      withIntent('s1', { ...IDEAL_PROFILE, email: 'dana@cs.stanford.edu' }).state.transitions[0]
        ?.reason,
    ).toBe('cs.stanford.edu is an academic domain')
    const tiny = withIntent('f1', {
      ...IDEAL_PROFILE,
      email: 'dana.reyes@gmail.com',
      companySize: 4,
    })
    expect(tiny.state.stage).toBe('disqualified')
    expect(tiny.state.transitions[0]?.reason).toBe(
      'free email with a company of 4 people (under 10)',
    )
  })

  it('blocks role-based, disposable and invalid data through the entry criteria', () => {
    const role = withIntent('r1', { ...IDEAL_PROFILE, email: 'info@acmesoft.com' })
    expect(role.state.stage).toBe('inquiry')
    expect(role.state.criteria.find((c) => c.id === 'email-validity')).toMatchObject({
      met: false,
      detail: 'info@ is a role-based address, not a person',
    })
    const phone = withIntent('p1', { ...IDEAL_PROFILE, phone: '12345' })
    expect(phone.state.hygiene.map((f) => f.code)).toEqual(['phone-invalid'])
    const geo = withIntent('g1', { ...IDEAL_PROFILE, country: 'BR', phone: '+55 11 3123 4567' })
    expect(geo.state.stage).toBe('inquiry')
    expect(geo.state.criteria.find((c) => c.id === 'territory-coverage')?.detail).toBe(
      'BR is not an actively staffed territory',
    )
  })

  it('routes existing customers to the account team, not the MQL queue', () => {
    const { state, effects } = withIntent('x1', { ...IDEAL_PROFILE, accountStatus: 'customer' })
    expect(state.stage).toBe('inquiry')
    expect(state.queues).toEqual(['account-team'])
    expect(effects).toContainEqual({
      kind: 'queued',
      queue: 'account-team',
      reason: 'the account is an existing customer',
    })
  })

  it('disqualifies a duplicate found at intake', () => {
    const { state } = run([
      created('d1'),
      leadEvent('d1', 'lead.matched', { duplicateOfLeadId: 'lead-1' }, T0),
      leadEvent('d1', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    ])
    expect(state.stage).toBe('disqualified')
    expect(state.transitions[0]?.reason).toBe('duplicate of lead lead-1')
  })
})

describe('gates', () => {
  it('refuses a SAL rejection without a taxonomy code and names the codes', () => {
    const { state, effects } = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'sal.rejected', { reasonCode: '', note: 'bad lead' }, T0 + HOUR),
    ])
    expect(state.stage).toBe('mql')
    expect(refusals(effects)).toEqual([
      'SAL rejection needs a reason code of the SAL Rejection Taxonomy: REJ-01, REJ-02, REJ-03, REJ-04, REJ-05, REJ-06, REJ-07; got no code (free text alone is refused)',
    ])
    expect(state.refusals[0]?.rule).toBe('sal-rejection-reason-code')
  })

  it('applies the rejection code: REJ-06 suppresses permanently, REJ-01 goes to data cleanup', () => {
    const competitor = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'sal.rejected', { reasonCode: 'REJ-06' }, T0 + HOUR),
    ])
    expect(competitor.state.suppressesDomain).toEqual({ domain: 'acmesoft.com', since: T0 + HOUR })
    expect(competitor.state).toMatchObject({ stage: 'disqualified', suppressedPermanently: true })
    const badData = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'sal.rejected', { reasonCode: 'REJ-01' }, T0 + HOUR),
    ])
    expect(badData.state).toMatchObject({ stage: 'nurture', queues: ['data-cleanup'] })
  })

  it('uses the seed-002 R1–R8 taxonomy when the policy says so', () => {
    const alternative = { ...policy, rejection: { ...policy.rejection, sal: 'r-codes' } }
    const { state } = replayLead(
      [...mqlEvents(), leadEvent('lead-1', 'sal.rejected', { reasonCode: 'R3' }, T0 + HOUR)],
      alternative,
    )
    expect(state?.stage).toBe('nurture')
    expect(state?.transitions.at(-1)?.reason).toBe('R3: Timing — not evaluating in next 6 months')
  })

  it('refuses SQL without a booked meeting and says everything that is missing', () => {
    const { state, effects } = run([
      ...salEvents(),
      leadEvent('lead-1', 'sql.promoted', { aeId: 'ae-omar' }, T0 + DAY),
    ])
    expect(state.stage).toBe('sal')
    expect(refusals(effects)).toEqual([
      'SQL needs a booked meeting; pain statement is empty; timeline is empty; meeting link is empty; MEDDPIC Metrics is not confirmed; MEDDPIC Decision Process is not confirmed; MEDDPIC Implicate Pain is not confirmed',
    ])
  })

  it('refuses SQL when the meeting was cancelled', () => {
    const events = sqlEvents()
    const promotion = events.pop()!
    const { effects } = run([
      ...events,
      leadEvent('lead-1', 'meeting.cancelled', { byProspect: true }, T0 + DAY + 1),
      { ...promotion, occurredAt: T0 + DAY + 2 },
    ])
    expect(refusals(effects)).toEqual(['SQL needs a booked meeting'])
  })

  it('promotes to SQL, refuses AE acceptance without the briefing read, then accepts', () => {
    const { state, effects } = run(sqlEvents())
    expect(state).toMatchObject({ stage: 'sql', aeId: 'ae-omar' })
    expect(effects).toContainEqual({
      kind: 'clock-event',
      event: 'ae-notified',
      at: T0 + DAY + HOUR,
    })
    const unread = run([
      ...sqlEvents(),
      leadEvent('lead-1', 'ae.accepted', { briefingRead: false }, T0 + DAY + 2 * HOUR),
    ])
    expect(refusals(unread.effects)).toEqual([
      'AE acceptance needs the briefing document confirmed read ("I have read this briefing document")',
    ])
    const accepted = run([
      ...sqlEvents(),
      leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + DAY + 2 * HOUR),
      leadEvent('lead-1', 'opportunity.created', { acv: 48_000 }, T0 + DAY + 2 * HOUR + MINUTE),
    ])
    expect(accepted.state.stage).toBe('opportunity')
    expect(accepted.state.opportunity).toMatchObject({ stage: 1, acv: 48_000 })
  })

  it('refuses a transition out of order, naming the stage', () => {
    const { effects } = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + HOUR),
    ])
    expect(refusals(effects)).toEqual(['AE acceptance needs the lead in SQL; it is in MQL'])
  })

  it.each([
    ['AE-REJ-01', 'sal', [] as string[]],
    ['AE-REJ-02', 'nurture', []],
    ['AE-REJ-03', 'sal', []],
    ['AE-REJ-04', 'sal', []],
    ['AE-REJ-05', 'sql', ['revops-arbitration']],
  ])('AE rejection %s leads to %s', (code, stage, queues) => {
    // Each code's task: src/domain/tasks.test.ts.
    const { state } = run([
      ...sqlEvents(),
      leadEvent('lead-1', 'ae.rejected', { reasonCode: code }, T0 + 2 * DAY),
    ])
    expect(state.stage).toBe(stage)
    expect(state.queues).toEqual(queues)
    if (code === 'AE-REJ-04') {
      expect(state.meeting).toBeNull()
    }
  })
})

describe('recycling', () => {
  const recycled = [
    ...salEvents(),
    leadEvent('lead-1', 'lead.recycled', { scenario: 'cadence-exhausted' }, T0 + 10 * DAY),
  ]

  it('recycles with a 90-day suppression window', () => {
    const { state } = run(recycled)
    expect(state).toMatchObject({
      stage: 'recycled',
      recycleCount: 1,
      suppressedUntil: T0 + 100 * DAY,
    })
  })

  it('re-MQLs only on a new, higher-intent action after the suppression window', () => {
    const inWindow = run([
      ...recycled,
      leadEvent('lead-1', 'intent.recorded', { action: 'contact-sales' }, T0 + 50 * DAY),
    ])
    expect(inWindow.state.stage).toBe('recycled')
    const lowerIntent = run([
      ...recycled,
      leadEvent('lead-1', 'intent.recorded', { action: 'webinar-live' }, T0 + 120 * DAY),
    ])
    expect(lowerIntent.state.stage).toBe('recycled')
    const back = run([
      ...recycled,
      leadEvent('lead-1', 'intent.recorded', { action: 'contact-sales' }, T0 + 120 * DAY),
    ])
    expect(back.state).toMatchObject({
      stage: 'mql',
      recycledMql: true,
      mqlCount: 2,
      ownerId: null,
    })
  })

  it('stops re-entering the MQL queue after the recycle limit', () => {
    const events: NewLeadEvent[] = [...mqlEvents()]
    for (let round = 1; round <= 3; round += 1) {
      const start = T0 + round * 200 * DAY
      events.push(leadEvent('lead-1', 'sal.accepted', {}, start))
      events.push(
        leadEvent('lead-1', 'lead.recycled', { scenario: 'cadence-exhausted' }, start + DAY),
      )
      events.push(
        leadEvent('lead-1', 'intent.recorded', { action: 'demo-request' }, start + 100 * DAY, {
          key: `again-${round}`,
        }),
      )
      events.push(
        leadEvent(
          'lead-1',
          'owner.assigned',
          { ownerId: 'sdr-ana', reason: 'rr' },
          start + 100 * DAY + 1,
        ),
      )
    }
    const { state } = run(events)
    expect(state.recycleCount).toBe(3)
    expect(state.stage).toBe('nurture')
    expect(state.transitions.at(-1)?.reason).toBe(
      'recycled; recycle limit 2 exceeded — does not re-enter the MQL queue',
    )
  })
})

describe('activities', () => {
  it('counts a personal call as follow-up but not automated enrolment, and flags late logging', () => {
    const { state, effects } = run([
      ...mqlEvents(),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'sequence-enrolment', automated: true },
        T0 + 3 * MINUTE,
      ),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'call', outcome: 'voicemail' },
        T0 + 4 * MINUTE,
        { receivedAt: T0 + 4 * MINUTE + 5_000 },
      ),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'email', outcome: 'sent' },
        T0 + 5 * MINUTE,
        { receivedAt: T0 + 3 * HOUR },
      ),
    ])
    expect(state.activities.map((a) => [a.activityType, a.countsAsFollowUp, a.flags])).toEqual([
      ['sequence-enrolment', false, []],
      ['call', true, []],
      ['email', true, ['late-logged']],
    ])
    expect(state.firstAttemptAt).toBe(T0 + 4 * MINUTE)
    expect(
      effects.filter((e) => e.kind === 'clock-event' && e.event === 'valid-follow-up'),
    ).toEqual([
      { kind: 'clock-event', event: 'valid-follow-up', at: T0 + 4 * MINUTE },
      { kind: 'clock-event', event: 'valid-follow-up', at: T0 + 3 * HOUR },
    ])
    expect(effects).toContainEqual({
      kind: 'flagged',
      flag: 'late-logged',
      detail: 'logged 175 minutes after it happened',
    })
  })

  it('flags an activity claimed before the lead existed, and keeps it', () => {
    const { state } = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'activity.logged', { activityType: 'call' }, T0 - HOUR, {
        receivedAt: T0 + HOUR,
      }),
    ])
    expect(state.activities[0]?.flags).toEqual(['late-logged', 'claimed-before-lead-existed'])
  })
})

describe('determinism', () => {
  const story = [
    ...sqlEvents(),
    leadEvent(
      'lead-1',
      'activity.logged',
      { activityType: 'call', outcome: 'connected' },
      T0 + 20 * MINUTE,
    ),
    leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + DAY + 2 * HOUR),
    leadEvent('lead-1', 'opportunity.created', { acv: 30_000 }, T0 + DAY + 3 * HOUR),
    leadEvent('lead-1', 'opportunity.stage-changed', { stage: 2 }, T0 + 5 * DAY),
  ]

  it('gives the same state whatever order the events arrive in', () => {
    const inOrder = replayLead(story, policy)
    fc.assert(
      fc.property(
        fc.shuffledSubarray(story, { minLength: story.length, maxLength: story.length }),
        (arrival) => {
          expect(replayLead(arrival, policy)).toEqual(inOrder)
        },
      ),
      { numRuns: 200 },
    )
    expect(inOrder.state?.stage).toBe('opportunity')
  })

  it('refuses unknown event types and malformed payloads with the field named', () => {
    const { effects } = run([
      ...mqlEvents(),
      { ...leadEvent('lead-1', 'sal.accepted', {}, T0 + HOUR), type: 'sal.teleported' },
    ])
    expect(refusals(effects)).toEqual(['unknown event type "sal.teleported"'])
    const bad = run([
      ...mqlEvents(),
      leadEvent('lead-1', 'owner.assigned', { ownerId: 42 } as never, T0 + HOUR),
    ])
    expect(refusals(bad.effects)[0]).toMatch(/^owner\.assigned payload\.ownerId: /)
  })
})

describe('global domain suppression', () => {
  it('never lists a free email provider', () => {
    const profile = { ...IDEAL_PROFILE, email: 'dana.reyes@gmail.com' }
    const { state } = run([
      created('free-1', profile),
      leadEvent('free-1', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
      leadEvent('free-1', 'owner.assigned', { ownerId: 'sdr-ana', reason: 'rr' }, T0 + 2 * MINUTE),
      leadEvent('free-1', 'sal.rejected', { reasonCode: 'REJ-06' }, T0 + HOUR),
    ])
    expect(state).toMatchObject({
      stage: 'disqualified',
      suppressedPermanently: true,
      suppressesDomain: null,
    })
  })

  it('disqualifies a lead whose domain is on the list, for good', () => {
    const { state } = run([
      created('sup-1'),
      leadEvent('sup-1', 'lead.suppressed', { domain: 'acmesoft.com' }, T0),
      leadEvent('sup-1', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    ])
    expect(state).toMatchObject({ stage: 'disqualified', suppressedPermanently: true })
    expect(state.transitions[0]?.reason).toBe('acmesoft.com is on the global suppression list')
  })
})

describe('opportunity stage rules (section 07)', () => {
  const opportunity = [
    ...sqlEvents(),
    leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + DAY + 2 * HOUR),
    leadEvent('lead-1', 'opportunity.created', { acv: 40_000 }, T0 + DAY + 3 * HOUR),
  ]
  const change = (
    payload: Parameters<typeof leadEvent<'opportunity.stage-changed'>>[2],
    at = T0 + 10 * DAY,
  ) => run([...opportunity, leadEvent('lead-1', 'opportunity.stage-changed', payload, at)])

  it('Stage 2 needs the economic-buyer meeting on the calendar', () => {
    expect(refusals(change({ stage: 2 }).effects)).toEqual([
      'Stage 2 (Qualification): eb meeting must be on calendar (ebMeetingAt is missing)',
    ])
    expect(change({ stage: 2, ebMeetingAt: T0 + 12 * DAY }).state.opportunity?.stage).toBe(2)
  })

  it('Stage 4 needs a close date within 30 days, Stage 5 within 14', () => {
    // T0 + 10 days is 2026-03-13; 30 days later is 2026-04-12.
    expect(refusals(change({ stage: 4, closeDate: T0 + 45 * DAY }).effects)).toEqual([
      'Stage 4 (Proposal): close date must be within 30 days (by 2026-04-12); the close date is 2026-04-17',
    ])
    expect(refusals(change({ stage: 4 }).effects)).toEqual([
      'Stage 4 (Proposal) needs a close date: close date must be within 30 days',
    ])
    expect(change({ stage: 4, closeDate: T0 + 39 * DAY }).state.opportunity).toMatchObject({
      stage: 4,
      closeDate: T0 + 39 * DAY,
    })
    expect(refusals(change({ stage: 5, closeDate: T0 + 25 * DAY }).effects)).toHaveLength(1)
  })

  it('Stage 3 close date may not come before the evaluation ends', () => {
    expect(
      refusals(
        change({ stage: 3, closeDate: T0 + 20 * DAY, evaluationEndsAt: T0 + 30 * DAY }).effects,
      ),
    ).toEqual([
      'Stage 3 (Evaluation): close date must reflect actual eval timeline; the close date 2026-03-23 is before the evaluation ends (2026-04-02)',
    ])
  })
})

describe('clock pauses', () => {
  const pause = (item: string, reason: string, at: number) =>
    leadEvent('lead-1', 'clock.paused', { item, reason }, at)

  it('records a pause the policy allows and closes it on resume', () => {
    const { state, effects } = run([
      ...mqlEvents(),
      pause('sdr-response-tier-1', 'waiting-on-enrichment', T0 + 3 * MINUTE),
      leadEvent('lead-1', 'clock.resumed', { item: 'sdr-response-tier-1' }, T0 + HOUR),
    ])
    expect(refusals(effects)).toEqual([])
    expect(state.clockPauses).toEqual([
      {
        itemId: 'sdr-response-tier-1',
        reason: 'waiting-on-enrichment',
        from: T0 + 3 * MINUTE,
        to: T0 + HOUR,
      },
    ])
  })

  it('refuses a reason the item does not list, naming the item and the allowed reasons', () => {
    const { state, effects } = run([
      ...mqlEvents(),
      pause('sdr-response-tier-1', 'prospect-out-of-office', T0 + 3 * MINUTE),
      pause('lead-scoring-latency', 'waiting-on-enrichment', T0 + 4 * MINUTE),
      leadEvent('lead-1', 'clock.resumed', { item: 'sdr-response-tier-1' }, T0 + 5 * MINUTE),
    ])
    expect(refusals(effects)).toEqual([
      'the SDR Response — Tier 1 clock (sdr-response-tier-1) may pause only for: waiting-on-enrichment; got "prospect-out-of-office"',
      'the Lead Scoring Latency clock (lead-scoring-latency) cannot be paused; items that may pause: sdr-response-tier-1, sdr-response-tier-2, sdr-response-tier-3, sal-accept-reject, sal-resolution-window, discovery-meeting',
      'the sdr-response-tier-1 clock is not paused',
    ])
    expect(state.refusals.map((refusal) => refusal.rule)).toEqual([
      'pause-reason-allowed',
      'pause-reason-allowed',
      'resume-paused',
    ])
    expect(state.clockPauses).toEqual([])
  })
})

describe('payload checks', () => {
  // A payload the schema refuses (strict objects: no unknown keys); the log never holds one.
  const unchecked = (): NewLeadEvent[] => [
    created('lead-pc', IDEAL_PROFILE, T0),
    {
      ...leadEvent('lead-pc', 'intent.recorded', { action: 'demo-request' }, T0 + HOUR),
      payload: { action: 'demo-request', via: 'chat' },
    },
  ]

  it('checks each payload by default and refuses one its schema refuses', () => {
    const { state, effects } = run(unchecked())
    expect(refusals(effects)).toEqual(['intent.recorded payload.: Unrecognized key: "via"'])
    expect(state.score?.lines.map((line) => line.signal)).not.toContain('demo-request')
  })

  it('takes payloads read back from the log as validated: no schema runs on replay', () => {
    const { state, effects } = replayLead(unchecked(), policy, 'validated')
    expect(refusals(effects)).toEqual([])
    expect(state?.score?.lines.map((line) => line.signal)).toContain('demo-request')
  })
})
