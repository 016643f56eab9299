import { describe, expect, it } from 'vitest'

import { replayLead } from './lifecycle/engine.js'
import type { SlaClockView } from './sla-clock-view.js'
import {
  clockCountdown,
  createCalendarSet,
  deriveSlaClocks,
  withOwnerCalendars,
} from './sla-clock-view.js'
import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
  sqlEvents,
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

  it('counts down in business time: what is left to target and breach, negative once passed', () => {
    const tier1At = (events: Parameters<typeof replayLead>[0], now: number) => {
      const clock = clocksOf(events, now).find((view) => view.itemId === 'sdr-response-tier-1')
      if (!clock) {
        throw new Error('no Tier 1 clock')
      }
      return clockCountdown(policy, calendars, clock, now)
    }
    // Handed off at 09:02 New York; two minutes later, 3 of the 5 target minutes are left.
    expect(tier1At(tier1, T0 + 4 * MINUTE)).toEqual({
      measure: 'business',
      leftToTargetMs: 3 * MINUTE,
      leftToBreachMs: 2 * HOUR - 2 * MINUTE,
    })
    // Handed off at 17:02 (open until 18:00): at midnight the night does not count, so 62
    // business minutes are left to the 09:02 breach and the 17:07 target is 53 minutes past.
    const late = tier1.map((event) => ({
      ...event,
      occurredAt: event.occurredAt + 8 * HOUR,
      receivedAt: event.receivedAt + 8 * HOUR,
    }))
    expect(tier1At(late, T0 + 15 * HOUR)).toEqual({
      measure: 'business',
      leftToTargetMs: -53 * MINUTE,
      leftToBreachMs: 62 * MINUTE,
    })
    expect(tier1At(late, T0 + DAY + 5 * MINUTE)).toEqual({
      measure: 'business',
      leftToTargetMs: -118 * MINUTE,
      leftToBreachMs: -3 * MINUTE,
    })
    // A stopped clock has nothing left to count.
    const called = [
      ...tier1,
      leadEvent(
        'l',
        'activity.logged',
        { activityType: 'call', outcome: 'voicemail' },
        T0 + 6 * MINUTE,
      ),
    ]
    expect(tier1At(called, T0 + HOUR)).toEqual({
      measure: 'business',
      leftToTargetMs: null,
      leftToBreachMs: null,
    })
  })

  it('uses wall-clock time for the 15-minute routing SLA', () => {
    const routing = clocksOf(tier1, T0 + HOUR).find((clock) => clock.itemId === 'crm-routing-speed')
    expect(routing).toMatchObject({
      startedAt: T0 + MINUTE,
      stoppedAt: T0 + 2 * MINUTE,
      elapsedMs: MINUTE,
      status: 'met',
    })
    // Running at 09:03 (started 09:01, not stopped yet): 13 wall minutes to its 15-minute target.
    const running = clocksOf(tier1.slice(0, 3), T0 + 3 * MINUTE).find(
      (clock) => clock.itemId === 'crm-routing-speed',
    )
    expect(running && clockCountdown(policy, calendars, running, T0 + 3 * MINUTE)).toEqual({
      measure: 'wall-clock',
      leftToTargetMs: 13 * MINUTE,
      leftToBreachMs: 58 * MINUTE,
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

describe('clocks after hours, in the owner’s calendar, paused, or unable to run', () => {
  const tier1At = (handoffAt: number, profile: Record<string, unknown> = IDEAL_PROFILE) => [
    leadEvent('l', 'lead.created', { profile, source: 'demo-request' }, handoffAt - 2 * MINUTE),
    leadEvent('l', 'intent.recorded', { action: 'demo-request' }, handoffAt - MINUTE),
    leadEvent('l', 'lead.enriched', { profile: {} }, handoffAt - MINUTE),
    leadEvent('l', 'owner.assigned', { ownerId: 'sdr-ana', reason: 'round robin' }, handoffAt),
  ]
  const tier1Clock = (clocks: readonly SlaClockView[]) =>
    clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')
  // Tuesday 2026-03-03 19:00 New York (EST) = Wednesday 00:00Z.
  const EVENING = T0 + 10 * HOUR

  it('shows a Tier 1 MQL handed off Tue 19:00 New York due Wed 08:30, breached at 10:25', () => {
    expect(tier1Clock(clocksOf(tier1At(EVENING), EVENING + 6 * HOUR))).toEqual({
      itemId: 'sdr-response-tier-1',
      name: 'SDR Response — Tier 1',
      calendarId: 'us-east',
      startedAt: EVENING,
      stoppedAt: null,
      elapsedMs: 0,
      targetAt: Date.parse('2026-03-04T13:30:00Z'),
      // 2 business hours + the 25 extra minutes after hours.
      breachAt: Date.parse('2026-03-04T15:25:00Z'),
      status: 'running',
      pausedSince: null,
      problem: null,
    })
  })

  it('runs a lead with a European zone and no country in that region’s calendar', () => {
    const { state, effects } = replayLead(tier1, policy)
    const { country: _us, ...noCountry } = state!.profile
    const berlin = { ...state!, profile: { ...noCountry, timeZone: 'Europe/Berlin' } }
    // Handed off 14:02Z = 15:02 in Berlin: open, so 5 business minutes.
    expect(
      tier1Clock(deriveSlaClocks(policy, calendars, berlin, effects, T0 + 3 * MINUTE)),
    ).toMatchObject({
      calendarId: 'dach',
      targetAt: T0 + 7 * MINUTE,
    })
  })

  it('marks a clock unable to run, with the reason, for an unknown time zone', () => {
    const nowhere = { ...IDEAL_PROFILE, timeZone: 'Mars/Olympus' }
    expect(tier1Clock(clocksOf(tier1At(T0, nowhere), T0 + MINUTE))).toEqual({
      itemId: 'sdr-response-tier-1',
      name: 'SDR Response — Tier 1',
      calendarId: '',
      startedAt: T0,
      stoppedAt: null,
      elapsedMs: 0,
      targetAt: null,
      breachAt: null,
      status: 'unable-to-run',
      pausedSince: null,
      problem: 'unknown time zone "Mars/Olympus"; use an IANA zone such as "Europe/London"',
    })
  })

  it('measures AE acceptance in the AE’s calendar: London hours for a New York lead', () => {
    const { state, effects } = replayLead(sqlEvents('l'), policy)
    const team = withOwnerCalendars(calendars, [{ id: 'ae-omar', calendarId: 'uk' }])
    const acceptance = deriveSlaClocks(policy, team, state!, effects, T0 + DAY + 2 * HOUR).find(
      (clock) => clock.itemId === 'ae-sql-acceptance',
    )
    // Notified Wed 15:00 GMT: 3 business hours that day, the 4th by Thu 09:00, the 8th by 13:00.
    expect(acceptance).toMatchObject({
      calendarId: 'uk',
      startedAt: T0 + DAY + HOUR,
      elapsedMs: HOUR,
      targetAt: Date.parse('2026-03-05T09:00:00Z'),
      breachAt: Date.parse('2026-03-05T13:00:00Z'),
      status: 'running',
    })
  })

  it('stops the elapsed time while paused and moves the breach by the paused business time', () => {
    const paused = [
      ...tier1,
      leadEvent(
        'l',
        'clock.paused',
        { item: 'sdr-response-tier-1', reason: 'waiting-on-enrichment' },
        T0 + 4 * MINUTE,
      ),
    ]
    expect(tier1Clock(clocksOf(paused, T0 + HOUR))).toMatchObject({
      status: 'paused',
      elapsedMs: 2 * MINUTE,
      pausedSince: { at: T0 + 4 * MINUTE, reason: 'waiting-on-enrichment' },
    })
    const resumed = [
      ...paused,
      leadEvent('l', 'clock.resumed', { item: 'sdr-response-tier-1' }, T0 + 34 * MINUTE),
    ]
    // 30 minutes paused: target 09:07 → 09:37, breach 11:02 → 11:32 New York.
    expect(tier1Clock(clocksOf(resumed, T0 + HOUR))).toMatchObject({
      status: 'running',
      elapsedMs: 28 * MINUTE,
      targetAt: T0 + 37 * MINUTE,
      breachAt: T0 + 2 * HOUR + 32 * MINUTE,
      pausedSince: null,
    })
  })

  it('starts the activity-minimum clock only with an opportunity, the debrief only for strategic accounts', () => {
    const { state, effects } = replayLead(
      [
        ...sqlEvents('l'),
        leadEvent(
          'l',
          'activity.logged',
          { activityType: 'call', outcome: 'connected' },
          T0 + 2 * DAY,
        ),
      ],
      policy,
    )
    const ids = deriveSlaClocks(policy, calendars, state!, effects, T0 + 3 * DAY).map(
      (clock) => clock.itemId,
    )
    expect(ids).not.toContain('opp-activity-minimum')
    expect(ids).not.toContain('internal-debrief')
    expect(ids).toContain('ae-sql-acceptance')
  })
})
