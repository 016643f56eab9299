/**
 * Section 10, lead recycling and disqualification: a recycling scenario's suppression window,
 * check-in task and target stage, the recycle limit, and disqualification with a reason code.
 */
import { emailDomain, isFreeEmailDomain } from '../hygiene.js'
import { checkInTask, openTask } from '../tasks.js'
import { addWallDuration } from '../wall-duration.js'
import type { HandlerContext, StageHandlers } from './handler-context.js'
import { at, enqueue, moveTo, refuse } from './handler-context.js'
import { refuseUnknownCode, requireReasonCode } from './reason-codes.js'

export function recycle(context: HandlerContext, scenarioId: string, reason: string): void {
  const { policy } = context
  const scenario = policy.recycling.scenarios.find((candidate) => candidate.id === scenarioId)
  if (!scenario) {
    refuse(
      context,
      'recycling-scenario',
      `unknown recycling scenario "${scenarioId}"; allowed: ${policy.recycling.scenarios.map((s) => s.id).join(', ')}`,
    )
    return
  }
  const when = at(context)
  const suppression = scenario.suppression
  const suppressedUntil =
    typeof suppression === 'object' ? addWallDuration(when, suppression) : null
  const recycleCount = context.state.recycleCount + 1
  context.state = {
    ...context.state,
    recycleCount,
    recycledAt: when,
    suppressedUntil,
    suppressedPermanently: context.state.suppressedPermanently || suppression === 'permanent',
  }
  context.state = openTask(context.state, checkInTask(context.state.leadId, scenario, when))
  if (recycleCount > policy.recycling.recycleLimit) {
    moveTo(
      context,
      policy.recycling.afterLimit,
      `${reason}; recycle limit ${policy.recycling.recycleLimit} exceeded — does not re-enter the MQL queue`,
    )
    return
  }
  const target: Record<typeof scenario.outcome, string> = {
    recycled: 'recycled',
    nurture: 'nurture',
    sal: 'sal',
    'data-cleanup': 'nurture',
    disqualified: 'disqualified',
    'account-management': 'nurture',
  }
  if (scenario.outcome === 'data-cleanup') {
    enqueue(context, 'data-cleanup', reason)
  }
  if (scenario.outcome === 'account-management') {
    enqueue(context, 'account-team', reason)
  }
  moveTo(context, target[scenario.outcome], `${scenario.scenario}: ${reason}`)
}

/** A competitor: this lead for good, and its company domain on the global list (not a free provider). */
export function suppressDomainPermanently(context: HandlerContext): void {
  const domain = emailDomain(context.state.profile.email)
  context.state = {
    ...context.state,
    suppressedPermanently: true,
    suppressesDomain:
      domain === undefined || isFreeEmailDomain(domain) ? null : { domain, since: at(context) },
  }
}

export const recyclingAndDisqualificationHandlers = {
  'lead.recycled': (context, payload) => {
    recycle(context, payload.scenario, 'recycled')
  },
  'lead.disqualified': (context, payload) => {
    if (payload.reasonCode !== undefined) {
      const taxonomyId = context.policy.rejection.sal
      const code = requireReasonCode(
        context,
        taxonomyId,
        payload.reasonCode,
        'disqualification-reason-code',
        'Disqualification',
      )
      if (!code) {
        return
      }
      if (code.effect === 'suppress-domain-permanently') {
        suppressDomainPermanently(context)
      }
      moveTo(context, 'disqualified', `${code.code}: ${code.reason}`)
      return
    }
    if (payload.reason === undefined) {
      refuseUnknownCode(
        context,
        'disqualification-reason-code',
        'Disqualification',
        context.policy.rejection.sal,
        '',
      )
      return
    }
    moveTo(context, 'disqualified', payload.reason)
  },
} satisfies StageHandlers
