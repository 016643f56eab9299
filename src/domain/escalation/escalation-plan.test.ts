import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { packageFilePath } from '../../policy/load-policy-file.js'
import type { LeadEffect } from '../lead-effects.js'
import { replayLead } from '../lifecycle/engine.js'
import type { LeadEventPayload } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import type { NewLeadEvent } from '../recorded-event.js'
import { createCalendarSet, withOwnerCalendars } from '../sla-clock-view.js'
import { parseRoster } from '../team/roster.js'
import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  salEvents,
  sqlEvents,
} from '../test-support.js'
import type { PlannedStep } from './escalation-plan.js'
import { periodBounds, planEscalations } from './escalation-plan.js'
import { resolveRecipients } from './recipients.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

function replay(events: readonly NewLeadEvent[]): {
  state: LeadState
  effects: readonly LeadEffect[]
} {
  const { state, effects } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead')
  }
  return { state, effects }
}

function plan(events: readonly NewLeadEvent[]): PlannedStep[] {
  const { state, effects } = replay(events)
  return planEscalations(policy, calendars, state, effects)
}

/** `subject:step → due (ISO)`, the way a person checks a schedule. */
const schedule = (steps: readonly PlannedStep[]): string[] =>
  steps.map((step) => `${step.subjectId}:${step.stepId} ${new Date(step.dueAt).toISOString()}`)

// T0 is Tuesday 2026-03-03 09:00 in New York (14:00Z); Marketing's half is done at T0 + 2 min.
const HANDOFF = T0 + 2 * MINUTE

describe('planEscalations — the MQL chain (section 09)', () => {
  it('schedules every step of an untouched Tier 1 MQL in the prospect business calendar', () => {
    const steps = plan(mqlEvents())
    expect(schedule(steps)).toEqual([
      'sdr-response-tier-1:notification 2026-03-03T14:02:00.000Z',
      'sdr-response-tier-1:reminder 2026-03-03T14:32:00.000Z',
      'sdr-response-tier-1:manager-notified 2026-03-03T16:02:00.000Z',
      // 4 business hours: 09:02 → 13:02 New York.
      'sal-accept-reject:target 2026-03-03T18:02:00.000Z',
      // 24 business hours of 10-hour days: Tue 8h58 + Wed 10h + Thu 5h02 → Thu 13:02.
      'sal-accept-reject:breach 2026-03-05T18:02:00.000Z',
      'sdr-response-tier-1:formal-breach 2026-03-05T18:02:00.000Z',
      // 48 business hours end Monday 17:02, which is EDT after the 8 March change: 21:02Z.
      'sdr-response-tier-1:critical-breach 2026-03-09T21:02:00.000Z',
    ])
    const formal = steps.find((step) => step.stepId === 'formal-breach')
    expect(formal).toMatchObject({
      key: `lead-1:sdr-response-tier-1:${HANDOFF}:formal-breach`,
      severity: 'formal-breach',
      notify: ['owner-manager', 'marketing-ops'],
      managerActions: ['reassign-with-note', 'legitimate-reason', 'coaching-action'],
      graced: false,
      clockStartedAt: HANDOFF,
      calendarId: 'us-east',
    })
    const critical = steps.find((step) => step.stepId === 'critical-breach')
    expect(critical?.rootCauseDueAt).toBe(Date.parse('2026-03-10T21:02:00Z'))
  })

  it('drops the steps whose `unless` event came first and those after the clock stopped', () => {
    const steps = plan([
      ...salEvents(), // accepted at T0 + 10 min: no 30-minute reminder
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'call', outcome: 'voicemail' },
        T0 + 3 * HOUR,
      ),
    ])
    expect(schedule(steps)).toEqual([
      'sdr-response-tier-1:notification 2026-03-03T14:02:00.000Z',
      // The first attempt came at 12:00, after the 2-hour mark: the manager was notified.
      'sdr-response-tier-1:manager-notified 2026-03-03T16:02:00.000Z',
      // The SAL window runs from acceptance (09:10 New York): day-12 check, 14-day breach.
      'sal-resolution-window:check-in 2026-03-19T13:10:00.000Z',
      'sal-resolution-window:breach 2026-03-23T13:10:00.000Z',
    ])
  })

  it('gives a Tier 2 MQL only the steps the policy lists for every tier', () => {
    const { state, effects } = replay(mqlEvents())
    const steps = planEscalations(policy, calendars, { ...state, tier: 'tier-2' }, effects)
    expect(
      schedule(steps.filter((step) => step.subjectId.startsWith('sdr-response'))).map(
        (line) => line.split(' ')[0],
      ),
    ).toEqual([
      'sdr-response-tier-2:notification',
      'sdr-response-tier-2:formal-breach',
      'sdr-response-tier-2:critical-breach',
    ])
  })

  it('stretches the chain for a lead routed during a surge', () => {
    const { state, effects } = replay(mqlEvents())
    const steps = planEscalations(policy, calendars, { ...state, slaStretch: 2 }, effects)
    expect(steps.find((step) => step.stepId === 'reminder')?.dueAt).toBe(HANDOFF + 60 * MINUTE)
  })
})

describe('planEscalations — grace period (section 14)', () => {
  // Tuesday 2026-01-13 09:00 New York: inside the first 30 days of policy 2.1.0 (2026-01-01).
  const JAN = Date.parse('2026-01-13T14:00:00Z')

  it('marks every step in the first 30 days as graced and notifies only the rep', () => {
    const { state, effects } = replay(mqlEvents('lead-1', JAN))
    const steps = planEscalations(policy, calendars, state, effects)
    expect(steps.every((step) => step.graced)).toBe(true)
    // 48 business hours skip Martin Luther King Jr. Day (Monday 19 January).
    expect(schedule(steps).at(-1)).toBe(
      'sdr-response-tier-1:critical-breach 2026-01-20T22:02:00.000Z',
    )
    const roster = parseRoster(
      readFileSync(packageFilePath('roster', 'default-roster.yaml'), 'utf8'),
      'default-roster.yaml',
      policy,
    )
    if (!roster.ok) {
      throw new Error('roster invalid')
    }
    const owned = { ...state, ownerId: 'sdr-ana-lopez' }
    const critical = steps.find((step) => step.stepId === 'critical-breach')
    if (!critical) {
      throw new Error('no critical step')
    }
    expect(resolveRecipients(critical, owned, roster.roster).map((r) => r.personId)).toEqual([
      'sdr-ana-lopez',
    ])
    expect(
      resolveRecipients({ ...critical, graced: false }, owned, roster.roster).map(
        (r) => r.personId,
      ),
    ).toEqual(['vp-grace-okafor', 'vp-henrik-larsen', 'revops-mei-tanaka'])
    const formal = steps.find((step) => step.stepId === 'formal-breach')
    if (!formal) {
      throw new Error('no formal step')
    }
    // owner-manager from the roster's chain; marketing-ops has nobody, and is still addressed.
    expect(resolveRecipients({ ...formal, graced: false }, owned, roster.roster)).toEqual([
      {
        personId: 'mgr-carla-reyes',
        name: 'Carla Reyes',
        email: 'carla.reyes@leadclock.example',
        role: 'sdr-manager',
      },
      { personId: null, name: 'marketing-ops', email: null, role: 'marketing-ops' },
    ])
  })
})

const OPPORTUNITY_AT = T0 + DAY + 3 * HOUR // Wednesday 2026-03-04 12:00 New York
const opportunity = [
  ...sqlEvents(),
  leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + DAY + 2 * HOUR),
  leadEvent(
    'lead-1',
    'opportunity.created',
    { acv: 40_000, closeDate: T0 + 60 * DAY },
    OPPORTUNITY_AT,
  ),
]
const staleOnly = (steps: readonly PlannedStep[]) =>
  schedule(steps.filter((step) => step.kind === 'stale-alert'))

describe('planEscalations — stale-opportunity protocol', () => {
  it('alerts on no next step (7 days), zero activity (10 business days) and stage age (21 days)', () => {
    const steps = plan(opportunity)
    expect(staleOnly(steps)).toEqual([
      'no-next-step:no-next-step 2026-03-11T17:00:00.000Z',
      // Ten business days in New York, EDT from 8 March: Wednesday 18 March 12:00.
      'zero-activity:zero-activity 2026-03-18T16:00:00.000Z',
      'stage-age-exceeded:stage-age-exceeded 2026-03-25T17:00:00.000Z',
    ])
    const zero = steps.find((step) => step.stepId === 'zero-activity')
    expect(zero).toMatchObject({
      notify: ['ae', 'ae-manager'],
      requiredAction: 'Review the deal, update stage, or flag at-risk',
      actionDueAt: Date.parse('2026-03-20T16:00:00Z'),
    })
  })

  it('restarts on a next step and activity, and flags the second push and a 30% ACV change', () => {
    const update = (payload: LeadEventPayload<'opportunity.updated'>, at: number) =>
      leadEvent('lead-1', 'opportunity.updated', payload, at, { key: `update:${at}` })
    const steps = plan([
      ...opportunity,
      update({ nextStep: 'Security review with their CISO on Friday' }, T0 + 5 * DAY),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'email', outcome: 'sent' },
        T0 + 5 * DAY,
      ),
      update({ closeDate: T0 + 70 * DAY }, T0 + 6 * DAY),
      update({ closeDate: T0 + 80 * DAY }, T0 + 7 * DAY),
      update({ acv: 60_000 }, T0 + 8 * DAY),
      update({ acv: 62_000 }, T0 + 9 * DAY),
    ])
    expect(staleOnly(steps)).toEqual([
      'close-date-pushed-twice:close-date-pushed-twice 2026-03-10T14:00:00.000Z',
      'acv-change:acv-change 2026-03-11T14:00:00.000Z',
      'no-next-step:no-next-step 2026-03-15T14:00:00.000Z',
      // Sunday 8 March is closed: 10 business days from Monday 08:00 use up Friday 20 March at
      // 18:00, so the clock shows them until the next opening (Monday 08:00, the calendar's rule).
      'zero-activity:zero-activity 2026-03-23T12:00:00.000Z',
      'stage-age-exceeded:stage-age-exceeded 2026-03-25T17:00:00.000Z',
    ])
    expect(steps.find((step) => step.stepId === 'close-date-pushed-twice')?.key).toBe(
      'lead-1:stale:close-date-pushed-twice:2026-Q1',
    )
  })

  it('stops alerting once the opportunity is closed', () => {
    const steps = plan([
      ...opportunity,
      leadEvent('lead-1', 'opportunity.closed', { outcome: 'lost' }, T0 + 3 * DAY),
    ])
    expect(staleOnly(steps)).toEqual([])
  })
})

function fired(
  step: PlannedStep,
  at: number,
  overrides: Partial<LeadEventPayload<'escalation.fired'>> = {},
): NewLeadEvent {
  return leadEvent(
    'lead-1',
    'escalation.fired',
    {
      stepKey: step.key,
      kind: step.kind,
      subjectId: step.subjectId,
      stepId: step.stepId,
      title: step.title,
      severity: step.severity,
      repId: 'sdr-ana',
      recipientIds: [],
      graced: step.graced,
      dueAt: step.dueAt,
      actionDueAt: step.actionDueAt,
      managerActions: [...step.managerActions],
      rootCauseDueAt: step.rootCauseDueAt,
      ...overrides,
    },
    at,
    { key: `escalation:${step.key}` },
  )
}

describe('after a step fired', () => {
  const untouched = mqlEvents()
  const stepOf = (id: string) => {
    const step = plan(untouched).find((candidate) => candidate.stepId === id)
    if (!step) {
      throw new Error(`no ${id}`)
    }
    return step
  }

  it('plans a root-cause alert 24 hours after a critical breach, unless it was documented', () => {
    const critical = stepOf('critical-breach')
    const afterFiring = plan([...untouched, fired(critical, critical.dueAt)])
    expect(schedule(afterFiring.filter((step) => step.kind === 'root-cause-overdue'))).toEqual([
      'sdr-response-tier-1:root-cause-overdue 2026-03-10T21:02:00.000Z',
    ])
    const documented = plan([
      ...untouched,
      fired(critical, critical.dueAt),
      leadEvent(
        'lead-1',
        'escalation.root-caused',
        { stepKey: critical.key, rootCause: 'SDR was at an offsite with no phone coverage' },
        critical.dueAt + 2 * HOUR,
      ),
    ])
    expect(documented.filter((step) => step.kind === 'root-cause-overdue')).toEqual([])
  })

  it('keeps a formal breach open until one of its three documented manager actions', () => {
    const formal = stepOf('formal-breach')
    const resolve = (action: string) =>
      replay([
        ...untouched,
        fired(formal, formal.dueAt),
        leadEvent(
          'lead-1',
          'escalation.resolved',
          { stepKey: formal.key, action, note: 'Talked it through with Ana' },
          formal.dueAt + HOUR,
          { actor: 'mgr-carla-reyes' },
        ),
      ])
    const refused = resolve('ignored-it')
    expect(refused.state.escalations[0]?.resolution).toBeNull()
    expect(refused.state.refusals.at(-1)).toMatchObject({
      rule: 'escalation-manager-action',
      message:
        '"ignored-it" is not a documented action for "T+24h · Formal SLA Breach — Manager Action Required on Record"; record one of: reassign-with-note, legitimate-reason, coaching-action',
    })
    expect(resolve('coaching-action').state.escalations[0]?.resolution).toEqual({
      action: 'coaching-action',
      note: 'Talked it through with Ana',
      at: formal.dueAt + HOUR,
      actor: 'mgr-carla-reyes',
    })
  })

  it('sends the SQL resolution notice when the AE manager records the action', () => {
    const sql = [...sqlEvents()]
    const formal = plan(sql).find((step) => step.stepId === 'formal-escalation')
    if (!formal) {
      throw new Error('no formal escalation on the SQL chain')
    }
    // AE notified at SQL promotion (Wed 10:00 New York); 8 business hours later: Thu 08:00.
    expect(new Date(formal.dueAt).toISOString()).toBe('2026-03-05T13:00:00.000Z')
    const resolvedAt = formal.dueAt + 30 * MINUTE
    const steps = plan([
      ...sql,
      fired(formal, formal.dueAt),
      leadEvent(
        'lead-1',
        'escalation.resolved',
        { stepKey: formal.key, action: 'accept-temporarily', note: 'Omar is out; Rachel covers' },
        resolvedAt,
      ),
    ])
    expect(steps.find((step) => step.kind === 'resolution-notice')).toMatchObject({
      dueAt: resolvedAt,
      notify: ['sdr', 'sdr-manager'],
      actionDueAt: resolvedAt + 2 * HOUR,
      requiredAction: 'Omar is out; Rachel covers',
    })
  })
})

describe('planEscalations — stage next actions (section 07)', () => {
  const nextActions = (steps: readonly PlannedStep[]) =>
    schedule(steps.filter((step) => step.stepId === 'next-action'))
  const meetingHeld = leadEvent(
    'lead-1',
    'activity.logged',
    { activityType: 'meeting', outcome: 'held' },
    T0 + 2 * DAY,
  )
  const toStageTwo = leadEvent(
    'lead-1',
    'opportunity.stage-changed',
    { stage: 2, ebMeetingAt: T0 + 14 * DAY },
    T0 + 10 * DAY,
  )

  it('wants a next step 24 h after a Stage 1 meeting and the EB meeting 10 days into Stage 2', () => {
    expect(nextActions(plan([...opportunity, meetingHeld, toStageTwo]))).toEqual([
      'opportunity-stage-1:next-action 2026-03-06T14:00:00.000Z',
      'opportunity-stage-2:next-action 2026-03-23T14:00:00.000Z',
    ])
  })

  it('is met by a logged next step in the stage', () => {
    const logged = (at: number) =>
      leadEvent(
        'lead-1',
        'opportunity.updated',
        { nextStep: 'EB meeting with the CFO on the 17th' },
        at,
      )
    expect(
      nextActions(
        plan([
          ...opportunity,
          meetingHeld,
          logged(T0 + 2 * DAY + HOUR),
          toStageTwo,
          logged(T0 + 12 * DAY),
        ]),
      ),
    ).toEqual([])
  })
})

describe('planEscalations — every stage of section 07', () => {
  // Each stage entered on Friday 13 March 14:00Z, with the evidence its close-date rule needs.
  const ENTRY = T0 + 10 * DAY
  const enter = (stage: number) =>
    plan([
      ...opportunity,
      leadEvent(
        'lead-1',
        'opportunity.stage-changed',
        {
          stage,
          ebMeetingAt: ENTRY + 4 * DAY,
          evaluationEndsAt: ENTRY + 5 * DAY,
          closeDate: ENTRY + 10 * DAY,
        },
        ENTRY,
      ),
    ]).filter(
      (step) =>
        step.subjectId === `opportunity-stage-${stage}` || step.subjectId === 'stage-age-exceeded',
    )
  it.each([
    // stage, next action (from the seed's table), maximum age
    [
      2,
      'EB meeting booked within 10 days of stage entry',
      '2026-03-23T14:00:00.000Z',
      '2026-04-12T14:00:00.000Z',
    ],
    [
      3,
      'Mutual success plan agreed within 5 days of stage entry',
      '2026-03-18T14:00:00.000Z',
      '2026-04-12T14:00:00.000Z',
    ],
    [
      4,
      'Follow-up within 24hrs of proposal delivery',
      '2026-03-14T14:00:00.000Z',
      '2026-04-03T14:00:00.000Z',
    ],
    [
      5,
      'Daily check-in cadence while in legal review',
      '2026-03-14T14:00:00.000Z',
      '2026-04-03T14:00:00.000Z',
    ],
  ])(
    'stage %i: next action "%s" due %s, stage age alert %s',
    (stage, action, nextActionAt, maxAgeAt) => {
      const steps = enter(stage)
      expect(schedule(steps)).toEqual([
        `opportunity-stage-${stage}:next-action ${nextActionAt}`,
        `stage-age-exceeded:stage-age-exceeded ${maxAgeAt}`,
      ])
      expect(steps[0]?.requiredAction).toBe(action)
    },
  )

  it('stage 5 wants a check-in every day: each activity restarts it', () => {
    const steps = plan([
      ...opportunity,
      leadEvent(
        'lead-1',
        'opportunity.stage-changed',
        { stage: 5, closeDate: ENTRY + 10 * DAY },
        ENTRY,
      ),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'call', outcome: 'connected' },
        ENTRY + 20 * HOUR,
      ),
    ]).filter((step) => step.subjectId === 'opportunity-stage-5')
    expect(schedule(steps)).toEqual(['opportunity-stage-5:next-action 2026-03-15T10:00:00.000Z'])
  })

  it('stage 1 keeps the close date within 90 days on later updates too', () => {
    const { state } = replay([
      ...opportunity,
      leadEvent(
        'lead-1',
        'opportunity.updated',
        { closeDate: OPPORTUNITY_AT + 120 * DAY },
        OPPORTUNITY_AT + DAY,
      ),
    ])
    expect(state.refusals.at(-1)).toMatchObject({
      rule: 'opportunity-close-date-rule',
      message:
        'Stage 1 (Discovery): forecast date within 90 days (by 2026-06-03); the close date is 2026-07-02',
    })
  })
})

describe('planEscalations — the warm handoff (section 06)', () => {
  // SQL promoted Wednesday 10:00 New York (15:00Z); the meeting is Friday 09:00 (14:00Z).
  const accepted = [
    ...sqlEvents(),
    leadEvent('lead-1', 'ae.accepted', { briefingRead: true }, T0 + DAY + 2 * HOUR),
  ]
  const handoffSteps = (steps: readonly PlannedStep[]) =>
    schedule(
      steps.filter((step) =>
        ['three-way-intro', 'internal-debrief', 'discovery-meeting'].includes(step.subjectId),
      ),
    )

  it('runs the intro (2 h from the SQL) and discovery (5 business days from acceptance) clocks', () => {
    expect(handoffSteps(plan(accepted))).toEqual([
      'three-way-intro:breach 2026-03-04T17:00:00.000Z',
      // Accepted Wednesday 11:00 EST; five business days later is Wednesday 11:00 EDT.
      'discovery-meeting:breach 2026-03-11T15:00:00.000Z',
    ])
  })

  it('stops them when the intro is logged and the discovery meeting is held', () => {
    const done = plan([
      ...accepted,
      leadEvent('lead-1', 'handoff.logged', { step: 'three-way-intro' }, T0 + DAY + 90 * MINUTE),
      leadEvent(
        'lead-1',
        'activity.logged',
        { activityType: 'meeting', outcome: 'held' },
        T0 + 3 * DAY,
      ),
    ])
    expect(handoffSteps(done)).toEqual([])
  })

  it('requires the internal debrief 24 hours before the meeting for strategic accounts only', () => {
    const strategic = accepted.map((event) =>
      event.type === 'lead.created'
        ? {
            ...event,
            payload: {
              ...event.payload,
              profile: { ...(event.payload.profile as object), segment: 'strategic' },
            },
          }
        : event,
    )
    expect(handoffSteps(plan(strategic))).toContain(
      'internal-debrief:breach 2026-03-05T14:00:00.000Z',
    )
    expect(
      handoffSteps(
        plan([
          ...strategic,
          leadEvent('lead-1', 'handoff.logged', { step: 'internal-debrief' }, T0 + DAY + 5 * HOUR),
        ]),
      ),
    ).not.toContain('internal-debrief:breach 2026-03-05T14:00:00.000Z')
  })
})

describe('periodBounds', () => {
  it('gives the calendar quarter in the policy time zone', () => {
    const [start, end] = periodBounds(
      Date.parse('2026-05-10T12:00:00Z'),
      'quarter',
      'America/New_York',
    )
    expect(new Date(start).toISOString()).toBe('2026-04-01T04:00:00.000Z')
    expect(new Date(end).toISOString()).toBe('2026-07-01T04:00:00.000Z')
  })
})

describe('planEscalations — after hours (section 04), owner calendars, pauses', () => {
  // Marketing's half done Tuesday 2026-03-03 19:00 New York (EST, 00:00Z Wednesday): closed.
  const EVENING = T0 + 10 * HOUR - 2 * MINUTE
  const subjectSteps = (steps: readonly PlannedStep[], prefix: string): string[] =>
    schedule(steps.filter((step) => step.subjectId.startsWith(prefix)))

  it('moves a Tier 1 chain to the after-hours target: due Wed 08:30, T+30 at 08:55', () => {
    const steps = plan(mqlEvents('lead-1', EVENING))
    expect(subjectSteps(steps, 'sdr-response')).toEqual([
      // T+0 comes at the 08:00 open; every step from the target on moves by 25 business minutes
      // (after hours: 30 min after the open instead of 5 min from the start).
      'sdr-response-tier-1:notification 2026-03-04T13:00:00.000Z',
      'sdr-response-tier-1:reminder 2026-03-04T13:55:00.000Z',
      'sdr-response-tier-1:manager-notified 2026-03-04T15:25:00.000Z',
      // 24 h 25 min of business time from Wed 08:00: Wed 10 h, Thu 10 h, Fri 12:25 EST.
      'sdr-response-tier-1:formal-breach 2026-03-06T17:25:00.000Z',
      // 48 h 25 min: Wed, Thu, Fri, Mon (EDT since 8 March) 10 h each, Tue 10 March 16:25 EDT.
      'sdr-response-tier-1:critical-breach 2026-03-10T20:25:00.000Z',
    ])
    // Items without a response tier are not moved: SAL accept/reject 4 business hours → Wed 12:00.
    expect(subjectSteps(steps, 'sal-accept-reject')).toEqual([
      'sal-accept-reject:target 2026-03-04T17:00:00.000Z',
      'sal-accept-reject:breach 2026-03-06T17:00:00.000Z',
    ])
  })

  it('treats a London bank holiday as after hours', () => {
    // Monday 4 May 2026 (Early May bank holiday) 10:00 BST; the next open is Tue 08:00 BST.
    const HOLIDAY = Date.parse('2026-05-04T09:00:00Z') - 2 * MINUTE
    const events = mqlEvents('lead-1', HOLIDAY).map((event) =>
      event.type === 'lead.created'
        ? {
            ...event,
            payload: {
              ...event.payload,
              profile: { ...IDEAL_PROFILE, country: 'GB', timeZone: 'Europe/London' },
            },
          }
        : event,
    )
    const reminder = plan(events).find((step) => step.stepId === 'reminder')
    // Target Tue 08:30 BST; the T+30 reminder 25 minutes later: 08:55 BST = 07:55Z.
    expect(reminder).toMatchObject({ calendarId: 'uk', dueAt: Date.parse('2026-05-05T07:55:00Z') })
  })

  it('gives Tier 2 and Tier 3 their own after-hours rules without moving their chains', () => {
    const { state, effects } = replay(mqlEvents('lead-1', EVENING))
    const breachOf = (tier: string) =>
      planEscalations(policy, calendars, { ...state, tier }, effects).find(
        (step) => step.stepId === 'formal-breach',
      )?.dueAt
    // Tier 2 "by 10:00 next business day" is 2 business hours after the open: no extra time,
    // so 24 business hours from Wed 08:00 still end Fri 12:00 EST.
    expect(breachOf('tier-2')).toBe(Date.parse('2026-03-06T17:00:00Z'))
    // Tier 3 "24 business hours after next open" equals its in-hours 24 business hours.
    expect(breachOf('tier-3')).toBe(Date.parse('2026-03-06T17:00:00Z'))
  })

  it('runs the AE acceptance chain in the AE’s calendar (London) for a New York lead', () => {
    const { state, effects } = replay(sqlEvents())
    const withAe = withOwnerCalendars(calendars, [{ id: 'ae-omar', calendarId: 'uk' }])
    const steps = planEscalations(policy, withAe, state, effects).filter(
      (step) => step.subjectId === 'ae-sql-acceptance',
    )
    // Notified Wed 4 March 15:00Z = 15:00 in London (GMT): 3 business hours left that day.
    expect(schedule(steps)).toEqual([
      'ae-sql-acceptance:notification 2026-03-04T15:00:00.000Z',
      'ae-sql-acceptance:peer-nudge 2026-03-05T09:00:00.000Z',
      'ae-sql-acceptance:formal-escalation 2026-03-05T13:00:00.000Z',
      // 24 business hours: Wed 3 h, Thu 10 h, Fri 10 h, Mon 09:00 GMT.
      'ae-sql-acceptance:critical-breach 2026-03-09T09:00:00.000Z',
    ])
    expect(steps[0]?.calendarId).toBe('uk')
  })

  it('plans nothing for a clock whose calendar cannot be chosen', () => {
    const { state, effects } = replay(mqlEvents())
    const unknownZone = { ...state, profile: { ...state.profile, timeZone: 'Mars/Olympus' } }
    const steps = planEscalations(policy, calendars, unknownZone, effects)
    expect(steps.filter((step) => step.subjectId.startsWith('sdr-response'))).toEqual([])
  })

  it('moves the chain out by exactly the paused business time', () => {
    // Paused at 10:02 New York (1 h on the clock), resumed Wed 09:00: 7 h 58 min + 1 h paused.
    const steps = plan([
      ...mqlEvents(),
      leadEvent(
        'lead-1',
        'clock.paused',
        { item: 'sdr-response-tier-1', reason: 'waiting-on-enrichment' },
        HANDOFF + HOUR,
      ),
      leadEvent('lead-1', 'clock.resumed', { item: 'sdr-response-tier-1' }, T0 + DAY),
    ])
    expect(steps.find((step) => step.stepId === 'manager-notified')?.dueAt).toBe(
      // Unpaused: Tue 11:02 EST. Paused 8 h 58 min of business time: Wed 10:00 EST.
      Date.parse('2026-03-04T15:00:00Z'),
    )
    // The reminder (30 min) fell before the pause: unchanged.
    expect(steps.find((step) => step.stepId === 'reminder')?.dueAt).toBe(HANDOFF + 30 * MINUTE)
  })
})
