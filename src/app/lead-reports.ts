/** Use cases: reports over every lead (handoffs, escalations), from facts the store gathers. */
import type { HandoffReport } from '../reports/handoff-report.js'
import { handoffReport } from '../reports/handoff-report.js'
import type { EscalationReport } from '../reports/escalation-report.js'
import { escalationReport } from '../reports/escalation-report.js'
import type { Policy } from '../policy/policy-schema.js'
import type { ReportWindow } from '../reports/report-window.js'
import type { LeadRepository } from './lead-repository.js'

export async function handoffReportFor(
  repository: LeadRepository,
  policy: Policy,
  window: ReportWindow,
): Promise<HandoffReport> {
  return handoffReport(await repository.reports.listHandoffLeads(), policy, window)
}

export async function escalationReportFor(
  repository: LeadRepository,
  policy: Policy,
  window: ReportWindow,
): Promise<EscalationReport> {
  return escalationReport(await repository.reports.escalationFacts(window), policy)
}
