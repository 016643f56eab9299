/** Use case: the handoff report over every lead (AE rejection rates, SQL → Opportunity). */
import type { LeadState } from '../domain/lead-state.js'
import type { HandoffReport } from '../reports/handoff-report.js'
import { handoffReport } from '../reports/handoff-report.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadRepository } from './lead-repository.js'

export async function handoffReportFor(
  repository: LeadRepository,
  policy: Policy,
  now: number,
): Promise<HandoffReport> {
  const states: LeadState[] = []
  let after: string | undefined
  for (;;) {
    const page = await repository.listLeads(
      {},
      { limit: 1000, ...(after === undefined ? {} : { after }) },
    )
    states.push(...page.leads.map((lead) => lead.state))
    if (page.nextCursor === null) {
      return handoffReport(states, policy, now)
    }
    after = page.nextCursor
  }
}
