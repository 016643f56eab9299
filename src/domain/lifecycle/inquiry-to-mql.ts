/**
 * Stage 1, inquiry to MQL (Marketing): a lead is created, enriched, matched and scored; when the
 * score, the entry criteria and hygiene allow it, it becomes an MQL or goes to manager review.
 */
import type { Policy } from '../../policy/policy-schema.js'
import { assessAcvTier, mqlBar, recordSupplied, responseTierOf } from '../acv-tier.js'
import { checkHygiene } from '../hygiene.js'
import type { LeadEventPayload } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import { evaluateCriteria } from '../mql-qualification.js'
import type { NewLeadEvent } from '../recorded-event.js'
import { scoreLead, tierOfAction } from '../scoring.js'
import type { HandlerContext, StageHandlers } from './handler-context.js'
import { at, clock, dequeue, enqueue, moveTo, refuse } from './handler-context.js'
import { completeHandoffIfReady } from './mql-to-sal.js'

/** Stages from which a lead can (re)qualify as an MQL. */
const QUALIFYING_STAGES: readonly string[] = ['inquiry', 'nurture', 'recycled']

/** `lead.created`: a new inquiry, scored and qualified at once. */
export function createLead(
  event: NewLeadEvent,
  payload: LeadEventPayload<'lead.created'>,
  policy: Policy,
): HandlerContext {
  const context: HandlerContext = {
    policy,
    event,
    state: newLeadState(event, payload, policy),
    effects: [],
  }
  evaluateQualification(context)
  return context
}

function newLeadState(
  event: NewLeadEvent,
  payload: LeadEventPayload<'lead.created'>,
  policy: Policy,
): LeadState {
  return {
    leadId: event.leadId,
    createdAt: event.occurredAt,
    source: payload.source,
    policyVersion: policy.version,
    stage: 'inquiry',
    stageEnteredAt: event.occurredAt,
    profile: payload.profile,
    supplied: recordSupplied(null, payload.supplied, event.occurredAt),
    acvTier: null,
    enrichedAt: null,
    intents: [],
    lastEngagementAt: event.occurredAt,
    score: null,
    criteria: [],
    hygiene: [],
    tier: null,
    intentTier: null,
    ownerId: null,
    aeId: null,
    duplicateOfLeadId: null,
    duplicateOfCreatedAt: null,
    qualification: {},
    meeting: null,
    handoffCompletedAt: null,
    firstAttemptAt: null,
    briefingReadAt: null,
    aeAcceptedAt: null,
    mqlCount: 0,
    recycledMql: false,
    recycleCount: 0,
    recycledAt: null,
    suppressedUntil: null,
    suppressedPermanently: false,
    suppressesDomain: null,
    suppressedByDomain: null,
    routingException: null,
    clockPauses: [],
    slaStretch: 1,
    aeRejections: [],
    tasks: [],
    queues: [],
    opportunity: null,
    escalations: [],
    transitions: [],
    activities: [],
    refusals: [],
  }
}

function tierRank(policy: Policy, tier: string | null): number {
  const index = tier === null ? -1 : Object.keys(policy.intentTiers).indexOf(tier)
  return index === -1 ? Number.POSITIVE_INFINITY : index
}

/** Intents that count for the current qualification: those after the last recycle. */
function countingIntents(state: LeadState): LeadState['intents'] {
  const since = state.recycledAt
  return since === null ? state.intents : state.intents.filter((intent) => intent.at > since)
}

/** Re-scores and, when every rule allows it, promotes to MQL or queues for manager review. */
function evaluateQualification(context: HandlerContext): void {
  const { policy } = context
  const when = at(context)
  const state = context.state
  const hygiene = checkHygiene(policy, state.profile, {
    duplicateOfLeadId: state.duplicateOfLeadId,
    suppressedByDomain: state.suppressedByDomain,
  })
  const score = scoreLead(policy, state, when)
  const acvTier = assessAcvTier(policy, state.profile, state.supplied)
  const criteria = evaluateCriteria(policy, {
    profile: state.profile,
    score,
    hygiene,
    intents: countingIntents(state),
  })
  context.state = { ...state, hygiene, score, acvTier, criteria }
  clock(context, 'lead-scored', context.event.receivedAt)
  if (!QUALIFYING_STAGES.includes(state.stage)) {
    return
  }

  const disqualifiers = hygiene.filter((finding) => finding.severity === 'disqualify')
  if (disqualifiers.length > 0) {
    if (disqualifiers.some((finding) => finding.code === 'competitor')) {
      context.state = { ...context.state, suppressedPermanently: true }
    }
    moveTo(context, 'disqualified', disqualifiers.map((finding) => finding.message).join('; '))
    return
  }
  const accountFindings = hygiene.filter((finding) => finding.severity === 'route-to-account')
  if (accountFindings.length > 0) {
    enqueue(context, 'account-team', accountFindings.map((finding) => finding.message).join('; '))
    return
  }
  if (context.state.suppressedPermanently) {
    return
  }
  if (context.state.suppressedUntil !== null && when < context.state.suppressedUntil) {
    return
  }
  if (state.recycleCount > policy.recycling.recycleLimit) {
    return
  }
  const triggeringTier =
    context.event.type === 'intent.recorded'
      ? tierOfAction(policy, (context.event.payload as { action: string }).action)
      : undefined
  if (state.recycleCount > 0 && policy.recycling.reMqlRequiresHigherIntent) {
    const previous = tierRank(policy, state.intentTier)
    const current = tierRank(policy, triggeringTier ?? null)
    if (!(current < previous || current === 0)) {
      return
    }
  }

  const bar = mqlBar(policy, score.total, state.supplied, acvTier)
  const unmet = criteria.filter((criterion) => !criterion.met)
  if (bar.points >= bar.threshold && unmet.length === 0) {
    promoteToMql(context, triggeringTier, `${bar.comparison} and every entry criterion met`)
    return
  }
  const band = policy.scoring.managerReviewBand
  if (bar.points >= band.min && bar.points <= band.max) {
    enqueue(
      context,
      'manager-review',
      `score ${bar.points} is in the ${band.min}–${band.max} manager review band`,
    )
  }
}

function promoteToMql(
  context: HandlerContext,
  triggeringTier: string | undefined,
  reason: string,
): void {
  const { policy, state } = context
  const bestTier = Object.keys(policy.intentTiers).find((tier) =>
    countingIntents(state).some((intent) => tierOfAction(policy, intent.action) === tier),
  )
  const lastTier = Object.keys(policy.intentTiers).at(-1) ?? null
  const intentTier = triggeringTier ?? bestTier ?? lastTier
  context.state = {
    ...state,
    tier: responseTierOf(policy, state.acvTier, intentTier),
    intentTier,
    mqlCount: state.mqlCount + 1,
    recycledMql: state.recycleCount > 0,
    handoffCompletedAt: null,
    firstAttemptAt: null,
    ownerId: state.recycleCount > 0 ? null : state.ownerId,
  }
  dequeue(context, 'manager-review')
  moveTo(context, 'mql', reason)
  completeHandoffIfReady(context)
}

/**
 * Of several matches, the oldest original wins (creation time, then id), so the result does not
 * depend on the order in which leads with the same address arrived.
 */
function isOlderOriginal(state: LeadState, leadId: string, createdAt: number | undefined): boolean {
  if (state.duplicateOfLeadId === null) {
    return true
  }
  if (createdAt === undefined || state.duplicateOfCreatedAt === null) {
    return false
  }
  return (
    createdAt < state.duplicateOfCreatedAt ||
    (createdAt === state.duplicateOfCreatedAt && leadId < state.duplicateOfLeadId)
  )
}

export const inquiryToMqlHandlers = {
  // The engine creates the lead (`createLead`) before any handler would run.
  'lead.created': () => undefined,
  'lead.updated': (context, payload) => {
    context.state = {
      ...context.state,
      profile: { ...context.state.profile, ...payload.profile },
      supplied: recordSupplied(context.state.supplied, payload.supplied, at(context)),
    }
    evaluateQualification(context)
  },
  'lead.enriched': (context, payload) => {
    context.state = {
      ...context.state,
      profile: { ...context.state.profile, ...payload.profile },
      supplied: recordSupplied(context.state.supplied, payload.supplied, at(context)),
      enrichedAt: at(context),
    }
    evaluateQualification(context)
    completeHandoffIfReady(context)
  },
  'lead.matched': (context, payload) => {
    if (!isOlderOriginal(context.state, payload.duplicateOfLeadId, payload.originalCreatedAt)) {
      return
    }
    context.state = {
      ...context.state,
      duplicateOfLeadId: payload.duplicateOfLeadId,
      duplicateOfCreatedAt: payload.originalCreatedAt ?? null,
    }
    evaluateQualification(context)
  },
  'lead.suppressed': (context, payload) => {
    context.state = {
      ...context.state,
      suppressedByDomain: payload.domain,
      suppressedPermanently: true,
    }
    evaluateQualification(context)
  },
  'intent.recorded': (context, payload) => {
    const when = at(context)
    const unsubscribed = context.policy.scoring.signals.some(
      (signal) => signal.id === payload.action && signal.category === 'penalty',
    )
    context.state = {
      ...context.state,
      intents: [...context.state.intents, { action: payload.action, at: when }],
      lastEngagementAt: unsubscribed ? context.state.lastEngagementAt : when,
    }
    clock(context, 'qualifying-action')
    evaluateQualification(context)
  },
  'review.decided': (context, payload) => {
    if (!context.state.queues.includes('manager-review')) {
      refuse(
        context,
        'manager-review-queue',
        'a review decision needs the lead in the manager review queue',
      )
      return
    }
    dequeue(context, 'manager-review')
    if (payload.decision === 'keep-in-nurture') {
      moveTo(context, 'nurture', 'manager review: keep in nurture')
      return
    }
    const unmet = context.state.criteria.filter((criterion) => !criterion.met)
    if (unmet.length > 0) {
      refuse(
        context,
        'mql-entry-criteria',
        `MQL needs every entry criterion: ${unmet.map((c) => `${c.name} — ${c.detail}`).join('; ')}`,
        unmet.map((criterion) => criterion.id),
      )
      return
    }
    promoteToMql(context, undefined, 'promoted by manager review')
  },
} satisfies StageHandlers
