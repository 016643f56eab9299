/**
 * What the metrics read of one lead, derived from the engine's own state and clock moments: its
 * funnel transitions, its SLA clocks as of the report's instant, its valid touches, connects and
 * rejections. Small and plain JSON, so every metric is computed from the same facts. Pure.
 */
import { prospectCalendar } from '../../domain/clock-calendars.js'
import type { ClockEventEffect } from '../../domain/lead-snapshot.js'
import type { LeadState } from '../../domain/lead-state.js'
import type { CalendarSet, SlaClockView } from '../../domain/sla-clock-view.js'
import { deriveSlaClocks } from '../../domain/sla-clock-view.js'
import type { Policy } from '../../policy/policy-schema.js'
import type { CutDimension } from './metric-options.js'

/** Which rejection: the SDR's of an MQL (`sal`) or the AE's of an SQL (`ae`). */
export type RejectionKind = 'sal' | 'ae'

export interface MetricLead {
  readonly leadId: string
  /** The SDR who owns the lead (the rep its response score counts for). */
  readonly ownerId: string | null
  /** Response tier of its (last) MQL. */
  readonly tier: string | null
  /** Stage changes up to the report's instant, in order. */
  readonly transitions: readonly { readonly to: string; readonly at: number }[]
  /** Its SLA clocks (latest run of each item) as of the report's instant. */
  readonly clocks: readonly Pick<
    SlaClockView,
    'itemId' | 'startedAt' | 'stoppedAt' | 'elapsedMs' | 'targetAt' | 'breachAt' | 'status'
  >[]
  /** When each valid follow-up was credited (late or back-dated claims: when Leadclock saw them). */
  readonly validTouchesAt: readonly number[]
  /** When a live conversation happened (activity outcome `connected`). */
  readonly connectsAt: readonly number[]
  /** Rejections recorded with a reason code of the policy's taxonomy. */
  readonly codedRejections: readonly { readonly kind: RejectionKind; readonly at: number }[]
  /** Rejections refused for want of a valid reason code (the feedback was not given). */
  readonly refusedRejections: readonly { readonly kind: RejectionKind; readonly at: number }[]
  /** The lead's value of each cut (null: it has none, e.g. no segment or no owner). */
  readonly cuts: Readonly<Record<CutDimension, string | null>>
}

/**
 * The leads the metrics measure: every lead that ever became an MQL (the store's
 * `listMetricSources` reads the same rows for `GET /reports/metrics`).
 */
export function everMql(lead: LeadState): boolean {
  return lead.transitions.some((transition) => transition.to === 'mql')
}

const REFUSED_REJECTION_RULES: Readonly<Record<string, RejectionKind>> = {
  'sal-rejection-reason-code': 'sal',
  'ae-rejection-reason-code': 'ae',
}

/**
 * The lead's facts as of `asOf`: clocks are derived at that instant (later events unknown), and
 * everything after it is left out, so a report of a past period reads the past as it was.
 * `clockEffects` are the clock moments of the lead's history (a snapshot's `clockEffects`);
 * `teams` maps a person to their team (the roster's manager id).
 */
export function metricLeadOf(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  clockEffects: readonly ClockEventEffect[],
  asOf: number,
  teams: ReadonlyMap<string, string> = new Map(),
): MetricLead {
  const until = <T extends { at: number }>(items: readonly T[]): T[] =>
    items.filter((item) => item.at <= asOf)
  const activities = lead.activities.map((activity) => ({
    ...activity,
    // As the engine credits it (follow-up-activity.ts): a flagged claim counts when it was seen.
    at: activity.flags.length > 0 ? activity.receivedAt : activity.occurredAt,
  }))
  return {
    leadId: lead.leadId,
    ownerId: lead.ownerId,
    tier: lead.tier,
    transitions: until(lead.transitions).map(({ to, at }) => ({ to, at })),
    clocks: deriveSlaClocks(policy, calendars, lead, clockEffects, asOf).map((clock) => ({
      itemId: clock.itemId,
      startedAt: clock.startedAt,
      stoppedAt: clock.stoppedAt,
      elapsedMs: clock.elapsedMs,
      targetAt: clock.targetAt,
      breachAt: clock.breachAt,
      status: clock.status,
    })),
    validTouchesAt: until(activities.filter((activity) => activity.countsAsFollowUp)).map(
      (activity) => activity.at,
    ),
    connectsAt: until(activities.filter((activity) => activity.outcome === 'connected')).map(
      (activity) => activity.at,
    ),
    codedRejections: [
      ...until(clockEffects.filter((effect) => effect.event === 'sal-rejected')).map(({ at }) => ({
        kind: 'sal' as const,
        at,
      })),
      ...until(lead.aeRejections).map(({ at }) => ({ kind: 'ae' as const, at })),
    ],
    refusedRejections: until(lead.refusals).flatMap((refusal) => {
      const kind = REFUSED_REJECTION_RULES[refusal.rule]
      return kind === undefined ? [] : [{ kind, at: refusal.at }]
    }),
    cuts: cutsOf(policy, lead, teams),
  }
}

function cutsOf(
  policy: Policy,
  lead: LeadState,
  teams: ReadonlyMap<string, string>,
): MetricLead['cuts'] {
  const region = prospectCalendar(policy, lead.profile)
  const firstMql = lead.transitions.find((transition) => transition.to === 'mql')
  return {
    tier: lead.tier,
    source: lead.source,
    'acv-tier': lead.acvTier?.tierId ?? null,
    segment: lead.profile.segment ?? null,
    region: 'calendarId' in region ? region.calendarId : null,
    team: lead.ownerId === null ? null : (teams.get(lead.ownerId) ?? null),
    owner: lead.ownerId,
    'policy-version': firstMql?.policyVersion ?? lead.policyVersion,
  }
}
