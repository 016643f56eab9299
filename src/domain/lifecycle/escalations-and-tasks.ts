/**
 * Section 09, escalation: fired steps, the manager action that resolves a formal breach, the root
 * cause of a critical one; and the completion of a required follow-up task.
 */
import type { EscalationOutcome } from '../escalation/escalation-records.js'
import {
  recordFiredEscalation,
  recordRootCause,
  resolveEscalation,
} from '../escalation/escalation-records.js'
import { completeTask } from '../tasks.js'
import type { HandlerContext, StageHandlers } from './handler-context.js'
import { at, refuse } from './handler-context.js'

/** A manager's action on an escalation: its new state, or the refusal naming the field. */
function applyEscalationOutcome(context: HandlerContext, outcome: EscalationOutcome): void {
  if ('refusal' in outcome) {
    refuse(context, outcome.refusal.rule, outcome.refusal.message, [outcome.refusal.field])
    return
  }
  context.state = outcome.state
}

export const escalationAndTaskHandlers = {
  'escalation.fired': (context, payload) => {
    context.state = recordFiredEscalation(context.state, payload, at(context))
  },
  'escalation.resolved': (context, payload) => {
    applyEscalationOutcome(
      context,
      resolveEscalation(context.state, payload, at(context), context.event.actor),
    )
  },
  'escalation.root-caused': (context, payload) => {
    applyEscalationOutcome(
      context,
      recordRootCause(context.state, payload, at(context), context.event.actor),
    )
  },
  'task.completed': (context, payload) => {
    const outcome = completeTask(
      context.state,
      payload.taskId,
      payload.note,
      at(context),
      context.event.actor?.id ?? null,
    )
    if ('refusal' in outcome) {
      refuse(context, 'task-open', outcome.refusal, ['taskId'])
      return
    }
    context.state = outcome.state
  },
} satisfies StageHandlers
