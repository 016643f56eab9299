/**
 * The current state of one lead, derived from its events. Plain JSON data: the store keeps it in
 * the lead projection and the API returns it as is.
 */
import type { AcvTierAssessment, SuppliedRecord } from './acv-tier.js'
import type { HygieneFinding } from './hygiene.js'
import type {
  EscalationKind,
  EscalationSeverity,
  LeadProfile,
  QualificationUpdate,
} from './lead-events.js'
import type { RefusalRule } from './lifecycle/refusal-rules.js'
import type { IntentRecord, ScoreBreakdown } from './scoring.js'
import type { LeadTask } from './tasks.js'

export interface Transition {
  readonly from: string
  readonly to: string
  readonly at: number
  readonly actor: string | null
  readonly reason: string
  readonly policyVersion: string
}

export interface ActivityRecord {
  readonly activityType: string
  readonly outcome: string | null
  /** When the rep says it happened. */
  readonly occurredAt: number
  /** When Leadclock saw it. */
  readonly receivedAt: number
  readonly countsAsFollowUp: boolean
  readonly flags: readonly string[]
}

export interface Refusal {
  readonly eventType: string
  readonly at: number
  readonly rule: RefusalRule
  readonly message: string
}

export interface CriterionResult {
  readonly id: string
  readonly name: string
  readonly met: boolean
  readonly detail: string
}

export interface OpportunityState {
  readonly stage: number
  readonly stageEnteredAt: number
  readonly createdAt: number
  readonly acv: number | null
  readonly originalAcv: number | null
  readonly closeDate: number | null
  readonly closeDateChanges: readonly number[]
  /** When the close date moved later (the stale-opportunity "pushed" trigger). */
  readonly closeDatePushes: readonly number[]
  /** Each ACV the deal had after the first, and when. */
  readonly acvChanges: readonly { readonly at: number; readonly acv: number }[]
  readonly nextStep: string | null
  readonly nextStepAt: number | null
  /** Each stage the deal entered, in order (stage-age SLAs use the stage's max age). */
  readonly stageHistory: readonly { readonly stage: number; readonly enteredAt: number }[]
}

/** A fired escalation step of this lead, and what managers have recorded on it since. */
export interface EscalationRecord {
  readonly stepKey: string
  readonly kind: EscalationKind
  readonly subjectId: string
  readonly stepId: string
  readonly title: string
  readonly severity: EscalationSeverity
  readonly repId: string | null
  readonly recipientIds: readonly string[]
  readonly graced: boolean
  readonly dueAt: number
  readonly firedAt: number
  readonly actionDueAt: number | null
  readonly managerActions: readonly string[]
  readonly rootCauseDueAt: number | null
  readonly resolution: {
    readonly action: string
    readonly note: string
    readonly at: number
    readonly actor: string | null
  } | null
  readonly rootCause: {
    readonly text: string
    readonly at: number
    readonly actor: string | null
  } | null
}

export interface ClockPause {
  /** The SLA item whose clock is paused. */
  readonly itemId: string
  readonly reason: string
  readonly from: number
  readonly to: number | null
}

export interface LeadState {
  readonly leadId: string
  readonly createdAt: number
  readonly source: string
  readonly policyVersion: string
  readonly stage: string
  readonly stageEnteredAt: number
  readonly profile: LeadProfile
  readonly enrichedAt: number | null
  readonly intents: readonly IntentRecord[]
  readonly lastEngagementAt: number
  readonly score: ScoreBreakdown | null
  readonly criteria: readonly CriterionResult[]
  readonly hygiene: readonly HygieneFinding[]
  /** What a source system supplied (its lead tier and score), whether or not it decides. */
  readonly supplied: SuppliedRecord | null
  /** The lead's ACV tier (seed 002) and why; null when the policy has no ACV tiers. */
  readonly acvTier: AcvTierAssessment | null
  /** Response tier of the current (or last) MQL: its intent tier, or its ACV tier's response tier. */
  readonly tier: string | null
  /** Intent tier of the current (or last) MQL; a re-MQL after a recycle must beat it. */
  readonly intentTier: string | null
  readonly ownerId: string | null
  readonly aeId: string | null
  readonly duplicateOfLeadId: string | null
  readonly duplicateOfCreatedAt: number | null
  readonly qualification: QualificationUpdate
  readonly meeting: {
    readonly at: number
    readonly format: string | null
    readonly durationMinutes: number | null
    readonly attendees: readonly string[]
    readonly link: string | null
    readonly cancelled: boolean
  } | null
  /** When Marketing's half of the current MQL was done: routed, enriched, criteria met. */
  readonly handoffCompletedAt: number | null
  readonly firstAttemptAt: number | null
  readonly briefingReadAt: number | null
  readonly aeAcceptedAt: number | null
  readonly mqlCount: number
  /** True when the current MQL came back after a recycle (reported apart from new MQLs). */
  readonly recycledMql: boolean
  readonly recycleCount: number
  readonly recycledAt: number | null
  readonly suppressedUntil: number | null
  readonly suppressedPermanently: boolean
  /** The email domain this lead put on the global suppression list (REJ-06), and when. */
  readonly suppressesDomain: { readonly domain: string; readonly since: number } | null
  /** The global suppression-list domain that disqualifies this lead. */
  readonly suppressedByDomain: string | null
  /** SLA windows are multiplied by this (the surge stretch when routed during a surge; else 1). */
  readonly slaStretch: number
  /** Every AE rejection of an SQL of this lead, with its code (for rejection-rate reports). */
  readonly aeRejections: readonly {
    readonly code: string
    readonly at: number
    readonly aeId: string | null
  }[]
  /** Required follow-ups: AE-rejection responses, recycling check-ins, cadence recycles. */
  readonly tasks: readonly LeadTask[]
  /** Routing could not assign an owner: the queue it went to, and that queue's own deadline. */
  readonly routingException: {
    readonly queue: string
    readonly reason: string
    readonly raisedAt: number
    readonly dueAt: number
    readonly resolvedAt: number | null
  } | null
  /** Pauses of SLA clocks (`clock.paused` / `clock.resumed`); `to` is null while paused. */
  readonly clockPauses: readonly ClockPause[]
  /** Open queues this lead waits in: manager-review, account-team, data-cleanup, revops-arbitration… */
  readonly queues: readonly string[]
  readonly opportunity: OpportunityState | null
  readonly escalations: readonly EscalationRecord[]
  readonly transitions: readonly Transition[]
  readonly activities: readonly ActivityRecord[]
  readonly refusals: readonly Refusal[]
}
