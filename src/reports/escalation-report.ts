/**
 * Escalation measures of a window: what fired, by SLA item and severity; breaches per rep; what
 * is still open (formal breaches without a manager action, criticals without a root cause);
 * repeat offenders per period; firing lag; and the CRM-reality gap (activities logged long after
 * they happened, or claimed before the lead existed), per rep. Pure: the store gathers the facts.
 */
import { periodOf } from '../domain/escalation/escalation-plan.js'
import type { EscalationRecord } from '../domain/lead-state.js'
import type { Policy } from '../policy/policy-schema.js'

export interface RepEscalations {
  readonly repId: string
  readonly formalBreaches: number
  readonly criticalBreaches: number
  readonly open: number
  /** Activities flagged by the CRM-reality checks, by flag. */
  readonly crmRealityFlags: Readonly<Record<string, number>>
}

export interface EscalationReport {
  /** Escalations fired: every step but the routine ones (see `routineNotifications`). */
  readonly fired: number
  /**
   * Steps of the normal flow that fired (policy `routine: true`, the T+0 "SDR receives
   * notification"): notifications, not escalations, so in none of the other counts.
   */
  readonly routineNotifications: number
  readonly graced: number
  readonly bySubject: readonly { subjectId: string; severity: string; count: number }[]
  readonly open: readonly {
    leadId: string
    stepKey: string
    title: string
    firedAt: number
    missing: string
  }[]
  readonly byRep: readonly RepEscalations[]
  readonly repeatOffenders: readonly {
    repId: string
    period: string
    criticalBreaches: number
    track: string
  }[]
  /** Firing lag (fired − due) in ms: how late the scheduler was. */
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number } | null
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
}

/** The policy's repeat-offender rule (the first chain that has one), if any. */
function repeatOffenderRule(policy: Policy) {
  return Object.values(policy.escalationChains).find((chain) => chain.repeatOffender)
    ?.repeatOffender
}

/** Escalations fired that share everything the report tells apart: when each fired, its lag. */
export interface EscalationGroup {
  readonly subjectId: string
  readonly stepId: string
  readonly severity: string
  readonly kind: string
  readonly repId: string | null
  readonly graced: boolean
  readonly open: boolean
  readonly firedAt: readonly number[]
  /** Fired − due, one per escalation. */
  readonly lagsMs: readonly number[]
}

/**
 * What the escalation report is computed from, all within its window. The store gathers it in
 * a few rows, so a report never reads every lead.
 */
export interface EscalationFacts {
  readonly groups: readonly EscalationGroup[]
  /** The escalations fired that are still open (see `isOpenEscalation`). */
  readonly open: readonly { leadId: string; record: EscalationRecord }[]
  /** CRM-reality flags of the activities received, by the lead's owner. */
  readonly crmRealityFlags: readonly { repId: string; flag: string; count: number }[]
}

/** `subject/step` of the chain steps the policy marks routine, for each SLA item with a chain. */
function routineSteps(policy: Policy): Set<string> {
  return new Set(
    policy.slaItems.flatMap((item) =>
      (policy.escalationChains[item.escalationChain ?? '']?.steps ?? [])
        .filter((step) => step.routine === true)
        .map((step) => `${item.id}/${step.id}`),
    ),
  )
}

/** The escalation report of a window from its facts. */
export function escalationReport(facts: EscalationFacts, policy: Policy): EscalationReport {
  const routine = routineSteps(policy)
  let routineNotifications = 0
  const bySubject = new Map<string, { subjectId: string; severity: string; count: number }>()
  const reps = new Map<
    string,
    { formal: number; critical: number; open: number; flags: [string, number][] }
  >()
  const rep = (repId: string) => {
    let entry = reps.get(repId)
    if (!entry) {
      entry = { formal: 0, critical: 0, open: 0, flags: [] }
      reps.set(repId, entry)
    }
    return entry
  }
  const zone = policy.calendars[policy.calendarSelection.default]?.timeZone ?? 'UTC'
  const rule = repeatOffenderRule(policy)
  const criticalsByPeriod = new Map<string, number>()
  const lags: number[] = []
  let graced = 0
  for (const group of facts.groups) {
    const count = group.firedAt.length
    // Firing lag is the scheduler's, whatever the step.
    lags.push(...group.lagsMs)
    if (group.kind === 'chain-step' && routine.has(`${group.subjectId}/${group.stepId}`)) {
      routineNotifications += count
      continue
    }
    const subjectKey = `${group.subjectId}\u0000${group.severity}`
    const subject = bySubject.get(subjectKey)
    if (subject) {
      subject.count += count
    } else {
      bySubject.set(subjectKey, { subjectId: group.subjectId, severity: group.severity, count })
    }
    graced += group.graced ? count : 0
    if (group.repId === null || group.graced || group.kind !== 'chain-step') {
      continue
    }
    const entry = rep(group.repId)
    entry.formal += group.severity === 'formal-breach' ? count : 0
    entry.critical += group.severity === 'critical' ? count : 0
    entry.open += group.open ? count : 0
    if (rule && group.severity === rule.severity) {
      for (const firedAt of group.firedAt) {
        const key = `${group.repId}\u0000${periodOf(firedAt, rule.per, zone)}`
        criticalsByPeriod.set(key, (criticalsByPeriod.get(key) ?? 0) + 1)
      }
    }
  }
  for (const { repId, flag, count } of facts.crmRealityFlags) {
    rep(repId).flags.push([flag, count])
  }
  lags.sort((a, b) => a - b)
  return {
    fired: lags.length - routineNotifications,
    routineNotifications,
    graced,
    bySubject: [...bySubject.values()].sort(
      (a, b) =>
        b.count - a.count ||
        a.subjectId.localeCompare(b.subjectId) ||
        a.severity.localeCompare(b.severity),
    ),
    open: facts.open
      .map(({ leadId, record }) => ({
        leadId,
        stepKey: record.stepKey,
        title: record.title,
        firedAt: record.firedAt,
        missing:
          record.managerActions.length > 0 && record.resolution === null
            ? `one of: ${record.managerActions.join(', ')}`
            : 'root cause',
      }))
      .sort((a, b) => a.firedAt - b.firedAt),
    byRep: [...reps]
      .map(([repId, entry]) => ({
        repId,
        formalBreaches: entry.formal,
        criticalBreaches: entry.critical,
        open: entry.open,
        crmRealityFlags: Object.fromEntries(entry.flags.sort(([a], [b]) => a.localeCompare(b))),
      }))
      .sort(
        (a, b) =>
          b.criticalBreaches - a.criticalBreaches ||
          b.formalBreaches - a.formalBreaches ||
          a.repId.localeCompare(b.repId),
      ),
    repeatOffenders: rule
      ? [...criticalsByPeriod]
          .filter(([, count]) => count >= rule.count)
          .map(([key, count]) => {
            const [repId = '', period = ''] = key.split('\u0000')
            return { repId, period, criticalBreaches: count, track: rule.track }
          })
          .sort((a, b) => a.repId.localeCompare(b.repId) || a.period.localeCompare(b.period))
      : [],
    lagMs:
      lags.length === 0
        ? null
        : { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? 0 },
  }
}
