/**
 * A lead's fold so far, so that new events fold onto it instead of replaying the whole history:
 * the state, the clock moments its history emitted (all that clocks, plans and spans need of the
 * effects), the last event folded in (occurrence order) and the policy it was folded under.
 * Folding on is exact only for events that sort after that position under the same policy;
 * anything else asks for a full replay. Pure.
 */
import type { Policy } from '../policy/policy-schema.js'
import type { PayloadCheck } from './lifecycle/engine.js'
import { applyLeadEvent, replayLead } from './lifecycle/engine.js'
import type { LeadEffect } from './lead-effects.js'
import type { LeadState } from './lead-state.js'
import type { NewLeadEvent, OccurrencePosition } from './recorded-event.js'
import { compareByOccurrence } from './recorded-event.js'

export type ClockEventEffect = Extract<LeadEffect, { kind: 'clock-event' }>

/** Where a fold stands in occurrence order (see `compareByOccurrence`). */
export type FoldPosition = OccurrencePosition

export interface LeadSnapshot {
  readonly state: LeadState
  /** Every clock moment of the history, in the order the engine emitted them. */
  readonly clockEffects: readonly ClockEventEffect[]
  /** The greatest event folded in, by occurrence. */
  readonly foldedThrough: FoldPosition
  /** Identifies the policy the history was folded under (content, not just its version). */
  readonly policyFingerprint: string
}

/** What a snapshot holds besides the state. */
export type LeadFold = Omit<LeadSnapshot, 'state'>

/** A snapshot and the effects the events just folded produced (all kinds). */
export interface SnapshotFold {
  readonly snapshot: LeadSnapshot
  readonly effects: readonly LeadEffect[]
}

export function isClockEvent(effect: LeadEffect): effect is ClockEventEffect {
  return effect.kind === 'clock-event'
}

function latest(events: readonly NewLeadEvent[]): FoldPosition | undefined {
  let last: NewLeadEvent | undefined
  for (const event of events) {
    if (last === undefined || compareByOccurrence(event, last) > 0) {
      last = event
    }
  }
  return (
    last && {
      occurredAt: last.occurredAt,
      idempotencyKey: last.idempotencyKey,
      source: last.source,
    }
  )
}

/** The snapshot of a whole history (a full replay); undefined while the lead does not exist. */
export function snapshotOfHistory(
  events: readonly NewLeadEvent[],
  policy: Policy,
  policyFingerprint: string,
  payloads: PayloadCheck = 'check',
): SnapshotFold | undefined {
  const { state, effects } = replayLead(events, policy, payloads)
  const foldedThrough = latest(events)
  if (state === undefined || foldedThrough === undefined) {
    return undefined
  }
  return {
    snapshot: {
      state,
      clockEffects: effects.filter(isClockEvent),
      foldedThrough,
      policyFingerprint,
    },
    effects,
  }
}

/**
 * Folds `events` (new since the snapshot) onto it when that equals a full replay: same policy,
 * and every event after the snapshot's position. Undefined when a full replay is needed.
 */
export function foldOntoSnapshot(
  snapshot: LeadSnapshot,
  events: readonly NewLeadEvent[],
  policy: Policy,
  policyFingerprint: string,
  payloads: PayloadCheck = 'check',
): SnapshotFold | undefined {
  if (snapshot.policyFingerprint !== policyFingerprint) {
    return undefined
  }
  const ordered = [...events].sort(compareByOccurrence)
  const first = ordered[0]
  if (first !== undefined && compareByOccurrence(first, snapshot.foldedThrough) <= 0) {
    return undefined
  }
  let state: LeadState | undefined = snapshot.state
  const effects: LeadEffect[] = []
  for (const event of ordered) {
    const result = applyLeadEvent(state, event, policy, payloads)
    state = result.state
    effects.push(...result.effects)
  }
  if (state === undefined) {
    return undefined
  }
  return {
    snapshot: {
      state,
      clockEffects: [...snapshot.clockEffects, ...effects.filter(isClockEvent)],
      foldedThrough: latest(ordered) ?? snapshot.foldedThrough,
      policyFingerprint,
    },
    effects,
  }
}
