/**
 * Stage 5, opportunity stage SLAs (section 07): stage changes under each stage's close-date rule,
 * updates to ACV, close date and next step, and closing won or lost.
 */
import type { Policy } from '../../policy/policy-schema.js'
import { addWallDuration } from '../wall-duration.js'
import type { StageHandlers } from './handler-context.js'
import { at, clock, moveTo, refuse, requireStage } from './handler-context.js'

const isoDate = (instant: number): string => new Date(instant).toISOString().slice(0, 10)

/** A close date moved later than it was. */
function isPush(before: number | null, after: number | undefined): boolean {
  return before !== null && after !== undefined && after > before
}

/** Section 07: the close-date rule of the stage an opportunity enters; a message when broken. */
export function closeDateRuleBroken(
  policy: Policy,
  stageNumber: number,
  when: number,
  closeDate: number | null,
  evidence: { readonly ebMeetingAt?: number; readonly evaluationEndsAt?: number },
): string | undefined {
  const stage = policy.opportunityStages.find((candidate) => candidate.stage === stageNumber)
  if (!stage) {
    return `stage ${stageNumber} is not an opportunity stage of the policy`
  }
  const title = `Stage ${stage.stage} (${stage.name})`
  const rule = stage.closeDateRule
  switch (rule.kind) {
    case 'within': {
      const latest = addWallDuration(when, rule.duration)
      if (closeDate === null) {
        return `${title} needs a close date: ${rule.description.toLowerCase()}`
      }
      return closeDate > latest
        ? `${title}: ${rule.description.toLowerCase()} (by ${isoDate(latest)}); the close date is ${isoDate(closeDate)}`
        : undefined
    }
    case 'requires-eb-meeting':
      return evidence.ebMeetingAt === undefined
        ? `${title}: ${rule.description.toLowerCase()} (ebMeetingAt is missing)`
        : undefined
    case 'after-evaluation-end':
      return closeDate !== null &&
        evidence.evaluationEndsAt !== undefined &&
        closeDate < evidence.evaluationEndsAt
        ? `${title}: ${rule.description.toLowerCase()}; the close date ${isoDate(closeDate)} is before the evaluation ends (${isoDate(evidence.evaluationEndsAt)})`
        : undefined
  }
}

export const opportunityStageHandlers = {
  'opportunity.stage-changed': (context, payload) => {
    const opportunity = context.state.opportunity
    if (!requireStage(context, ['opportunity'], 'An opportunity stage change') || !opportunity) {
      return
    }
    const when = at(context)
    const closeDate = payload.closeDate ?? opportunity.closeDate
    const broken = closeDateRuleBroken(context.policy, payload.stage, when, closeDate, payload)
    if (broken) {
      refuse(context, 'opportunity-close-date-rule', broken, ['closeDate'])
      return
    }
    const closeDateMoved =
      payload.closeDate !== undefined && payload.closeDate !== opportunity.closeDate
    context.state = {
      ...context.state,
      opportunity: {
        ...opportunity,
        stage: payload.stage,
        stageEnteredAt: payload.stage === opportunity.stage ? opportunity.stageEnteredAt : when,
        closeDate: payload.closeDate ?? opportunity.closeDate,
        closeDateChanges: closeDateMoved
          ? [...opportunity.closeDateChanges, when]
          : opportunity.closeDateChanges,
        closeDatePushes: isPush(opportunity.closeDate, payload.closeDate)
          ? [...opportunity.closeDatePushes, when]
          : opportunity.closeDatePushes,
        stageHistory:
          payload.stage === opportunity.stage
            ? opportunity.stageHistory
            : [...opportunity.stageHistory, { stage: payload.stage, enteredAt: when }],
      },
    }
    clock(context, 'stage-changed')
  },
  'opportunity.updated': (context, payload) => {
    const opportunity = context.state.opportunity
    if (!requireStage(context, ['opportunity'], 'An opportunity update') || !opportunity) {
      return
    }
    const when = at(context)
    const rule = context.policy.opportunityStages.find(
      (candidate) => candidate.stage === opportunity.stage,
    )?.closeDateRule
    // Evidence rules (EB meeting, evaluation end) are checked on stage entry; a later close
    // date still has to keep the stage's "within" window.
    const broken =
      payload.closeDate !== undefined && rule?.kind === 'within'
        ? closeDateRuleBroken(context.policy, opportunity.stage, when, payload.closeDate, {})
        : undefined
    if (broken) {
      refuse(context, 'opportunity-close-date-rule', broken, ['closeDate'])
      return
    }
    const acvChanged = payload.acv !== undefined && payload.acv !== opportunity.acv
    context.state = {
      ...context.state,
      opportunity: {
        ...opportunity,
        acv: payload.acv ?? opportunity.acv,
        originalAcv: opportunity.originalAcv ?? payload.acv ?? null,
        acvChanges:
          acvChanged && opportunity.originalAcv !== null
            ? [...opportunity.acvChanges, { at: when, acv: payload.acv ?? 0 }]
            : opportunity.acvChanges,
        closeDate: payload.closeDate ?? opportunity.closeDate,
        closeDateChanges:
          payload.closeDate !== undefined && payload.closeDate !== opportunity.closeDate
            ? [...opportunity.closeDateChanges, when]
            : opportunity.closeDateChanges,
        closeDatePushes: isPush(opportunity.closeDate, payload.closeDate)
          ? [...opportunity.closeDatePushes, when]
          : opportunity.closeDatePushes,
        nextStep: payload.nextStep ?? opportunity.nextStep,
        nextStepAt: payload.nextStep === undefined ? opportunity.nextStepAt : when,
      },
    }
    if (payload.nextStep !== undefined) {
      clock(context, 'next-step-logged')
    }
  },
  'opportunity.closed': (context, payload) => {
    if (requireStage(context, ['opportunity'], 'Closing')) {
      moveTo(
        context,
        payload.outcome === 'won' ? 'closed-won' : 'closed-lost',
        payload.reason ?? `closed ${payload.outcome}`,
      )
    }
  },
} satisfies StageHandlers
