/**
 * Helpers for the metrics tests: leads built from events run through the real engine (replay,
 * clocks), and the events of typical histories. Not imported by production code.
 */
import { isClockEvent } from '../../domain/lead-snapshot.js'
import { replayLead } from '../../domain/lifecycle/engine.js'
import type { NewLeadEvent } from '../../domain/recorded-event.js'
import { createCalendarSet } from '../../domain/sla-clock-view.js'
import {
  FULL_QUALIFICATION,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
} from '../../domain/test-support.js'
import type { MetricLead } from './metric-lead.js'
import { metricLeadOf } from './metric-lead.js'
import type { MetricsReport } from './metrics-report.js'
import { headlineRatios } from './metrics-report.js'
import type { RatedRatio } from './rated-ratio.js'

export const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

/**
 * Each lead's facts as of `asOf`, from its events replayed by the engine (`teams`: person → team).
 */
export function metricLeads(
  events: readonly NewLeadEvent[],
  asOf: number,
  teams?: ReadonlyMap<string, string>,
): MetricLead[] {
  const byLead = new Map<string, NewLeadEvent[]>()
  for (const event of events) {
    byLead.set(event.leadId, [...(byLead.get(event.leadId) ?? []), event])
  }
  return [...byLead.values()].flatMap((history) => {
    const { state, effects } = replayLead(history, policy)
    if (state === undefined) {
      return []
    }
    return [metricLeadOf(policy, calendars, state, effects.filter(isClockEvent), asOf, teams)]
  })
}

/**
 * An MQL of the tier, routed to `ownerId` and enriched: the SDR response clock starts at
 * `at` + 2 minutes. Tier 1: a demo request; tier 2: three live webinars; tier 3: a company
 * outside the target industries whose three webinars, a whitepaper and a blog visit reach 60.
 * `lead` sets its source (default `test`) and profile fields such as its segment.
 */
export function mqlOfTier(
  leadId: string,
  tier: 'tier-1' | 'tier-2' | 'tier-3',
  at: number,
  ownerId = 'sdr-ana',
  lead: { readonly source?: string; readonly segment?: string } = {},
): NewLeadEvent[] {
  const { source = 'test', ...extra } = lead
  const profile =
    tier === 'tier-3'
      ? { ...IDEAL_PROFILE, ...extra, industry: 'Manufacturing', email: `${leadId}@acmesoft.com` }
      : { ...IDEAL_PROFILE, ...extra, email: `${leadId}@acmesoft.com` }
  const actions = {
    'tier-1': ['demo-request'],
    'tier-2': ['webinar-live', 'webinar-live', 'webinar-live'],
    'tier-3': ['webinar-live', 'webinar-live', 'webinar-live', 'whitepaper-download', 'blog-visit'],
  }[tier]
  return [
    leadEvent(leadId, 'lead.created', { profile, source }, at),
    ...actions.map((action, i) =>
      leadEvent(leadId, 'intent.recorded', { action }, at + 1 + i, {
        key: `${leadId}:intent:${i}`,
      }),
    ),
    leadEvent(leadId, 'lead.enriched', { profile: { companySize: 200 } }, at + MINUTE),
    leadEvent(leadId, 'owner.assigned', { ownerId, reason: 'round robin' }, at + 2 * MINUTE),
  ]
}

/** The SDR response clock of `mqlOfTier` starts this long after the lead's `at`. */
export const HANDOFF_AFTER = 2 * MINUTE

/** A call logged when it happened (a valid follow-up; `outcome` connected is a live contact). */
export function call(
  leadId: string,
  at: number,
  outcome: 'connected' | 'no-answer' = 'no-answer',
): NewLeadEvent {
  return leadEvent(leadId, 'activity.logged', { activityType: 'call', outcome }, at)
}

/** SAL acceptance, then a booked meeting and the promotion to SQL. */
export function acceptedThenSql(leadId: string, at: number, aeId = 'ae-omar'): NewLeadEvent[] {
  return [
    leadEvent(leadId, 'sal.accepted', {}, at),
    leadEvent(
      leadId,
      'meeting.booked',
      { meetingAt: at + 3 * 24 * 60 * MINUTE, link: 'https://meet.example.com/discovery' },
      at + MINUTE,
    ),
    leadEvent(leadId, 'sql.promoted', { aeId, qualification: FULL_QUALIFICATION }, at + 2 * MINUTE),
  ]
}

/** Every rated ratio of a report, for properties over all of them. */
export function everyRatio(report: MetricsReport): RatedRatio[] {
  return [
    ...headlineRatios(report),
    ...report.slaCompliance.items,
    ...report.slaBreaches,
    ...report.responseCompliance.tiers,
    report.recycled.salAcceptance,
    report.recycled.mqlToSql,
    report.recycled.mqlToOpportunity,
    ...report.contactByResponseTime.map((band) => band.contact),
  ]
}
