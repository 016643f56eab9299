/**
 * The lifecycle engine: (lead state, event, policy) → (lead state, effects). Pure and
 * deterministic; time enters through the event (`occurredAt`, `receivedAt`). Events are applied in
 * occurrence order, so late and out-of-order arrivals give the state an in-order arrival gives.
 * Each event type's rules live in the module of the lifecycle stage it belongs to.
 */
import type { Policy } from '../../policy/policy-schema.js'
import type { LeadEffect } from '../lead-effects.js'
import type { LeadEventPayload, LeadEventType } from '../lead-events.js'
import { isLeadEventType, leadEventPayloadSchemas } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import type { NewLeadEvent } from '../recorded-event.js'
import { compareByOccurrence } from '../recorded-event.js'
import { settleTasks } from '../tasks.js'
import { clockPauseHandlers } from './clock-pauses.js'
import { escalationAndTaskHandlers } from './escalations-and-tasks.js'
import { followUpActivityHandlers } from './follow-up-activity.js'
import type { Handler, HandlerContext, HandlerTable, StageHandlers } from './handler-context.js'
import { refusalEffect, refuse } from './handler-context.js'
import { createLead, inquiryToMqlHandlers } from './inquiry-to-mql.js'
import { mqlToSalHandlers } from './mql-to-sal.js'
import { opportunityStageHandlers } from './opportunity-stages.js'
import { recyclingAndDisqualificationHandlers } from './recycling-and-disqualification.js'
import type { RefusalRule } from './refusal-rules.js'
import { salToSqlHandlers } from './sal-to-sql.js'
import { sqlToOpportunityHandlers } from './sql-to-opportunity.js'

export interface EngineResult {
  readonly state: LeadState | undefined
  readonly effects: readonly LeadEffect[]
}

/**
 * What the engine does with a payload: 'check' it against its type's schema (an invalid one is
 * refused), or take it as 'validated' — events read back from the log, which holds only
 * payloads that intake validated (or that the system built from the same types).
 */
export type PayloadCheck = 'check' | 'validated'

type EventTypesOf<Table> = Table extends unknown ? keyof Table : never

/** The event types that more than one of the tables handles. */
type HandledTwice<Tables extends readonly unknown[], Seen = never> = Tables extends readonly [
  infer First,
  ...infer Rest,
]
  ? (keyof First & Seen) | HandledTwice<Rest, Seen | keyof First>
  : never

/**
 * Joins the stages' tables. TypeScript checks the result: an event type two stages handle is a
 * type error here, and one no stage handles is a type error where the result is declared.
 */
function assembleHandlers<const Tables extends readonly StageHandlers[]>(
  ...tables: Tables &
    ([HandledTwice<Tables>] extends [never] ? unknown : { handledTwice: HandledTwice<Tables> })
): Pick<HandlerTable, EventTypesOf<Tables[number]> & LeadEventType> {
  return Object.assign({}, ...tables) as HandlerTable
}

const HANDLERS: HandlerTable = assembleHandlers(
  inquiryToMqlHandlers,
  mqlToSalHandlers,
  salToSqlHandlers,
  sqlToOpportunityHandlers,
  opportunityStageHandlers,
  followUpActivityHandlers,
  clockPauseHandlers,
  escalationAndTaskHandlers,
  recyclingAndDisqualificationHandlers,
)

export function applyLeadEvent(
  state: LeadState | undefined,
  event: NewLeadEvent,
  policy: Policy,
  payloads: PayloadCheck = 'check',
): EngineResult {
  if (!isLeadEventType(event.type)) {
    return refused(state, event, policy, 'known-event-type', `unknown event type "${event.type}"`)
  }
  const parsed =
    payloads === 'validated'
      ? ({ success: true, data: event.payload } as const)
      : leadEventPayloadSchemas[event.type].safeParse(event.payload)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return refused(
      state,
      event,
      policy,
      'valid-payload',
      `${event.type} payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    )
  }
  if (event.type === 'lead.created') {
    if (state !== undefined) {
      return refused(state, event, policy, 'created-once', `lead ${event.leadId} already exists`)
    }
    const created = createLead(event, parsed.data as LeadEventPayload<'lead.created'>, policy)
    return { state: created.state, effects: created.effects }
  }
  if (state === undefined) {
    return refused(state, event, policy, 'lead-exists', `lead ${event.leadId} does not exist yet`)
  }
  const context: HandlerContext = { policy, event, state, effects: [] }
  const handler = HANDLERS[event.type] as Handler<LeadEventType>
  handler(context, parsed.data)
  const openedBefore = new Set(state.tasks.map((task) => task.id))
  context.state = settleTasks(context.state, openedBefore, event, context.effects)
  return { state: context.state, effects: context.effects }
}

/**
 * Replays a lead's events in occurrence order. Events claimed before the lead existed are applied
 * just after its creation (and flagged), so nothing is lost.
 */
export function replayLead(
  events: readonly NewLeadEvent[],
  policy: Policy,
  payloads: PayloadCheck = 'check',
): EngineResult {
  const ordered = [...events].sort(compareByOccurrence)
  const creation = ordered.findIndex((event) => event.type === 'lead.created')
  const sequence =
    creation <= 0
      ? ordered
      : [ordered[creation]!, ...ordered.slice(0, creation), ...ordered.slice(creation + 1)]
  let state: LeadState | undefined
  const effects: LeadEffect[] = []
  for (const event of sequence) {
    const result = applyLeadEvent(state, event, policy, payloads)
    state = result.state
    effects.push(...result.effects)
  }
  return { state, effects }
}

/** An event refused before any handler runs; a lead that exists records the refusal. */
function refused(
  state: LeadState | undefined,
  event: NewLeadEvent,
  policy: Policy,
  rule: RefusalRule,
  message: string,
): EngineResult {
  if (state === undefined) {
    return { state, effects: [refusalEffect(event, rule, message)] }
  }
  const context: HandlerContext = { policy, event, state, effects: [] }
  refuse(context, rule, message)
  return { state: context.state, effects: context.effects }
}
