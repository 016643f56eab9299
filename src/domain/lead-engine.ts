/**
 * The lifecycle engine: (lead state, event, policy) → (lead state, effects). Pure and
 * deterministic; time enters through the event (`occurredAt`, `receivedAt`). Events are applied in
 * occurrence order, so late and out-of-order arrivals give the state an in-order arrival gives.
 */
import type { Policy } from '../policy/policy-schema.js'
import { assessAcvTier, mqlBar, recordSupplied, responseTierOf } from './acv-tier.js'
import type { ClockEventName } from './clock-events.js'
import {
  recordFiredEscalation,
  recordRootCause,
  resolveEscalation,
} from './escalation/escalation-records.js'
import { checkHygiene, emailDomain, isFreeEmailDomain } from './hygiene.js'
import type { LeadEffect } from './lead-effects.js'
import type { LeadEventPayload, LeadEventType } from './lead-events.js'
import { isLeadEventType, leadEventPayloadSchemas } from './lead-events.js'
import type { ClockPause, LeadState } from './lead-state.js'
import type { RefusalRule } from './lifecycle/refusal-rules.js'
import { evaluateCriteria } from './mql-qualification.js'
import type { NewLeadEvent } from './recorded-event.js'
import { compareByOccurrence } from './recorded-event.js'
import { scoreLead, tierOfAction } from './scoring.js'
import { cadenceJustExhausted } from './cadence.js'
import { lateLoggingAfterMs } from './sal-actions.js'
import {
  cadenceTask,
  checkInTask,
  completeTask,
  openTask,
  rejectionTask,
  settleTasks,
} from './tasks.js'
import { addWallDuration } from './wall-duration.js'

export interface EngineResult {
  readonly state: LeadState | undefined
  readonly effects: readonly LeadEffect[]
}

/** Stages from which a lead can (re)qualify as an MQL. */
const QUALIFYING_STAGES: readonly string[] = ['inquiry', 'nurture', 'recycled']

type Handler<T extends LeadEventType> = (
  context: HandlerContext,
  payload: LeadEventPayload<T>,
) => void

/** Mutable scratch space for one event; the result is frozen into a new state. */
interface HandlerContext {
  readonly policy: Policy
  readonly event: NewLeadEvent
  state: LeadState
  readonly effects: LeadEffect[]
}

/**
 * What the engine does with a payload: 'check' it against its type's schema (an invalid one is
 * refused), or take it as 'validated' — events read back from the log, which holds only
 * payloads that intake validated (or that the system built from the same types).
 */
export type PayloadCheck = 'check' | 'validated'

export function applyLeadEvent(
  state: LeadState | undefined,
  event: NewLeadEvent,
  policy: Policy,
  payloads: PayloadCheck = 'check',
): EngineResult {
  if (!isLeadEventType(event.type)) {
    return refused(state, event, 'known-event-type', `unknown event type "${event.type}"`)
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
      'valid-payload',
      `${event.type} payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    )
  }
  if (event.type === 'lead.created') {
    if (state !== undefined) {
      return refused(state, event, 'created-once', `lead ${event.leadId} already exists`)
    }
    const payload = parsed.data as LeadEventPayload<'lead.created'>
    const context: HandlerContext = {
      policy,
      event,
      state: newLeadState(event, payload, policy),
      effects: [],
    }
    evaluateQualification(context)
    return { state: context.state, effects: context.effects }
  }
  if (state === undefined) {
    return refused(state, event, 'lead-exists', `lead ${event.leadId} does not exist yet`)
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

function refused(
  state: LeadState | undefined,
  event: NewLeadEvent,
  rule: RefusalRule,
  message: string,
  missing: readonly string[] = [],
): EngineResult {
  const effect: LeadEffect = {
    kind: 'transition-refused',
    eventType: event.type,
    rule,
    message,
    missing,
  }
  if (state === undefined) {
    return { state, effects: [effect] }
  }
  return {
    state: {
      ...state,
      refusals: [...state.refusals, { eventType: event.type, at: event.occurredAt, rule, message }],
    },
    effects: [effect],
  }
}

function refuse(
  context: HandlerContext,
  rule: RefusalRule,
  message: string,
  missing: readonly string[] = [],
): void {
  const result = refused(context.state, context.event, rule, message, missing)
  context.state = result.state ?? context.state
  context.effects.push(...result.effects)
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

function at(context: HandlerContext): number {
  return context.event.occurredAt
}

function clock(context: HandlerContext, event: ClockEventName, instant = at(context)): void {
  context.effects.push({ kind: 'clock-event', event, at: instant })
}

function moveTo(context: HandlerContext, to: string, reason: string): void {
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

function enqueue(context: HandlerContext, queue: string, reason: string): void {
  if (context.state.queues.includes(queue)) {
    return
  }
  context.state = { ...context.state, queues: [...context.state.queues, queue] }
  context.effects.push({ kind: 'queued', queue, reason })
}

function dequeue(context: HandlerContext, queue: string): void {
  context.state = { ...context.state, queues: context.state.queues.filter((q) => q !== queue) }
}

function requireStage(context: HandlerContext, allowed: readonly string[], what: string): boolean {
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

/** Bilateral start: the SDR's clock starts once Marketing's half is done. */
function completeHandoffIfReady(context: HandlerContext): void {
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

/** A competitor: this lead for good, and its company domain on the global list (not a free provider). */
function suppressDomainPermanently(context: HandlerContext): void {
  const domain = emailDomain(context.state.profile.email)
  context.state = {
    ...context.state,
    suppressedPermanently: true,
    suppressesDomain:
      domain === undefined || isFreeEmailDomain(domain) ? null : { domain, since: at(context) },
  }
}

function applyRejectionEffect(context: HandlerContext, effect: string, reason: string): void {
  switch (effect) {
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

function recycle(context: HandlerContext, scenarioId: string, reason: string): void {
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

function reasonCodeOf(
  policy: Policy,
  taxonomyId: string,
  code: string,
): Policy['reasonTaxonomies'][string]['codes'][number] | undefined {
  return policy.reasonTaxonomies[taxonomyId]?.codes.find((candidate) => candidate.code === code)
}

/** The code of the taxonomy, or a refusal naming the taxonomy's codes (free text is refused). */
function requireReasonCode(
  context: HandlerContext,
  taxonomyId: string,
  reasonCode: string,
  rule: RefusalRule,
  what: string,
): ReturnType<typeof reasonCodeOf> {
  const code = reasonCodeOf(context.policy, taxonomyId, reasonCode)
  if (!code) {
    refuseUnknownCode(context, rule, what, taxonomyId, reasonCode)
  }
  return code
}

function refuseUnknownCode(
  context: HandlerContext,
  rule: RefusalRule,
  what: string,
  taxonomyId: string,
  code: string,
): void {
  const taxonomy = context.policy.reasonTaxonomies[taxonomyId]
  const codes = taxonomy?.codes.map((candidate) => candidate.code).join(', ') ?? ''
  const got = code.trim() === '' ? 'no code (free text alone is refused)' : `"${code}"`
  refuse(
    context,
    rule,
    `${what} needs a reason code of the ${taxonomy?.name ?? taxonomyId}: ${codes}; got ${got}`,
    ['reasonCode'],
  )
}

function openPause(state: LeadState, itemId: string): ClockPause | undefined {
  return state.clockPauses.find((pause) => pause.itemId === itemId && pause.to === null)
}

const HANDLERS: { [T in LeadEventType]: Handler<T> } = {
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
    if (!requireStage(context, ['mql'], 'SAL rejection')) {
      return
    }
    const taxonomyId = context.policy.rejection.sal
    const code = requireReasonCode(
      context,
      taxonomyId,
      payload.reasonCode,
      'sal-rejection-reason-code',
      'SAL rejection',
    )
    if (!code) {
      return
    }
    clock(context, 'sal-rejected')
    applyRejectionEffect(context, code.effect, `${code.code}: ${code.reason}`)
  },
  'qualification.updated': (context, payload) => {
    context.state = {
      ...context.state,
      qualification: mergeQualification(context.state.qualification, payload),
    }
  },
  'meeting.booked': (context, payload) => {
    context.state = {
      ...context.state,
      meeting: {
        at: payload.meetingAt,
        link: payload.link ?? null,
        cancelled: false,
        format: payload.format ?? null,
        durationMinutes: payload.durationMinutes ?? null,
        attendees: payload.attendees ?? [],
      },
    }
  },
  'meeting.cancelled': (context) => {
    const meeting = context.state.meeting
    context.state = { ...context.state, meeting: meeting ? { ...meeting, cancelled: true } : null }
  },
  'sql.promoted': (context, payload) => {
    if (!requireStage(context, ['sal'], 'SQL promotion')) {
      return
    }
    const qualification = mergeQualification(
      context.state.qualification,
      payload.qualification ?? {},
    )
    context.state = { ...context.state, qualification }
    const missing = sqlGateMissing(context.policy, context.state)
    if (missing.length > 0) {
      refuse(
        context,
        'sql-gate',
        `SQL needs ${missing.map((m) => m.text).join('; ')}`,
        missing.map((m) => m.id),
      )
      return
    }
    context.state = {
      ...context.state,
      aeId: payload.aeId,
      briefingReadAt: null,
      aeAcceptedAt: null,
    }
    moveTo(context, 'sql', 'qualified: meeting booked, pain, timeline and MEDDPIC confirmed')
    clock(context, 'ae-notified')
  },
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
    if (!requireStage(context, ['sql'], 'AE rejection')) {
      return
    }
    const taxonomyId = context.policy.rejection.ae
    const code = requireReasonCode(
      context,
      taxonomyId,
      payload.reasonCode,
      'ae-rejection-reason-code',
      'AE rejection',
    )
    if (!code) {
      return
    }
    context.state = {
      ...context.state,
      aeRejections: [
        ...context.state.aeRejections,
        { code: code.code, at: at(context), aeId: context.state.aeId },
      ],
    }
    clock(context, 'ae-rejected')
    const reason = `${code.code}: ${code.reason}`
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
  'activity.logged': (context, payload) => {
    const { policy, event } = context
    const rules = policy.validFollowUps
    const flags: string[] = []
    const lateBy = event.receivedAt - event.occurredAt
    if (lateBy > lateLoggingAfterMs(policy)) {
      flags.push('late-logged')
      context.effects.push({
        kind: 'flagged',
        flag: 'late-logged',
        detail: `logged ${Math.round(lateBy / 60_000)} minutes after it happened`,
      })
    }
    if (event.occurredAt < context.state.createdAt) {
      flags.push('claimed-before-lead-existed')
      context.effects.push({
        kind: 'flagged',
        flag: 'claimed-before-lead-existed',
        detail: 'activity claimed before the lead existed',
      })
    }
    const countsAsFollowUp =
      (rules.activityTypes as readonly string[]).includes(payload.activityType) &&
      !rules.excluded.includes(payload.activityType) &&
      payload.automated !== true
    context.state = {
      ...context.state,
      activities: [
        ...context.state.activities,
        {
          activityType: payload.activityType,
          outcome: payload.outcome ?? null,
          occurredAt: event.occurredAt,
          receivedAt: event.receivedAt,
          countsAsFollowUp,
          flags,
        },
      ],
    }
    clock(context, 'activity-logged')
    // A late or back-dated claim earns no credit: the clock stops when the system saw it.
    const creditedAt = flags.length > 0 ? event.receivedAt : event.occurredAt
    if (payload.activityType === 'sequence-enrolment') {
      clock(context, 'sequence-enrolled', creditedAt)
    }
    const engaged =
      payload.outcome === 'connected' || payload.outcome === 'replied' || payload.outcome === 'held'
    if (engaged) {
      context.state = { ...context.state, lastEngagementAt: event.occurredAt }
    }
    if (!countsAsFollowUp) {
      return
    }
    clock(context, 'valid-follow-up', creditedAt)
    if (context.state.firstAttemptAt === null) {
      context.state = { ...context.state, firstAttemptAt: creditedAt }
      clock(context, 'first-attempt', creditedAt)
    }
    if (cadenceJustExhausted(context.policy, context.state)) {
      clock(context, 'cadence-completed-no-response', creditedAt)
      context.state = openTask(
        context.state,
        cadenceTask(context.policy, context.state, creditedAt),
      )
    }
    if (context.state.stage === 'sal' && payload.outcome === 'connected') {
      clock(context, 'call-connected-not-converted', creditedAt)
    }
    if (payload.activityType === 'meeting' && payload.outcome === 'held') {
      clock(context, 'meeting-held', creditedAt)
    }
  },
  'handoff.logged': (context, payload) => {
    if (requireStage(context, ['sql', 'opportunity'], 'A handoff step')) {
      clock(
        context,
        payload.step === 'three-way-intro' ? 'three-way-intro-sent' : 'internal-debrief-held',
      )
    }
  },
  'clock.paused': (context, payload) => {
    const item = context.policy.slaItems.find((candidate) => candidate.id === payload.item)
    const allowed = item?.clock?.pauseReasons ?? []
    if (!allowed.includes(payload.reason)) {
      const pausable = context.policy.slaItems
        .filter((candidate) => candidate.clock?.pauseReasons !== undefined)
        .map((candidate) => candidate.id)
      refuse(
        context,
        'pause-reason-allowed',
        item === undefined
          ? `no SLA item "${payload.item}"; items that may pause: ${pausable.join(', ')}`
          : allowed.length === 0
            ? `the ${item.name} clock (${item.id}) cannot be paused; items that may pause: ${pausable.join(', ')}`
            : `the ${item.name} clock (${item.id}) may pause only for: ${allowed.join(', ')}; got "${payload.reason}"`,
        ['reason'],
      )
      return
    }
    const open = openPause(context.state, payload.item)
    if (open) {
      refuse(
        context,
        'pause-once',
        `the ${payload.item} clock is already paused since ${new Date(open.from).toISOString()} (${open.reason})`,
        ['item'],
      )
      return
    }
    context.state = {
      ...context.state,
      clockPauses: [
        ...context.state.clockPauses,
        { itemId: payload.item, reason: payload.reason, from: at(context), to: null },
      ],
    }
  },
  'clock.resumed': (context, payload) => {
    const open = openPause(context.state, payload.item)
    if (!open) {
      refuse(context, 'resume-paused', `the ${payload.item} clock is not paused`, ['item'])
      return
    }
    context.state = {
      ...context.state,
      clockPauses: context.state.clockPauses.map((pause) =>
        pause === open ? { ...pause, to: at(context) } : pause,
      ),
    }
  },
  'escalation.fired': (context, payload) => {
    context.state = recordFiredEscalation(context.state, payload, at(context))
  },
  'escalation.resolved': (context, payload) => {
    const outcome = resolveEscalation(context.state, payload, at(context), context.event.actor)
    if ('refusal' in outcome) {
      refuse(context, outcome.refusal.rule, outcome.refusal.message, [outcome.refusal.field])
      return
    }
    context.state = outcome.state
  },
  'escalation.root-caused': (context, payload) => {
    const outcome = recordRootCause(context.state, payload, at(context), context.event.actor)
    if ('refusal' in outcome) {
      refuse(context, outcome.refusal.rule, outcome.refusal.message, [outcome.refusal.field])
      return
    }
    context.state = outcome.state
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

function resolveException(
  exception: LeadState['routingException'],
  when: number,
): LeadState['routingException'] {
  return exception === null || exception.resolvedAt !== null
    ? exception
    : { ...exception, resolvedAt: when }
}

const isoDate = (instant: number): string => new Date(instant).toISOString().slice(0, 10)

/** Section 07: the close-date rule of the stage an opportunity enters; a message when broken. */
/** A close date moved later than it was. */
function isPush(before: number | null, after: number | undefined): boolean {
  return before !== null && after !== undefined && after > before
}

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

function mergeQualification(
  current: LeadState['qualification'],
  update: LeadState['qualification'],
): LeadState['qualification'] {
  return {
    ...current,
    ...update,
    meddpic: { ...current.meddpic, ...update.meddpic },
  }
}

const FIELD_TEXT: Readonly<Record<string, string>> = {
  'pain-statement': 'pain statement',
  timeline: 'timeline',
  'meeting-link': 'meeting link',
}

/** L2 SQL gate: booked meeting, required fields, required MEDDPIC items. */
export function sqlGateMissing(policy: Policy, state: LeadState): { id: string; text: string }[] {
  const gate = policy.gates.sql
  const missing: { id: string; text: string }[] = []
  const meeting = state.meeting
  if (gate.requireBookedMeeting && (meeting === null || meeting.cancelled)) {
    missing.push({ id: 'booked-meeting', text: 'a booked meeting' })
  }
  const q = state.qualification
  const values: Record<(typeof gate.requiredFields)[number], string | undefined> = {
    'pain-statement': q.painStatement,
    timeline: q.timeline,
    'meeting-link': q.meetingLink ?? meeting?.link ?? undefined,
  }
  for (const field of gate.requiredFields) {
    if (!values[field]?.trim()) {
      missing.push({ id: field, text: `${FIELD_TEXT[field] ?? field} is empty` })
    }
  }
  if (gate.requireMeddpic !== 'none') {
    const needed = policy.meddpic.filter(
      (element) =>
        element.gate === 'required' ||
        (gate.requireMeddpic === 'preferred' && element.gate === 'preferred'),
    )
    for (const element of needed) {
      if (!q.meddpic?.[element.id]?.trim()) {
        missing.push({
          id: `meddpic-${element.id}`,
          text: `MEDDPIC ${element.name} is not confirmed`,
        })
      }
    }
  }
  return missing
}
