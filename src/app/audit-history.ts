/**
 * Use case: the audit report of a period of recorded history (I3). Every lead is read from its
 * stored snapshot, a page at a time, and judged by the same SLA clocks the engine runs, as of the
 * end of the period, or now while it runs (history is judged at its own time, not at the time of
 * the report), with the metrics of `GET /reports/metrics` for the same period; the escalations
 * are those the replay fired in the period (`fireOnSimulatedClock` first).
 */
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { AuditReport } from '../reports/audit-report.js'
import { AuditTally } from '../reports/audit-report.js'
import type { ReportWindow } from '../reports/report-window.js'
import { asOfInstant } from '../reports/report-window.js'
import { clockCalendarsOf } from './fire-escalations.js'
import type { LeadDerivation } from './fire-escalations.js'
import { escalationReportFor } from './lead-reports.js'
import type { LeadRepository } from './lead-repository.js'

export interface AuditDependencies {
  readonly repository: LeadRepository
  readonly leads: LeadDerivation
  readonly policy: Policy
  readonly roster: () => Roster
}

/** Leads read per transaction. */
const AUDIT_PAGE_LEADS = 500

export async function auditHistory(
  deps: AuditDependencies,
  window: ReportWindow,
  now: number,
  onProgress?: (leadsRead: number, totalLeads: number) => void,
): Promise<AuditReport> {
  const { policy, repository } = deps
  const roster = deps.roster()
  const calendars = clockCalendarsOf(policy, roster)
  const tally = new AuditTally(policy, calendars, window, asOfInstant(window, now))
  const total = await repository.countLeads({})
  let read = 0
  let after: string | undefined
  do {
    const page = await repository.listLeads(
      {},
      { limit: AUDIT_PAGE_LEADS, ...(after ? { after } : {}) },
    )
    const ids = page.leads.map((lead) => lead.leadId)
    const current = await repository.withLeadsLocked([], (tx) => deps.leads.current(tx, ids))
    for (const leadId of ids) {
      const snapshot = current.get(leadId)?.snapshot
      if (snapshot) {
        tally.add(snapshot.state, snapshot.clockEffects)
      }
    }
    read += ids.length
    onProgress?.(read, total)
    after = page.nextCursor ?? undefined
  } while (after !== undefined)
  return tally.report(await escalationReportFor(repository, policy, window), roster)
}
