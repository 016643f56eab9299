/**
 * Stage 2, MQL to SAL (Marketing to SDR): routing, the owner, the bilateral handoff that starts the
 * SDR's clock, and the SDR's acceptance or coded rejection of the MQL.
 */
import type { ReasonCode } from '../../policy/policy-schema.js'
import type { LeadState } from '../lead-state.js'
import type { HandlerContext, StageHandlers } from './handler-context.js'
import { at, clock, enqueue, moveTo, requireStage } from './handler-context.js'
import type { Rejection } from './reason-codes.js'
import { rejectWithReasonCode } from './reason-codes.js'
import { recycle, suppressDomainPermanently } from './recycling-and-disqualification.js'

/** Bilateral start: the SDR's clock starts once Marketing's half is done. */
export function completeHandoffIfReady(context: HandlerContext): void {
  const { state } = context
  const criteriaMet = state.criteria.every((criterion) => criterion.met)
  if (
    state.stage === 'mql' &&
    state.handoffCompletedAt === null &&
    state.ownerId !== null &&
    state.enrichedAt !== null &&
    criteriaMet
  ) {
    context.state = { ...state, handoffCompletedAt: at(context) }
    clock(context, 'marketing-handoff-complete')
  }
}

function resolveException(
  exception: LeadState['routingException'],
  when: number,
): LeadState['routingException'] {
  return exception === null || exception.resolvedAt !== null
    ? exception
    : { ...exception, resolvedAt: when }
}

function applySalRejectionEffect(context: HandlerContext, code: ReasonCode, reason: string): void {
  switch (code.effect) {
    case 'data-cleanup':
      enqueue(context, 'data-cleanup', reason)
      moveTo(context, 'nurture', reason)
      return
    case 'route-to-account-team':
      enqueue(context, 'account-team', reason)
      moveTo(context, 'nurture', reason)
      return
    case 'route-to-territory':
      enqueue(context, 'territory-routing', reason)
      moveTo(context, 'nurture', reason)
      return
    case 'suppress-domain-permanently':
      suppressDomainPermanently(context)
      moveTo(context, 'disqualified', reason)
      return
    case 'nurture':
      moveTo(context, 'nurture', reason)
      return
    case 'recycle':
      recycle(context, 'cadence-exhausted', reason)
      return
    default:
      moveTo(context, 'disqualified', reason)
  }
}

const SAL_REJECTION: Rejection = {
  stage: 'mql',
  what: 'SAL rejection',
  taxonomy: 'sal',
  rule: 'sal-rejection-reason-code',
  clockEvent: 'sal-rejected',
  applyEffect: applySalRejectionEffect,
}

export const mqlToSalHandlers = {
  'lead.routed': (context, payload) => {
    if (payload.outcome === 'nurture') {
      const nurtureOwner =
        context.policy.stages.find((stage) => stage.id === 'nurture')?.owner ?? 'marketing'
      context.effects.push({
        kind: 'task-created',
        task: 'nurture follow-up',
        assigneeRole: nurtureOwner,
        dueAt: payload.dueAt,
      })
      moveTo(context, 'nurture', payload.reason)
      return
    }
    const queue = payload.queue ?? 'revops-exceptions'
    context.state = {
      ...context.state,
      routingException: {
        queue,
        reason: payload.reason,
        raisedAt: at(context),
        dueAt: payload.dueAt,
        resolvedAt: null,
      },
    }
    enqueue(context, queue, payload.reason)
  },
  'owner.assigned': (context, payload) => {
    context.state = {
      ...context.state,
      ownerId: payload.ownerId,
      // Routing's queue (exception, triage, PLG onboarding…) is done once someone owns the lead.
      queues: context.state.queues.filter(
        (queue) =>
          queue !== 'revops-exceptions' &&
          queue !== 'triage' &&
          queue !== context.state.routingException?.queue,
      ),
      routingException: resolveException(context.state.routingException, at(context)),
      slaStretch: payload.slaStretch ?? context.state.slaStretch,
    }
    clock(context, 'owner-assigned')
    completeHandoffIfReady(context)
  },
  'sal.accepted': (context) => {
    if (requireStage(context, ['mql'], 'SAL acceptance')) {
      moveTo(context, 'sal', 'accepted by SDR')
    }
  },
  'sal.rejected': (context, payload) => {
    rejectWithReasonCode(context, SAL_REJECTION, payload.reasonCode)
  },
} satisfies StageHandlers
