/**
 * Stage 4, SQL to opportunity (SDR to AE): the AE accepts the SQL with the briefing read, or
 * rejects it with a coded reason; the handoff steps; the AE creates the opportunity.
 */
import type { ReasonCode } from '../../policy/policy-schema.js'
import { openTask, rejectionTask } from '../tasks.js'
import type { HandlerContext, StageHandlers } from './handler-context.js'
import { at, clock, enqueue, moveTo, refuse, requireStage } from './handler-context.js'
import type { Rejection } from './reason-codes.js'
import { rejectWithReasonCode } from './reason-codes.js'
import { recycle } from './recycling-and-disqualification.js'

/** The rejection is kept with its AE, the code's required response becomes a task. */
function applyAeRejectionEffect(context: HandlerContext, code: ReasonCode, reason: string): void {
  context.state = {
    ...context.state,
    aeRejections: [
      ...context.state.aeRejections,
      { code: code.code, at: at(context), aeId: context.state.aeId },
    ],
  }
  context.state = openTask(
    { ...context.state, aeAcceptedAt: null },
    rejectionTask(context.state.leadId, code, at(context)),
  )
  switch (code.effect) {
    case 'return-to-sal':
      moveTo(context, 'sal', reason)
      return
    case 'long-term-nurture':
      recycle(context, 'not-ready', reason)
      return
    case 're-engage-contact':
      moveTo(context, 'sal', reason)
      return
    case 'reschedule':
      context.state = { ...context.state, meeting: null }
      moveTo(context, 'sal', reason)
      return
    default:
      enqueue(context, 'revops-arbitration', reason)
  }
}

const AE_REJECTION: Rejection = {
  stage: 'sql',
  what: 'AE rejection',
  taxonomy: 'ae',
  rule: 'ae-rejection-reason-code',
  clockEvent: 'ae-rejected',
  applyEffect: applyAeRejectionEffect,
}

export const sqlToOpportunityHandlers = {
  'ae.accepted': (context, payload) => {
    if (!requireStage(context, ['sql'], 'AE acceptance')) {
      return
    }
    if (context.policy.gates.aeAcceptance.requireBriefingRead && !payload.briefingRead) {
      refuse(
        context,
        'ae-acceptance-briefing-read',
        'AE acceptance needs the briefing document confirmed read ("I have read this briefing document")',
        ['briefingRead'],
      )
      return
    }
    const when = at(context)
    context.state = { ...context.state, briefingReadAt: when, aeAcceptedAt: when }
    clock(context, 'ae-accepted')
  },
  'ae.rejected': (context, payload) => {
    rejectWithReasonCode(context, AE_REJECTION, payload.reasonCode)
  },
  'handoff.logged': (context, payload) => {
    if (requireStage(context, ['sql', 'opportunity'], 'A handoff step')) {
      clock(
        context,
        payload.step === 'three-way-intro' ? 'three-way-intro-sent' : 'internal-debrief-held',
      )
    }
  },
  'opportunity.created': (context, payload) => {
    if (!requireStage(context, ['sql'], 'Opportunity creation')) {
      return
    }
    if (context.state.aeAcceptedAt === null) {
      refuse(
        context,
        'ae-accepted-first',
        'Opportunity creation needs the AE to accept the SQL first',
        ['aeAccepted'],
      )
      return
    }
    const when = at(context)
    context.state = {
      ...context.state,
      opportunity: {
        stage: 1,
        stageEnteredAt: when,
        createdAt: when,
        acv: payload.acv ?? null,
        originalAcv: payload.acv ?? null,
        closeDate: payload.closeDate ?? null,
        closeDateChanges: [],
        closeDatePushes: [],
        acvChanges: [],
        nextStep: null,
        nextStepAt: null,
        stageHistory: [{ stage: 1, enteredAt: when }],
      },
    }
    moveTo(context, 'opportunity', 'opportunity created by the AE')
  },
} satisfies StageHandlers
