/** Use case: the routing report of a period, from the routing log and the leads it routed. */
import type { LeadState } from '../domain/lead-state.js'
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
  const leads = new Map<string, LeadState>()
  const reassignments: { leadId: string; reassignment: string | undefined }[] = []
  for (const leadId of new Set(decisions.map((decision) => decision.leadId))) {
    const record = await repository.getLead(leadId)
    if (record) {
      leads.set(leadId, record.state)
    }
    for (const event of await repository.listLeadEvents(leadId)) {
      if (event.type === 'owner.assigned') {
        reassignments.push({
          leadId,
          reassignment: (event.payload as { reassignment?: string }).reassignment,
        })
      }
    }
  }
  return {
    ...routingReport(decisions, leads, reassignments, roster),
    surges: await repository.routingLog.listSurgeChanges(from, to),
  }
}
