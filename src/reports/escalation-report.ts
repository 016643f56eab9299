/**
 * Escalation measures over a set of leads: what fired, by SLA item and severity; breaches per
 * rep; what is still open (formal breaches without a manager action, criticals without a root
 * cause); repeat offenders per period; firing lag; and the CRM-reality gap (activities logged
 * long after they happened, or claimed before the lead existed), per rep. Pure.
 */
import { periodOf } from '../domain/escalation/escalation-plan.js'
import { isOpenEscalation } from '../domain/escalation/escalation-records.js'
import type { LeadState } from '../domain/lead-state.js'
import type { Policy } from '../policy/policy-schema.js'
import type { ReportWindow } from './report-window.js'
import { ALL_TIME, isWithin } from './report-window.js'

export interface RepEscalations {
  readonly repId: string
  readonly formalBreaches: number
  readonly criticalBreaches: number
  readonly open: number
  /** Activities flagged by the CRM-reality checks, by flag. */
  readonly crmRealityFlags: Readonly<Record<string, number>>
}

export interface EscalationReport {
  readonly fired: number
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

/** Escalations fired, and activities logged, within `window`. */
export function escalationReport(
  leads: Iterable<LeadState>,
  policy: Policy,
  window: ReportWindow = ALL_TIME,
): EscalationReport {
  const bySubject = new Map<string, number>()
  const reps = new Map<
    string,
    { formal: number; critical: number; open: number; flags: Map<string, number> }
  >()
  const rep = (repId: string) => {
    let entry = reps.get(repId)
    if (!entry) {
      entry = { formal: 0, critical: 0, open: 0, flags: new Map() }
      reps.set(repId, entry)
    }
    return entry
  }
  const open: EscalationReport['open'][number][] = []
  const lags: number[] = []
  const criticalsByPeriod = new Map<string, number>()
  const zone = policy.calendars[policy.calendarSelection.default]?.timeZone ?? 'UTC'
  const rule = Object.values(policy.escalationChains).find(
    (chain) => chain.repeatOffender,
  )?.repeatOffender
  let fired = 0
  let graced = 0
  for (const lead of leads) {
    for (const record of lead.escalations) {
      if (!isWithin(window, record.firedAt)) {
        continue
      }
      fired += 1
      graced += record.graced ? 1 : 0
      lags.push(record.firedAt - record.dueAt)
      const subjectKey = `${record.subjectId}\u0000${record.severity}`
      bySubject.set(subjectKey, (bySubject.get(subjectKey) ?? 0) + 1)
      if (isOpenEscalation(record)) {
        open.push({
          leadId: lead.leadId,
          stepKey: record.stepKey,
          title: record.title,
          firedAt: record.firedAt,
          missing:
            record.managerActions.length > 0 && record.resolution === null
              ? `one of: ${record.managerActions.join(', ')}`
              : 'root cause',
        })
      }
      if (record.repId === null || record.graced || record.kind !== 'chain-step') {
        continue
      }
      const entry = rep(record.repId)
      entry.formal += record.severity === 'formal-breach' ? 1 : 0
      entry.critical += record.severity === 'critical' ? 1 : 0
      entry.open += isOpenEscalation(record) ? 1 : 0
      if (rule && record.severity === rule.severity) {
        const key = `${record.repId}\u0000${periodOf(record.firedAt, rule.per, zone)}`
        criticalsByPeriod.set(key, (criticalsByPeriod.get(key) ?? 0) + 1)
      }
    }
    if (lead.ownerId !== null) {
      for (const activity of lead.activities) {
        if (!isWithin(window, activity.receivedAt)) {
          continue
        }
        for (const flag of activity.flags) {
          const flags = rep(lead.ownerId).flags
          flags.set(flag, (flags.get(flag) ?? 0) + 1)
        }
      }
    }
  }
  lags.sort((a, b) => a - b)
  return {
    fired,
    graced,
    bySubject: [...bySubject]
      .map(([key, count]) => {
        const [subjectId = '', severity = ''] = key.split('\u0000')
        return { subjectId, severity, count }
      })
      .sort((a, b) => b.count - a.count || a.subjectId.localeCompare(b.subjectId)),
    open: open.sort((a, b) => a.firedAt - b.firedAt),
    byRep: [...reps]
      .map(([repId, entry]) => ({
        repId,
        formalBreaches: entry.formal,
        criticalBreaches: entry.critical,
        open: entry.open,
        crmRealityFlags: Object.fromEntries(entry.flags),
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
      : [],
    lagMs:
      lags.length === 0
        ? null
        : { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? 0 },
  }
}
