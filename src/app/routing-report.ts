/** Use case: the routing report of a period, from the routing log and the leads it routed. */
import type { Roster } from '../domain/team/roster.js'
import type { RoutingReport } from '../reports/routing-report.js'
import { routingReport } from '../reports/routing-report.js'
import type { SurgeChange } from '../routing/routing-log-entries.js'
import type { LeadRepository } from './lead-repository.js'

export async function routingReportFor(
  repository: LeadRepository,
  roster: Roster,
  from: number,
  to: number,
): Promise<RoutingReport & { readonly surges: readonly SurgeChange[] }> {
  const decisions = await repository.routingLog.listDecisions(from, to)
  const leadIds = [...new Set(decisions.map((decision) => decision.leadId))]
  return {
    ...routingReport(
      decisions,
      await repository.reports.listRoutedLeads(leadIds),
      await repository.reports.countMisroutedLeads(leadIds),
      roster,
    ),
    surges: await repository.routingLog.listSurgeChanges(from, to),
  }
}
