import { describe, expect, it } from 'vitest'

import type { Policy } from '../policy/policy-schema.js'
import { replayLead } from './lifecycle/engine.js'
import type { NewLeadEvent } from './recorded-event.js'
import { createCalendarSet, deriveSlaClocks } from './sla-clock-view.js'
import {
  DAY,
  HOUR,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
} from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

/** The default policy with another activity-logging window. */
function withLoggingWindow(minutes: number): Policy {
  return {
    ...policy,
    salActions: policy.salActions.map((action) =>
      action.id === 'activity-logging'
        ? { ...action, window: { amount: minutes, unit: 'minute', business: false } }
        : action,
    ),
  }
}

function stateOf(events: readonly NewLeadEvent[], usedPolicy: Policy = policy) {
  const { state, effects } = replayLead(events, usedPolicy)
  if (!state) {
    throw new Error('no lead')
  }
  return { state, effects }
}

function clockOf(events: readonly NewLeadEvent[], itemId: string, now: number) {
  const { state, effects } = stateOf(events)
  return deriveSlaClocks(policy, calendars, state, effects, now).find(
    (clock) => clock.itemId === itemId,
  )
}

/** A call that happened at `at` and was logged `lateBy` later. */
function call(at: number, lateBy: number): NewLeadEvent {
  return leadEvent('lead-1', 'activity.logged', { activityType: 'call' }, at, {
    receivedAt: at + lateBy,
  })
}

// T0 is Tuesday 2026-03-03 09:00 in New York (14:00Z); mqlEvents assign the SDR at T0 + 2 min.
describe('activity-logging window: the late-logged flag', () => {
  it('flags a call logged more than 30 minutes after it happened, not one logged at 30', () => {
    const { state } = stateOf([
      ...mqlEvents(),
      call(T0 + 5 * MINUTE, 30 * MINUTE),
      call(T0 + HOUR, 30 * MINUTE + 1),
    ])
    expect(state.activities.map((activity) => [activity.occurredAt, activity.flags])).toEqual([
      [T0 + 5 * MINUTE, []],
      [T0 + HOUR, ['late-logged']],
    ])
  })

  it('reads the window from salActions: with 45 minutes, 31 minutes late is on time', () => {
    const events = [...mqlEvents(), call(T0 + 5 * MINUTE, 31 * MINUTE)]
    expect(stateOf(events).state.activities[0]?.flags).toEqual(['late-logged'])
    expect(stateOf(events, withLoggingWindow(45)).state.activities[0]?.flags).toEqual([])
    expect(stateOf(events, withLoggingWindow(20)).state.activities[0]?.flags).toEqual([
      'late-logged',
    ])
  })
})

describe('sal-acceptance window: SAL accepted within 15 minutes of the first attempt', () => {
  const firstAttempt = [...mqlEvents(), call(T0 + 5 * MINUTE, 0)]

  it('is missed when the SDR accepts 20 minutes after the first attempt', () => {
    const accepted = leadEvent('lead-1', 'sal.accepted', {}, T0 + 25 * MINUTE)
    expect(clockOf([...firstAttempt, accepted], 'sal-acceptance', T0 + HOUR)).toEqual({
      itemId: 'sal-acceptance',
      name: 'SAL Acceptance',
      calendarId: 'us-east',
      startedAt: Date.parse('2026-03-03T14:05:00Z'),
      stoppedAt: Date.parse('2026-03-03T14:25:00Z'),
      elapsedMs: 20 * MINUTE,
      targetAt: Date.parse('2026-03-03T14:20:00Z'),
      breachAt: Date.parse('2026-03-03T14:20:00Z'),
      status: 'missed',
      pausedSince: null,
      problem: null,
    })
  })

  it('is met at 15 minutes, and breached while still unaccepted past them', () => {
    const accepted = leadEvent('lead-1', 'sal.accepted', {}, T0 + 20 * MINUTE)
    expect(clockOf([...firstAttempt, accepted], 'sal-acceptance', T0 + HOUR)).toMatchObject({
      stoppedAt: Date.parse('2026-03-03T14:20:00Z'),
      status: 'met',
    })
    expect(clockOf(firstAttempt, 'sal-acceptance', T0 + 21 * MINUTE)).toMatchObject({
      stoppedAt: null,
      targetAt: Date.parse('2026-03-03T14:20:00Z'),
      status: 'breached',
    })
  })

  it('does not run before any attempt', () => {
    expect(clockOf(mqlEvents(), 'sal-acceptance', T0 + HOUR)).toBeUndefined()
  })
})

describe('sequence-enrollment window: enrolled by the end of the business day of routing', () => {
  const enrolment = (at: number): NewLeadEvent =>
    leadEvent('lead-1', 'activity.logged', { activityType: 'sequence-enrolment' }, at)

  it('is missed when the lead is enrolled the next morning', () => {
    const events = [...mqlEvents(), enrolment(Date.parse('2026-03-04T14:00:00Z'))]
    expect(clockOf(events, 'sequence-enrollment', T0 + 2 * DAY)).toEqual({
      itemId: 'sequence-enrollment',
      name: 'Sequence Enrollment',
      calendarId: 'us-east',
      startedAt: Date.parse('2026-03-03T14:02:00Z'),
      stoppedAt: Date.parse('2026-03-04T14:00:00Z'),
      // Tuesday 09:02–18:00 and Wednesday 08:00–09:00 in New York.
      elapsedMs: 9 * HOUR + 58 * MINUTE,
      // Tuesday 24:00 in New York (EST).
      targetAt: Date.parse('2026-03-04T05:00:00Z'),
      breachAt: Date.parse('2026-03-04T05:00:00Z'),
      status: 'missed',
      pausedSince: null,
      problem: null,
    })
  })

  it('is met by an enrolment the same evening', () => {
    const events = [...mqlEvents(), enrolment(Date.parse('2026-03-03T23:30:00Z'))]
    expect(clockOf(events, 'sequence-enrollment', T0 + 2 * DAY)).toMatchObject({
      stoppedAt: Date.parse('2026-03-03T23:30:00Z'),
      status: 'met',
    })
  })

  it('gives a lead routed after hours until the end of the next business day', () => {
    // Routed Friday 2026-03-06 19:02 in New York: the next business day is Monday 2026-03-09.
    const friday = Date.parse('2026-03-07T00:00:00Z')
    expect(
      clockOf(mqlEvents('lead-1', friday), 'sequence-enrollment', friday + HOUR),
    ).toMatchObject({
      startedAt: Date.parse('2026-03-07T00:02:00Z'),
      // Monday 24:00 in New York, daylight time since Sunday 2026-03-08.
      targetAt: Date.parse('2026-03-10T04:00:00Z'),
      status: 'running',
    })
  })
})
