/**
 * A lead's SLA clocks as far as its history goes — when each started and stopped, and when its
 * target and breach fall — for the store's per-lead clock projection, so lists can filter leads
 * by clock status in SQL. The status at any later `now` follows from these alone, by the same
 * rules as `deriveSlaClocks` (a paused clock stays paused until an event resumes it). Pure.
 */
import type { Policy } from '../policy/policy-schema.js'
import type { LeadEffect } from './lead-effects.js'
import type { LeadState } from './lead-state.js'
import type { CalendarSet } from './sla-clock-view.js'
import { deriveSlaClocks } from './sla-clock-view.js'

export interface LeadClockSpan {
  readonly itemId: string
  readonly startedAt: number
  readonly stoppedAt: number | null
  readonly targetAt: number | null
  readonly breachAt: number | null
  /** When the pause it is in began (null when it is not paused): paused until a resume. */
  readonly pausedAt: number | null
  /** Why it cannot run (no calendar…); null when it runs. */
  readonly problem: string | null
}

export function leadClockSpans(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  effects: readonly LeadEffect[],
): LeadClockSpan[] {
  // Every start, stop, pause and resume of the lead's history is at or before its last clock moment.
  const exception = lead.routingException
  const historyEnd = Math.max(
    ...effects.flatMap((effect) => (effect.kind === 'clock-event' ? [effect.at] : [])),
    ...lead.clockPauses.flatMap((pause) => [pause.from, pause.to ?? pause.from]),
    ...(exception ? [exception.raisedAt, exception.resolvedAt ?? exception.raisedAt] : []),
    lead.createdAt,
  )
  return deriveSlaClocks(policy, calendars, lead, effects, historyEnd).map((clock) => ({
    itemId: clock.itemId,
    startedAt: clock.startedAt,
    stoppedAt: clock.stoppedAt,
    targetAt: clock.targetAt,
    breachAt: clock.breachAt,
    pausedAt: clock.pausedSince?.at ?? null,
    problem: clock.problem,
  }))
}
