/**
 * The audit report of a period (I3): how its leads fared against the policy — compliance and
 * breaches per appendix-A SLA item with RAG, first-response times per tier, the section-09
 * escalations that fired per rep and per manager, leakage (MQLs never touched), rejection codes by
 * source, the worst leads with their timelines and the CRM-reality gap. Pure: the caller gives
 * each lead's state and SLA clocks as of the period's end to `AuditTally.add`, one lead at a
 * time, so a report costs the memory of its tallies, never that of every lead.
 */
import type { LeadState } from '../domain/lead-state.js'
import type { SlaClockView } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import { managerChain } from '../domain/team/roster.js'
import type { Policy, SlaItem } from '../policy/policy-schema.js'
import { formatDeadline } from '../policy/policy-schema.js'
import type { EscalationReport } from './escalation-report.js'
import { percentile } from './escalation-report.js'
import type { ReportWindow } from './report-window.js'
import { isWithin } from './report-window.js'

export type Rag = 'green' | 'amber' | 'red'

/** Where a value falls on a section-11 metric's thresholds (green beyond `green`, red beyond `red`). */
export function ragOf(metric: Policy['metrics'][number], value: number): Rag {
  const [better, worse] =
    metric.better === 'higher'
      ? [value > metric.green, value < metric.red]
      : [value < metric.green, value > metric.red]
  return better ? 'green' : worse ? 'red' : 'amber'
}

/**
 * The section-11 metric whose thresholds judge each SLA item's breach rate: "% of leads or deals
 * with at least one documented SLA breach".
 */
export const BREACH_RATE_METRIC = 'overall-sla-breach-rate'

/** One appendix-A item over the period: the clocks that started in it, judged at its end. */
export interface ItemCompliance {
  readonly itemId: string
  readonly name: string
  readonly stage: string
  readonly target: string
  readonly breachThreshold: string
  /** False for an item without a clock (e.g. the briefing doc, checked by its gate). */
  readonly clocked: boolean
  /** Clocks stopped within target. */
  readonly met: number
  /** Clocks stopped after their target but before the breach threshold. */
  readonly late: number
  /** Clocks stopped after the breach threshold, or still running past it. */
  readonly breached: number
  /** Clocks still running (or paused) short of the breach threshold: not judged yet. */
  readonly open: number
  /** Clocks that cannot run (no calendar for the lead). */
  readonly unable: number
  /** Met of the judged (met + late + breached), in percent; null when none was judged. */
  readonly complianceRate: number | null
  /** Breached of the judged, in percent; null when none was judged. */
  readonly breachRate: number | null
  /** The breach rate against the policy's breach-rate metric; null when none was judged. */
  readonly rag: Rag | null
}

/** Upper bounds (inclusive, in minutes of business time) of the first-response histogram's bins. */
const RESPONSE_BINS_MINUTES = [5, 30, 120, 240, 1440, 2880] as const

export interface ResponseDistribution {
  readonly tier: string
  readonly tierName: string
  /** Labels of the bins, in order; the last is open-ended. */
  readonly bins: readonly string[]
  /** Responses per bin. */
  readonly counts: readonly number[]
  readonly responded: number
  /** MQLs of the tier whose clock still ran at the period's end (no valid follow-up yet). */
  readonly unanswered: number
  /** Business minutes; null when nobody responded. */
  readonly medianMinutes: number | null
  readonly p90Minutes: number | null
  /** "Average response time" of seed 001: the sum of response times over the responses. */
  readonly meanMinutes: number | null
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
  /** MQLs of the period that had an owner. */
  readonly assigned: number
  /** Of those, the MQLs with a first valid follow-up by the period's end. */
  readonly touched: number
  /** (assigned − touched) / assigned, in percent; null without assigned MQLs. */
  readonly rate: number | null
  /** The untouched MQLs, oldest first (the first `LISTED_LEADS`). */
  readonly leads: readonly {
    readonly leadId: string
    readonly ownerId: string | null
    readonly tier: string | null
    readonly mqlAt: number
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
  readonly policyVersion: string
  readonly leads: number
  readonly compliance: readonly ItemCompliance[]
  readonly firstResponse: readonly ResponseDistribution[]
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

interface ItemTally {
  met: number
  late: number
  breached: number
  open: number
  unable: number
}

const MINUTE_MS = 60_000

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
 * The report's tallies, fed one lead at a time with its state and its SLA clocks as of the end of
 * the period (`deriveSlaClocks` at `window.to`).
 */
export class AuditTally {
  private leads = 0
  private readonly items = new Map<string, ItemTally>()
  private readonly responses = new Map<string, number[]>()
  private readonly unanswered = new Map<string, number>()
  private assigned = 0
  private touched = 0
  private readonly untouched: Leakage['leads'][number][] = []
  private readonly rejections = new Map<string, Map<string, number>>()
  private readonly flags = new Map<string, number>()
  private worst: WorstLead[] = []
  private readonly rejectionCodes: ReadonlySet<string>

  constructor(
    private readonly policy: Policy,
    private readonly window: ReportWindow,
  ) {
    for (const item of appendixAItems(policy)) {
      this.items.set(item.id, { met: 0, late: 0, breached: 0, open: 0, unable: 0 })
    }
    this.rejectionCodes = new Set(
      [policy.rejection.sal, policy.rejection.ae].flatMap(
        (taxonomy) => policy.reasonTaxonomies[taxonomy]?.codes.map((code) => code.code) ?? [],
      ),
    )
  }

  add(lead: LeadState, clocks: readonly SlaClockView[]): void {
    const within = (at: number) => isWithin(this.window, at)
    const inPeriod = clocks.filter((clock) => within(clock.startedAt))
    const activeInPeriod =
      within(lead.createdAt) ||
      inPeriod.length > 0 ||
      lead.transitions.some((transition) => within(transition.at))
    if (!activeInPeriod) {
      return
    }
    this.leads += 1
    const end = this.window.to
    const breaches: string[] = []
    let overdueMs = 0
    for (const clock of inPeriod) {
      const tally = this.items.get(clock.itemId)
      const item = this.policy.slaItems.find((candidate) => candidate.id === clock.itemId)
      if (tally === undefined || item === undefined) {
        continue
      }
      const stoppedAt = clock.stoppedAt
      const breachedAt =
        clock.breachAt !== null &&
        (stoppedAt === null ? end >= clock.breachAt : stoppedAt > clock.breachAt)
      if (clock.status === 'unable-to-run') {
        tally.unable += 1
      } else if (breachedAt) {
        tally.breached += 1
        breaches.push(clock.itemId)
        overdueMs += (stoppedAt ?? end) - (clock.breachAt ?? end)
      } else if (clock.status === 'met') {
        tally.met += 1
      } else if (clock.status === 'missed') {
        tally.late += 1
      } else {
        tally.open += 1
      }
      if (item.responseTier !== undefined) {
        this.tallyResponse(item.responseTier, clock, lead.firstAttemptAt)
      }
    }
    this.tallyLeakage(lead)
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

  /**
   * A response clock stopped by the first valid follow-up is a response; one stopped by a
   * rejection, recycle or disqualification is none (leakage counts it); one still running waits.
   */
  private tallyResponse(tier: string, clock: SlaClockView, firstAttemptAt: number | null): void {
    if (clock.stoppedAt !== null && clock.stoppedAt === firstAttemptAt) {
      const minutes = this.responses.get(tier) ?? []
      minutes.push(clock.elapsedMs / MINUTE_MS)
      this.responses.set(tier, minutes)
    } else if (clock.stoppedAt === null && clock.status !== 'unable-to-run') {
      this.unanswered.set(tier, (this.unanswered.get(tier) ?? 0) + 1)
    }
  }

  private tallyLeakage(lead: LeadState): void {
    const mqlAt = lead.transitions.findLast(
      (transition) => transition.to === 'mql' && isWithin(this.window, transition.at),
    )?.at
    if (mqlAt === undefined || lead.ownerId === null) {
      return
    }
    this.assigned += 1
    if (lead.firstAttemptAt !== null && lead.firstAttemptAt < this.window.to) {
      this.touched += 1
    } else {
      this.untouched.push({ leadId: lead.leadId, ownerId: lead.ownerId, tier: lead.tier, mqlAt })
    }
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
    const breachMetric = policy.metrics.find((metric) => metric.id === BREACH_RATE_METRIC)
    const share = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole)
    const compliance = appendixAItems(policy).map((item): ItemCompliance => {
      const tally = this.items.get(item.id) ?? { met: 0, late: 0, breached: 0, open: 0, unable: 0 }
      const judged = tally.met + tally.late + tally.breached
      const breachRate = share(tally.breached, judged)
      return {
        itemId: item.id,
        name: item.name,
        stage: item.stage,
        target: formatDeadline(item.target),
        breachThreshold: formatDeadline(item.breach),
        clocked: item.clock !== undefined,
        ...tally,
        complianceRate: share(tally.met, judged),
        breachRate,
        rag:
          breachRate === null || breachMetric === undefined
            ? null
            : ragOf(breachMetric, breachRate),
      }
    })
    const firstResponse = Object.entries(policy.responseTiers).map(
      ([tier, definition]): ResponseDistribution => {
        const minutes = [...(this.responses.get(tier) ?? [])].sort((a, b) => a - b)
        const counts = RESPONSE_BINS_MINUTES.map(() => 0).concat(0)
        for (const value of minutes) {
          const bin = RESPONSE_BINS_MINUTES.findIndex((upper) => value <= upper)
          const index = bin === -1 ? RESPONSE_BINS_MINUTES.length : bin
          counts[index] = (counts[index] ?? 0) + 1
        }
        const round = (value: number) => Math.round(value * 10) / 10
        return {
          tier,
          tierName: definition.name,
          bins: responseBinLabels(),
          counts,
          responded: minutes.length,
          unanswered: this.unanswered.get(tier) ?? 0,
          medianMinutes: minutes.length === 0 ? null : round(percentile(minutes, 50)),
          p90Minutes: minutes.length === 0 ? null : round(percentile(minutes, 90)),
          meanMinutes:
            minutes.length === 0
              ? null
              : round(minutes.reduce((sum, value) => sum + value, 0) / minutes.length),
        }
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
      policyVersion: policy.version,
      leads: this.leads,
      compliance,
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
      leakage: {
        assigned: this.assigned,
        touched: this.touched,
        rate: share(this.assigned - this.touched, this.assigned),
        leads: [...this.untouched]
          .sort((a, b) => a.mqlAt - b.mqlAt || a.leadId.localeCompare(b.leadId))
          .slice(0, LISTED_LEADS),
      },
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

/** "0–5 min", "5–30 min", …, "over 48 h". */
function responseBinLabels(): string[] {
  const label = (minutes: number) => (minutes < 60 ? `${minutes} min` : `${minutes / 60} h`)
  return [
    ...RESPONSE_BINS_MINUTES.map(
      (upper, index) =>
        `${index === 0 ? '0' : label(RESPONSE_BINS_MINUTES[index - 1] ?? 0)}–${label(upper)}`,
    ),
    `over ${label(RESPONSE_BINS_MINUTES.at(-1) ?? 0)}`,
  ]
}
