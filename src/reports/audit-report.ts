/**
 * The audit report of a period (I3): how its leads fared against the policy — compliance and
 * breaches per appendix-A SLA item with RAG, first-response times per tier, the section-09
 * escalations that fired per rep and per manager, leakage (MQLs never touched), rejection codes by
 * source, the worst leads with their timelines and the CRM-reality gap. Compliance, breaches,
 * first response and leakage are the metrics module's (`measureMetrics`) for the period, not a
 * copy of them. Pure: the caller gives each lead's state and clock moments to `AuditTally.add`,
 * one lead at a time; the tally keeps the lead's small metric facts, never the lead.
 */
import type { ClockEventEffect } from '../domain/lead-snapshot.js'
import type { LeadState } from '../domain/lead-state.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import { managerChain } from '../domain/team/roster.js'
import type { Policy, SlaItem } from '../policy/policy-schema.js'
import { formatDeadline } from '../policy/policy-schema.js'
import type { EscalationReport } from './escalation-report.js'
import type { MetricLead } from './metrics/metric-lead.js'
import { everMql, metricLeadOf } from './metrics/metric-lead.js'
import type { ResponseTimes } from './metrics/metrics-report.js'
import { measureMetrics, pastBreach } from './metrics/metrics-report.js'
import type { RatedRatio } from './metrics/rated-ratio.js'
import type { ReportWindow } from './report-window.js'
import { isWithin } from './report-window.js'

/** One appendix-A item over the period, as the metrics module measures it. */
export interface ItemCompliance {
  readonly itemId: string
  readonly name: string
  readonly stage: string
  readonly target: string
  readonly breachThreshold: string
  /**
   * Met ÷ decided (met + missed) of its clocks started in the period, with the RAG status against
   * the item's thresholds; null for an item without a clock (e.g. the briefing doc, checked by
   * its gate).
   */
  readonly compliance: RatedRatio | null
  /** Leads whose clock went past the breach threshold ÷ leads with a clock; null without a clock. */
  readonly breaches: RatedRatio | null
}

/** A response tier's first-response times (business time) and their distribution. */
export interface TierResponse {
  readonly tier: string
  readonly tierName: string
  readonly times: ResponseTimes
}

export interface PersonEscalations {
  readonly personId: string
  readonly name: string
  readonly formalBreaches: number
  readonly criticalBreaches: number
  /** Formal breaches without a manager action, criticals without a root cause. */
  readonly open: number
}

export interface ManagerEscalations extends PersonEscalations {
  /** The reps reporting to the manager who had escalations. */
  readonly reps: readonly string[]
}

export interface Leakage {
  /** MQLs never validly touched ÷ MQLs whose first response is decided. */
  readonly ratio: RatedRatio
  /** The leaked MQLs, oldest MQL first (the first `LISTED_LEADS`). */
  readonly leads: readonly {
    readonly leadId: string
    readonly ownerId: string | null
    readonly tier: string | null
    readonly mqlAt: number | null
  }[]
}

export interface RejectionsBySource {
  readonly source: string
  /** Rejections per reason code (SAL and AE taxonomies), codes in policy order. */
  readonly byCode: Readonly<Record<string, number>>
  readonly total: number
}

export interface TimelineEntry {
  readonly at: number
  readonly what: string
}

export interface WorstLead {
  readonly leadId: string
  readonly ownerId: string | null
  readonly tier: string | null
  readonly stage: string
  readonly breaches: readonly string[]
  readonly criticalEscalations: number
  readonly formalEscalations: number
  /** Wall-clock time past the breach threshold, summed over its breached clocks. */
  readonly overdueMs: number
  readonly timeline: readonly TimelineEntry[]
}

export interface RealityGap {
  /** Flagged activities of the period, by flag. */
  readonly byFlag: Readonly<Record<string, number>>
  /** Per rep, by flag (the escalation report's CRM-reality counts). */
  readonly byRep: readonly { readonly repId: string; readonly flags: Record<string, number> }[]
}

export interface AuditReport {
  readonly window: ReportWindow
  /** Facts are as they stood at this instant (the period's end, or now if sooner). */
  readonly asOf: number
  readonly policyVersion: string
  /** Leads created, with a clock started or a stage change in the period. */
  readonly leads: number
  readonly compliance: {
    readonly items: readonly ItemCompliance[]
    /** Every SLA item of the policy pooled (appendix A's and the others), lead/item pairs. */
    readonly overall: RatedRatio
    /** Seed 001's SDR response compliance, each tier weighted by its leads. */
    readonly responseWeighted: RatedRatio
    /** Leads with at least one clock past its breach threshold ÷ leads with a clock. */
    readonly overallBreach: RatedRatio
  }
  readonly firstResponse: readonly TierResponse[]
  readonly escalations: {
    readonly fired: number
    readonly graced: number
    readonly bySubject: EscalationReport['bySubject']
    readonly byRep: readonly PersonEscalations[]
    readonly byManager: readonly ManagerEscalations[]
    readonly repeatOffenders: EscalationReport['repeatOffenders']
  }
  readonly leakage: Leakage
  readonly rejections: readonly RejectionsBySource[]
  readonly worstLeads: readonly WorstLead[]
  readonly realityGap: RealityGap
}

/** How many worst leads the report shows. */
export const WORST_LEADS = 20
/** How many untouched MQLs the report lists by name (all are counted). */
export const LISTED_LEADS = 50

/** Appendix-A rows: the SLA items the framework's table defines (others name their `source`). */
export function appendixAItems(policy: Policy): SlaItem[] {
  return policy.slaItems.filter((item) => item.source === undefined)
}

/** The SAL or AE reason code a rejection transition's reason starts with (`CODE: reason`). */
function rejectionCodeOf(reason: string, codes: ReadonlySet<string>): string | undefined {
  const code = reason.slice(0, reason.indexOf(':'))
  return codes.has(code) ? code : undefined
}

function compareWorst(a: WorstLead, b: WorstLead): number {
  return (
    b.criticalEscalations - a.criticalEscalations ||
    b.formalEscalations - a.formalEscalations ||
    b.breaches.length - a.breaches.length ||
    b.overdueMs - a.overdueMs ||
    (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0)
  )
}

/** A lead's history as the report tells it: creation, stage changes, activities, escalations. */
function timelineOf(lead: LeadState): TimelineEntry[] {
  return [
    { at: lead.createdAt, what: `created (source ${lead.source})` },
    ...lead.transitions.map((t) => ({ at: t.at, what: `${t.from} → ${t.to}: ${t.reason}` })),
    ...lead.activities.map((activity) => ({
      at: activity.occurredAt,
      what: `${activity.activityType}${activity.outcome === null ? '' : ` (${activity.outcome})`}${activity.flags.length > 0 ? ` — flagged ${activity.flags.join(', ')}` : ''}`,
    })),
    ...lead.escalations.map((escalation) => ({
      at: escalation.firedAt,
      what: `escalation: ${escalation.title} [${escalation.severity}${escalation.graced ? ', graced' : ''}]`,
    })),
  ].sort((a, b) => a.at - b.at)
}

/**
 * The report's tallies, fed one lead at a time with its state and the clock moments of its
 * history (a snapshot's `clockEffects`); its facts are read as of `asOf`.
 */
export class AuditTally {
  private leads = 0
  /** The metric facts of the leads the metrics measure (every lead that ever became an MQL). */
  private readonly measured: MetricLead[] = []
  private readonly rejections = new Map<string, Map<string, number>>()
  private readonly flags = new Map<string, number>()
  private worst: WorstLead[] = []
  private readonly rejectionCodes: ReadonlySet<string>
  private readonly appendixA: ReadonlySet<string>

  constructor(
    private readonly policy: Policy,
    private readonly calendars: CalendarSet,
    private readonly window: ReportWindow,
    private readonly asOf: number,
  ) {
    this.appendixA = new Set(appendixAItems(policy).map((item) => item.id))
    this.rejectionCodes = new Set(
      [policy.rejection.sal, policy.rejection.ae].flatMap(
        (taxonomy) => policy.reasonTaxonomies[taxonomy]?.codes.map((code) => code.code) ?? [],
      ),
    )
  }

  add(lead: LeadState, clockEffects: readonly ClockEventEffect[]): void {
    const facts = metricLeadOf(this.policy, this.calendars, lead, clockEffects, this.asOf)
    if (everMql(lead)) {
      this.measured.push(facts)
    }
    const within = (at: number) => isWithin(this.window, at)
    const inPeriod = facts.clocks.filter((clock) => within(clock.startedAt))
    const activeInPeriod =
      within(lead.createdAt) ||
      inPeriod.length > 0 ||
      lead.transitions.some((transition) => within(transition.at))
    if (!activeInPeriod) {
      return
    }
    this.leads += 1
    const breached = inPeriod.filter(
      (clock) => this.appendixA.has(clock.itemId) && pastBreach(clock, this.asOf),
    )
    const breaches = breached.map((clock) => clock.itemId)
    const overdueMs = breached.reduce(
      (sum, clock) => sum + (clock.stoppedAt ?? this.asOf) - (clock.breachAt ?? this.asOf),
      0,
    )
    this.tallyRejections(lead)
    for (const activity of lead.activities) {
      if (within(activity.receivedAt)) {
        for (const flag of activity.flags) {
          this.flags.set(flag, (this.flags.get(flag) ?? 0) + 1)
        }
      }
    }
    const fired = lead.escalations.filter(
      (escalation) =>
        within(escalation.firedAt) && !escalation.graced && escalation.kind === 'chain-step',
    )
    const severe = (severity: string) =>
      fired.filter((escalation) => escalation.severity === severity).length
    const candidate: WorstLead = {
      leadId: lead.leadId,
      ownerId: lead.ownerId,
      tier: lead.tier,
      stage: lead.stage,
      breaches,
      criticalEscalations: severe('critical'),
      formalEscalations: severe('formal-breach'),
      overdueMs,
      timeline: [],
    }
    if (breaches.length + candidate.criticalEscalations + candidate.formalEscalations === 0) {
      return
    }
    const last = this.worst.at(-1)
    if (this.worst.length < WORST_LEADS || (last && compareWorst(candidate, last) < 0)) {
      // The timeline is built only for a lead that makes the list.
      this.worst = [...this.worst, { ...candidate, timeline: timelineOf(lead) }]
        .sort(compareWorst)
        .slice(0, WORST_LEADS)
    }
  }

  /** The leaked leads the report lists, oldest MQL first. */
  private leaked(leakage: RatedRatio): Leakage['leads'] {
    const leaked = new Set(leakage.counted.numerator)
    return this.measured
      .filter((lead) => leaked.has(lead.leadId))
      .map((lead) => ({
        leadId: lead.leadId,
        ownerId: lead.ownerId,
        tier: lead.tier,
        mqlAt: lead.transitions.findLast((transition) => transition.to === 'mql')?.at ?? null,
      }))
      .sort(
        (a, b) => (a.mqlAt ?? Infinity) - (b.mqlAt ?? Infinity) || a.leadId.localeCompare(b.leadId),
      )
      .slice(0, LISTED_LEADS)
  }

  private tallyRejections(lead: LeadState): void {
    const codes = [
      ...lead.transitions
        .filter((transition) => isWithin(this.window, transition.at))
        .map((transition) => rejectionCodeOf(transition.reason, this.rejectionCodes)),
      ...lead.aeRejections
        .filter((rejection) => isWithin(this.window, rejection.at))
        .map((rejection) => rejection.code),
    ]
    for (const code of codes) {
      if (code === undefined) {
        continue
      }
      const bySource = this.rejections.get(lead.source) ?? new Map<string, number>()
      bySource.set(code, (bySource.get(code) ?? 0) + 1)
      this.rejections.set(lead.source, bySource)
    }
  }

  /** The report, with the escalation report of the same window and the roster for managers. */
  report(escalations: EscalationReport, roster: Roster): AuditReport {
    const policy = this.policy
    const metrics = measureMetrics(policy, this.measured, this.window, this.asOf)
    const ofItem = (ratios: readonly RatedRatio[], item: SlaItem) =>
      ratios.find((ratio) => ratio.id === item.id) ?? null
    const items = appendixAItems(policy).map((item): ItemCompliance => ({
      itemId: item.id,
      name: item.name,
      stage: item.stage,
      target: formatDeadline(item.target),
      breachThreshold: formatDeadline(item.breach),
      compliance: ofItem(metrics.slaCompliance.items, item),
      breaches: ofItem(metrics.slaBreaches, item),
    }))
    const firstResponse = Object.entries(policy.responseTiers).flatMap(
      ([tier, definition]): TierResponse[] => {
        const times = metrics.firstResponse.tiers.find((of) => of.tier === tier)
        return times === undefined ? [] : [{ tier, tierName: definition.name, times }]
      },
    )
    const nameOf = (personId: string) =>
      roster.people.find((person) => person.id === personId)?.name ?? personId
    const byRep = escalations.byRep
      .filter((rep) => rep.formalBreaches + rep.criticalBreaches + rep.open > 0)
      .map((rep): PersonEscalations => ({
        personId: rep.repId,
        name: nameOf(rep.repId),
        formalBreaches: rep.formalBreaches,
        criticalBreaches: rep.criticalBreaches,
        open: rep.open,
      }))
    const managers = new Map<
      string,
      { formal: number; critical: number; open: number; reps: string[] }
    >()
    for (const rep of byRep) {
      const managerId = managerChain(roster, rep.personId)[0]?.id ?? '(no manager)'
      const entry = managers.get(managerId) ?? { formal: 0, critical: 0, open: 0, reps: [] }
      entry.formal += rep.formalBreaches
      entry.critical += rep.criticalBreaches
      entry.open += rep.open
      entry.reps.push(rep.personId)
      managers.set(managerId, entry)
    }
    const codeOrder = [...this.rejectionCodes]
    return {
      window: this.window,
      asOf: this.asOf,
      policyVersion: policy.version,
      leads: this.leads,
      compliance: {
        items,
        overall: metrics.slaCompliance.overall,
        responseWeighted: metrics.responseCompliance.weighted,
        overallBreach: metrics.overallBreach,
      },
      firstResponse,
      escalations: {
        fired: escalations.fired,
        graced: escalations.graced,
        bySubject: escalations.bySubject,
        byRep,
        byManager: [...managers]
          .map(([personId, entry]) => ({
            personId,
            name: nameOf(personId),
            formalBreaches: entry.formal,
            criticalBreaches: entry.critical,
            open: entry.open,
            reps: entry.reps,
          }))
          .sort(
            (a, b) =>
              b.criticalBreaches - a.criticalBreaches ||
              b.formalBreaches - a.formalBreaches ||
              a.personId.localeCompare(b.personId),
          ),
        repeatOffenders: escalations.repeatOffenders,
      },
      leakage: { ratio: metrics.leadLeakage, leads: this.leaked(metrics.leadLeakage) },
      rejections: [...this.rejections]
        .map(([source, counts]) => ({
          source,
          byCode: Object.fromEntries(
            codeOrder.flatMap((code) => (counts.has(code) ? [[code, counts.get(code) ?? 0]] : [])),
          ),
          total: [...counts.values()].reduce((sum, count) => sum + count, 0),
        }))
        .sort((a, b) => b.total - a.total || a.source.localeCompare(b.source)),
      worstLeads: this.worst,
      realityGap: {
        byFlag: Object.fromEntries([...this.flags].sort(([a], [b]) => a.localeCompare(b))),
        byRep: escalations.byRep
          .filter((rep) => Object.keys(rep.crmRealityFlags).length > 0)
          .map((rep) => ({ repId: rep.repId, flags: { ...rep.crmRealityFlags } })),
      },
    }
  }
}
