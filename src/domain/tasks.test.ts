import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { cadenceProgress } from './cadence.js'
import { planEscalations } from './escalation/escalation-plan.js'
import { resolveRecipients } from './escalation/recipients.js'
import type { LeadEffect } from './lead-effects.js'
import { replayLead } from './lifecycle/engine.js'
import type { LeadEventPayload } from './lead-events.js'
import type { LeadState } from './lead-state.js'
import type { NewLeadEvent } from './recorded-event.js'
import { createCalendarSet } from './sla-clock-view.js'
import type { LeadTask } from './tasks.js'
import { taskDueAt, taskViews } from './tasks.js'
import { loadDefaultRoster } from './team/test-support.js'
import {
  DAY,
  HOUR,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
  salEvents,
  sqlEvents,
} from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
const roster = loadDefaultRoster(policy)

function replay(events: readonly NewLeadEvent[]): {
  state: LeadState
  effects: readonly LeadEffect[]
} {
  const { state, effects } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead state')
  }
  return { state, effects }
}

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString())

/** Thursday 2026-03-05 09:00 New York (EST), two days after the lead arrived. */
const REJECTED_AT = T0 + 2 * DAY
const rejected = (code: string): NewLeadEvent[] => [
  ...sqlEvents(),
  leadEvent('lead-1', 'ae.rejected', { reasonCode: code }, REJECTED_AT),
]

describe('tasks of an AE rejection (section 06 taxonomy)', () => {
  // 14 business days of 08:00–18:00 from Thu 5 March 09:00 EST: Wed 25 March 09:00 EDT (DST on
  // 8 March). One business day from then: Fri 6 March 09:00 EST.
  it.each([
    [
      'AE-REJ-01',
      'AE-REJ-01: Return to SAL; SDR continues outreach or recycles',
      'sdr',
      'sdr-ana',
      '2026-03-25T13:00:00.000Z',
      ['sdr-manager'],
    ],
    [
      'AE-REJ-02',
      'Check in: Not Ready — Timeline 12+ Months — re-MQL when: Re-engagement signal OR timeline confirmed under 12 months',
      'sdr',
      'sdr-ana',
      '2026-09-05T14:00:00.000Z',
      ['owner-manager'],
    ],
    [
      'AE-REJ-03',
      'AE-REJ-03: SDR re-engages to identify correct contact at same account',
      'sdr',
      'sdr-ana',
      '2026-03-25T13:00:00.000Z',
      ['sdr-manager'],
    ],
    [
      'AE-REJ-04',
      'AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked',
      'sdr',
      'sdr-ana',
      '2026-03-25T13:00:00.000Z',
      ['owner-manager'],
    ],
    [
      'AE-REJ-05',
      'AE-REJ-05: RevOps arbitrates; reassigns or redirects as needed',
      'revops',
      null,
      '2026-03-06T14:00:00.000Z',
      ['owner-manager'],
    ],
  ])('%s opens one task: %s', (code, text, ownerRole, ownerId, dueAt, escalateTo) => {
    const { state } = replay(rejected(code))
    const views = taskViews(policy, calendars, state)
    expect(views.map((view) => ({ ...view, dueAt: iso(view.dueAt) }))).toEqual([
      {
        taskId: `lead-1:task:${code === 'AE-REJ-02' ? 'check-in:not-ready' : code}:${REJECTED_AT}`,
        leadId: 'lead-1',
        source: code === 'AE-REJ-02' ? 'check-in:not-ready' : code,
        text,
        ownerRole,
        ownerId,
        openedAt: REJECTED_AT,
        dueAt,
        calendarProblem: null,
        state: 'open',
        completedAt: null,
        completedBy: null,
        escalateTo,
      },
    ])
  })

  it('a recycle into Not Ready opens the month-6 check-in for the SDR', () => {
    const recycledAt = T0 + 10 * DAY // Fri 13 March 2026 14:00 UTC
    const { state } = replay([
      ...salEvents(),
      leadEvent('lead-1', 'lead.recycled', { scenario: 'not-ready' }, recycledAt),
    ])
    expect(
      taskViews(policy, calendars, state).map((view) => [
        view.source,
        view.ownerId,
        iso(view.dueAt),
      ]),
    ).toEqual([['check-in:not-ready', 'sdr-ana', '2026-09-13T14:00:00.000Z']])
    // A recycle without a check-in (cadence exhausted) opens none.
    const exhausted = replay([
      ...salEvents(),
      leadEvent('lead-1', 'lead.recycled', { scenario: 'cadence-exhausted' }, recycledAt),
    ])
    expect(exhausted.state.tasks).toEqual([])
  })

  it('plans the assignment at the rejection and the overdue escalation at the due instant', () => {
    const { state, effects } = replay(rejected('AE-REJ-04'))
    const taskStepsOf = planEscalations(policy, calendars, state, effects).filter((step) =>
      step.kind.startsWith('task-'),
    )
    expect(
      taskStepsOf.map((step) => [step.key, iso(step.dueAt), step.notify, iso(step.actionDueAt)]),
    ).toEqual([
      [
        `lead-1:task:AE-REJ-04:${REJECTED_AT}:assigned`,
        '2026-03-05T14:00:00.000Z',
        ['owner'],
        '2026-03-25T13:00:00.000Z',
      ],
      [
        `lead-1:task:AE-REJ-04:${REJECTED_AT}:overdue`,
        '2026-03-25T13:00:00.000Z',
        ['owner', 'owner-manager'],
        null,
      ],
    ])
    const owned = { ...state, ownerId: 'sdr-ana-lopez' }
    const [assigned, overdue] = taskStepsOf
    if (!assigned || !overdue) {
      throw new Error('no task steps')
    }
    expect(resolveRecipients(assigned, owned, roster).map((r) => r.personId)).toEqual([
      'sdr-ana-lopez',
    ])
    // The reviewer of AE-REJ-04 is the SDR: overdue goes to the SDR's manager.
    expect(resolveRecipients(overdue, owned, roster).map((r) => r.personId)).toEqual([
      'sdr-ana-lopez',
      'mgr-carla-reyes',
    ])
  })

  it('escalates an overdue AE-REJ-01 to the SDR manager and an overdue arbitration to RevOps’ manager', () => {
    const overdueOf = (code: string) => {
      const { state, effects } = replay(rejected(code))
      const step = planEscalations(policy, calendars, state, effects).find(
        (candidate) => candidate.kind === 'task-overdue',
      )
      if (!step) {
        throw new Error('no overdue step')
      }
      return resolveRecipients(step, { ...state, ownerId: 'sdr-ana-lopez' }, roster).map(
        (r) => r.personId,
      )
    }
    expect(overdueOf('AE-REJ-01')).toEqual(['sdr-ana-lopez', 'mgr-carla-reyes'])
    expect(overdueOf('AE-REJ-05')).toEqual(['revops-mei-tanaka', 'vp-grace-okafor'])
  })
})

describe('a task whose calendar cannot be chosen', () => {
  it('has no due instant and no overdue step, with the reason; a wall-clock due still counts', () => {
    const elsewhere = (code: string): LeadState => {
      const { state } = replay(rejected(code))
      return { ...state, profile: { ...state.profile, timeZone: 'Mars/Olympus' } }
    }
    const problem = 'unknown time zone "Mars/Olympus"; use an IANA zone such as "Europe/London"'
    const lost = elsewhere('AE-REJ-01')
    expect(taskViews(policy, calendars, lost).map((v) => [v.dueAt, v.calendarProblem])).toEqual([
      [null, problem],
    ])
    expect(
      planEscalations(policy, calendars, lost, [])
        .filter((step) => step.kind.startsWith('task-'))
        .map((step) => step.stepId),
    ).toEqual(['task-assigned'])
    expect(
      taskViews(policy, calendars, elsewhere('AE-REJ-02')).map((v) => [
        iso(v.dueAt),
        v.calendarProblem,
      ]),
    ).toEqual([['2026-09-05T14:00:00.000Z', null]])
  })
})

describe('completing a task', () => {
  const REBOOKED_AT = REJECTED_AT + DAY

  it('a rebooked meeting completes the reschedule task and cancels its overdue step', () => {
    const { state, effects } = replay([
      ...rejected('AE-REJ-04'),
      leadEvent('lead-1', 'meeting.booked', { meetingAt: REJECTED_AT + 5 * DAY }, REBOOKED_AT),
    ])
    expect(
      taskViews(policy, calendars, state).map((v) => [v.state, v.completedAt, v.completedBy]),
    ).toEqual([['done', REBOOKED_AT, 'meeting-booked']])
    expect(
      planEscalations(policy, calendars, state, effects)
        .filter((step) => step.kind.startsWith('task-'))
        .map((step) => step.stepId),
    ).toEqual(['task-assigned'])
  })

  it('task.completed completes the named task; an unknown or done one is refused with the open ones', () => {
    const taskId = `lead-1:task:AE-REJ-05:${REJECTED_AT}`
    const completed = (id: string, at: number): NewLeadEvent =>
      leadEvent(
        'lead-1',
        'task.completed',
        { taskId: id, note: 'Territory confirmed' } satisfies LeadEventPayload<'task.completed'>,
        at,
        {
          actor: 'revops-mei-tanaka',
          key: `done:${at}`,
        },
      )
    const { state, effects } = replay([
      ...rejected('AE-REJ-05'),
      completed('lead-1:task:nope', REJECTED_AT + HOUR),
      completed(taskId, REJECTED_AT + 2 * HOUR),
      completed(taskId, REJECTED_AT + 3 * HOUR),
    ])
    expect(state.tasks[0]?.completion).toEqual({
      at: REJECTED_AT + 2 * HOUR,
      by: 'task.completed',
      actor: 'revops-mei-tanaka',
      note: 'Territory confirmed',
    })
    expect(
      effects.flatMap((effect) => (effect.kind === 'transition-refused' ? [effect.message] : [])),
    ).toEqual([
      `no such task: "lead-1:task:nope"; open tasks: ${taskId}`,
      `task is already done: "${taskId}"; open tasks: none`,
    ])
  })
})

describe('cadence completed → recycle (sections 04 and 09)', () => {
  // A Tier 1 SAL, Marketing's half done Tue 3 March 09:02 New York; the touch plan's 8 attempts.
  const attempt = (
    activityType: LeadEventPayload<'activity.logged'>['activityType'],
    outcome: LeadEventPayload<'activity.logged'>['outcome'],
    at: number,
  ): NewLeadEvent => leadEvent('lead-1', 'activity.logged', { activityType, outcome }, at)
  const EIGHTH_AT = T0 + 13 * DAY // Mon 16 March 2026 10:00 EDT
  const touches = (fourth: 'voicemail' | 'connected'): NewLeadEvent[] => [
    ...salEvents(),
    attempt('call', 'no-answer', T0 + 3 * MINUTE),
    attempt('email', 'sent', T0 + 20 * MINUTE),
    attempt('linkedin', 'sent', T0 + DAY),
    attempt('call', fourth, T0 + 2 * DAY),
    attempt('email', 'sent', T0 + 6 * DAY),
    attempt('call', 'no-answer', T0 + 8 * DAY),
    attempt('email', 'sent', T0 + 9 * DAY),
    attempt('email', 'sent', EIGHTH_AT),
  ]

  it('fires the chain step at the eighth attempt and opens the SDR’s recycle task', () => {
    const { state, effects } = replay(touches('voicemail'))
    expect(
      effects.filter(
        (effect) =>
          effect.kind === 'clock-event' && effect.event === 'cadence-completed-no-response',
      ),
    ).toEqual([{ kind: 'clock-event', event: 'cadence-completed-no-response', at: EIGHTH_AT }])
    const step = planEscalations(policy, calendars, state, effects).find(
      (candidate) => candidate.stepId === 'cadence-completed',
    )
    expect([step?.key, iso(step?.dueAt ?? null), step?.notify]).toEqual([
      `lead-1:sdr-response-tier-1:${T0 + 2 * MINUTE}:cadence-completed`,
      '2026-03-16T14:00:00.000Z',
      ['owner', 'marketing-ops'],
    ])
    // Due one business day later: Tue 17 March 10:00 EDT.
    expect(
      taskViews(policy, calendars, state).map((view) => [view.text, view.ownerId, iso(view.dueAt)]),
    ).toEqual([
      [
        'Lead Recycled to Nurture — Process Completed Correctly: SDR documents the outcome; lead enters the suppression window',
        'sdr-ana',
        '2026-03-17T14:00:00.000Z',
      ],
    ])
    expect(cadenceProgress(policy, state)).toMatchObject({
      attemptsPlanned: 8,
      attemptsLogged: 8,
      connected: false,
      nextTouch: null,
      exhaustedAt: EIGHTH_AT,
    })
  })

  it('recycling the lead completes the task', () => {
    const { state } = replay([
      ...touches('voicemail'),
      leadEvent('lead-1', 'lead.recycled', { scenario: 'cadence-exhausted' }, EIGHTH_AT + HOUR),
    ])
    expect(
      taskViews(policy, calendars, state).map((view) => [view.state, view.completedBy]),
    ).toEqual([['done', 'recycled']])
  })

  it('does not fire when a live connect happened, and names the next touch before the end', () => {
    const { state, effects } = replay(touches('connected'))
    expect(
      planEscalations(policy, calendars, state, effects).some(
        (step) => step.stepId === 'cadence-completed',
      ),
    ).toBe(false)
    expect(state.tasks).toEqual([])
    const early = replay(touches('voicemail').slice(0, -3))
    expect(cadenceProgress(policy, early.state)).toMatchObject({
      attemptsLogged: 5,
      nextTouch: { touch: 6, day: 7, channel: 'phone' },
      exhaustedAt: null,
    })
  })
})

describe('task due arithmetic (property)', () => {
  const { state } = replay(rejected('AE-REJ-01'))
  const newYork = calendars.byId.get('us-east')
  if (!newYork) {
    throw new Error('no us-east calendar')
  }

  it('a business-time due is exactly that much open time of the owner’s calendar after opening', () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('2026-01-01T00:00:00Z'),
          max: Date.parse('2027-12-31T00:00:00Z'),
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('hour' as const, 'day' as const),
        (openedAt, amount, unit) => {
          const task: LeadTask = {
            ...(state.tasks[0] as LeadTask),
            openedAt,
            due: { amount, unit, business: true },
          }
          const dueAt = taskDueAt(policy, calendars, state, task) ?? Number.NaN
          const expectedMs = amount * (unit === 'hour' ? HOUR : newYork.businessDayMs)
          expect(dueAt).toBeGreaterThan(openedAt)
          expect(newYork.elapsed(openedAt, dueAt)).toBe(expectedMs)
          // The last such instant: open, so the next millisecond is already past the budget.
          expect(newYork.isOpen(dueAt)).toBe(true)
          expect(newYork.elapsed(openedAt, dueAt + 1)).toBe(expectedMs + 1)
        },
      ),
    )
  })
})
