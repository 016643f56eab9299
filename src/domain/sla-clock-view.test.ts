import { describe, expect, it } from 'vitest'

import { replayLead } from './lead-engine.js'
import { createCalendarSet, deriveSlaClocks } from './sla-clock-view.js'
import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

function clocksOf(events: Parameters<typeof replayLead>[0], now: number) {
  const { state, effects } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead')
  }
  return deriveSlaClocks(policy, calendars, state, effects, now)
}

// T0 is Tuesday 2026-03-03 09:00 in New York.
const tier1 = [
  leadEvent('l', 'lead.created', { profile: IDEAL_PROFILE, source: 'demo-request' }, T0),
  leadEvent('l', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
  leadEvent('l', 'lead.enriched', { profile: {} }, T0 + MINUTE),
  leadEvent('l', 'owner.assigned', { ownerId: 'sdr-ana', reason: 'round robin' }, T0 + 2 * MINUTE),
]

describe('deriveSlaClocks', () => {
  it('runs the Tier 1 response clock from the handoff in the prospect business calendar', () => {
    const running = clocksOf(tier1, T0 + 4 * MINUTE).find(
      (clock) => clock.itemId === 'sdr-response-tier-1',
    )
    expect(running).toEqual({
      itemId: 'sdr-response-tier-1',
      name: 'SDR Response — Tier 1',
      calendarId: 'us-east',
      startedAt: T0 + 2 * MINUTE,
      stoppedAt: null,
      elapsedMs: 2 * MINUTE,
      targetAt: T0 + 7 * MINUTE,
      breachAt: T0 + 2 * MINUTE + 2 * HOUR,
      status: 'running',
      pausedSince: null,
      problem: null,
    })
    const called = clocksOf(
      [
        ...tier1,
        leadEvent(
          'l',
          'activity.logged',
          { activityType: 'call', outcome: 'voicemail' },
          T0 + 6 * MINUTE,
        ),
      ],
      T0 + HOUR,
    ).find((clock) => clock.itemId === 'sdr-response-tier-1')
    expect(called).toMatchObject({
      stoppedAt: T0 + 6 * MINUTE,
      elapsedMs: 4 * MINUTE,
      status: 'met',
    })
  })

  it('does not count the night: breached only after two business hours', () => {
    // Handoff at 17:00 New York; 2 business hours end at 09:00 the next morning.
    const late = tier1.map((event) => ({
      ...event,
      occurredAt: event.occurredAt + 8 * HOUR,
      receivedAt: event.receivedAt + 8 * HOUR,
    }))
    const atMidnight = clocksOf(late, T0 + 15 * HOUR).find(
      (clock) => clock.itemId === 'sdr-response-tier-1',
    )
    expect(atMidnight).toMatchObject({
      status: 'running',
      elapsedMs: 58 * MINUTE,
      breachAt: T0 + DAY + 2 * MINUTE,
    })
    const nextMorning = clocksOf(late, T0 + DAY + 5 * MINUTE).find(
      (clock) => clock.itemId === 'sdr-response-tier-1',
    )
    expect(nextMorning?.status).toBe('breached')
  })

  it('uses wall-clock time for the 15-minute routing SLA', () => {
    const routing = clocksOf(tier1, T0 + HOUR).find((clock) => clock.itemId === 'crm-routing-speed')
    expect(routing).toMatchObject({
      startedAt: T0 + MINUTE,
      stoppedAt: T0 + 2 * MINUTE,
      elapsedMs: MINUTE,
      status: 'met',
    })
  })
})

describe('routing exceptions and reassignment', () => {
  const exception = [
    ...tier1.slice(0, 3),
    leadEvent(
      'l',
      'lead.routed',
      {
        outcome: 'exception',
        queue: 'revops-exceptions',
        reason: 'no SDR covers BR',
        dueAt: T0 + 31 * MINUTE,
      },
      T0 + MINUTE,
    ),
  ]

  it('runs the exception queue’s own clock until an owner is assigned', () => {
    const open = clocksOf(exception, T0 + 40 * MINUTE).find(
      (clock) => clock.itemId === 'routing-exception:revops-exceptions',
    )
    expect(open).toMatchObject({
      status: 'breached',
      startedAt: T0 + MINUTE,
      elapsedMs: 39 * MINUTE,
      targetAt: T0 + 31 * MINUTE,
    })
    const resolved = clocksOf(
      [
        ...exception,
        leadEvent(
          'l',
          'owner.assigned',
          { ownerId: 'sdr-ana', reason: 'RevOps picked an owner' },
          T0 + 20 * MINUTE,
        ),
      ],
      T0 + 40 * MINUTE,
    ).find((clock) => clock.itemId === 'routing-exception:revops-exceptions')
    expect(resolved).toMatchObject({
      status: 'met',
      stoppedAt: T0 + 20 * MINUTE,
      elapsedMs: 19 * MINUTE,
    })
  })

  it('keeps the response clock running across a reassignment, or restarts it when the policy says so', () => {
    const reassigned = [
      ...tier1,
      leadEvent(
        'l',
        'owner.assigned',
        { ownerId: 'sdr-jake', reason: 'owner out sick', reassignment: 'out-of-office' },
        T0 + 30 * MINUTE,
      ),
    ]
    const tier1Clock = (p: typeof policy) => {
      const { state, effects } = replayLead(reassigned, p)
      return deriveSlaClocks(p, calendars, state!, effects, T0 + HOUR).find(
        (clock) => clock.itemId === 'sdr-response-tier-1',
      )
    }
    expect(tier1Clock(policy)).toMatchObject({ startedAt: T0 + 2 * MINUTE, elapsedMs: 58 * MINUTE })
    const restarting = {
      ...policy,
      slaItems: policy.slaItems.map((item) =>
        item.id === 'sdr-response-tier-1' && item.clock
          ? { ...item, clock: { ...item.clock, restartsOn: ['owner-assigned' as const] } }
          : item,
      ),
    }
    expect(tier1Clock(restarting)).toMatchObject({
      startedAt: T0 + 30 * MINUTE,
      elapsedMs: 30 * MINUTE,
    })
  })
})
