/** Use cases: reports over every lead (handoffs, escalations), read page by page. */
import type { LeadState } from '../domain/lead-state.js'
import type { HandoffReport } from '../reports/handoff-report.js'
import { handoffReport } from '../reports/handoff-report.js'
import type { EscalationReport } from '../reports/escalation-report.js'
import { escalationReport } from '../reports/escalation-report.js'
import type { Policy } from '../policy/policy-schema.js'
import type { ReportWindow } from '../reports/report-window.js'
import type { LeadRepository } from './lead-repository.js'

async function allLeadStates(repository: LeadRepository): Promise<LeadState[]> {
  const states: LeadState[] = []
  let after: string | undefined
  for (;;) {
    const page = await repository.listLeads(
      {},
      { limit: 1000, ...(after === undefined ? {} : { after }) },
    )
    states.push(...page.leads.map((lead) => lead.state))
    if (page.nextCursor === null) {
      return states
    }
    after = page.nextCursor
  }
}

export async function handoffReportFor(
  repository: LeadRepository,
  policy: Policy,
  window: ReportWindow,
): Promise<HandoffReport> {
  return handoffReport(await allLeadStates(repository), policy, window)
}

export async function escalationReportFor(
  repository: LeadRepository,
  policy: Policy,
  window: ReportWindow,
): Promise<EscalationReport> {
  return escalationReport(await allLeadStates(repository), policy, window)
}
