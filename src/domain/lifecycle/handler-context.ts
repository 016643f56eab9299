/**
 * What every stage's handlers share: the scratch space of one event, and the moves a handler makes
 * with it (refuse, change stage, emit a clock event, queue).
 */
import type { Policy } from '../../policy/policy-schema.js'
import type { ClockEventName } from '../clock-events.js'
import type { LeadEffect } from '../lead-effects.js'
import type { LeadEventPayload, LeadEventType } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import type { NewLeadEvent } from '../recorded-event.js'
import type { RefusalRule } from './refusal-rules.js'

/** Mutable scratch space for one event; the result is frozen into a new state. */
export interface HandlerContext {
  readonly policy: Policy
  readonly event: NewLeadEvent
  state: LeadState
  readonly effects: LeadEffect[]
}

export type Handler<T extends LeadEventType> = (
  context: HandlerContext,
  payload: LeadEventPayload<T>,
) => void

/** One handler for each event type. */
export type HandlerTable = { readonly [T in LeadEventType]: Handler<T> }

/**
 * A stage's share of the table. A stage module declares its object `satisfies StageHandlers`, so
 * its type keeps exactly the event types it handles and the engine can check the assembled table.
 */
export type StageHandlers = Partial<HandlerTable>

export function refusalEffect(
  event: NewLeadEvent,
  rule: RefusalRule,
  message: string,
  missing: readonly string[] = [],
): LeadEffect {
  return { kind: 'transition-refused', eventType: event.type, rule, message, missing }
}

/** The event is refused: the lead records the refusal, and nothing else changes. */
export function refuse(
  context: HandlerContext,
  rule: RefusalRule,
  message: string,
  missing: readonly string[] = [],
): void {
  const { state, event } = context
  context.state = {
    ...state,
    refusals: [...state.refusals, { eventType: event.type, at: event.occurredAt, rule, message }],
  }
  context.effects.push(refusalEffect(event, rule, message, missing))
}

export function at(context: HandlerContext): number {
  return context.event.occurredAt
}

export function clock(context: HandlerContext, event: ClockEventName, instant = at(context)): void {
  context.effects.push({ kind: 'clock-event', event, at: instant })
}

const STAGE_CLOCK_EVENTS: Readonly<Record<string, ClockEventName>> = {
  mql: 'mql-created',
  sal: 'sal-accepted',
  sql: 'sql-promoted',
  opportunity: 'opportunity-created',
  recycled: 'recycled',
  disqualified: 'disqualified',
  'closed-won': 'closed-won',
  'closed-lost': 'closed-lost',
}

export function moveTo(context: HandlerContext, to: string, reason: string): void {
  const { state } = context
  if (state.stage === to) {
    return
  }
  const when = at(context)
  context.state = {
    ...state,
    stage: to,
    stageEnteredAt: when,
    transitions: [
      ...state.transitions,
      {
        from: state.stage,
        to,
        at: when,
        actor: context.event.actor?.id ?? null,
        reason,
        policyVersion: context.policy.version,
      },
    ],
  }
  context.effects.push({ kind: 'transitioned', from: state.stage, to, at: when, reason })
  const clockEvent = STAGE_CLOCK_EVENTS[to]
  if (clockEvent) {
    clock(context, clockEvent)
  }
}

export function requireStage(
  context: HandlerContext,
  allowed: readonly string[],
  what: string,
): boolean {
  if (allowed.includes(context.state.stage)) {
    return true
  }
  refuse(
    context,
    'stage-order',
    `${what} needs the lead in ${allowed.map((s) => s.toUpperCase()).join(' or ')}; it is in ${context.state.stage.toUpperCase()}`,
  )
  return false
}

export function enqueue(context: HandlerContext, queue: string, reason: string): void {
  if (context.state.queues.includes(queue)) {
    return
  }
  context.state = { ...context.state, queues: [...context.state.queues, queue] }
  context.effects.push({ kind: 'queued', queue, reason })
}

export function dequeue(context: HandlerContext, queue: string): void {
  context.state = { ...context.state, queues: context.state.queues.filter((q) => q !== queue) }
}
