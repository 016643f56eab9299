/**
 * A database whose leads were written before the per-lead clock projection existed (migration
 * 0007) gets their clock rows once, by re-deriving every lead from its events; a setting records
 * that it is done. Every lead written since writes its clock rows itself.
 */
import type { Policy } from '../policy/policy-schema.js'
import { rebuildLeads } from './ingest-events.js'
import type { LeadRepository } from './lead-repository.js'

export const LEAD_CLOCKS_BACKFILLED = 'projection.lead-clocks.backfilled-at'

/** Leads per transaction: few locks held at a time. */
const BATCH = 50

/** Returns how many leads were re-derived (0 when the projection was already complete). */
export async function backfillLeadClocks(
  deps: { readonly repository: LeadRepository; readonly policy: Policy },
  at: number,
): Promise<number> {
  const { repository, policy } = deps
  if ((await repository.settings.getSetting(LEAD_CLOCKS_BACKFILLED)) !== undefined) {
    return 0
  }
  let rebuilt = 0
  let after: string | undefined
  do {
    const page = await repository.listLeads(
      {},
      { limit: BATCH, ...(after === undefined ? {} : { after }) },
    )
    const leadIds = page.leads.map((lead) => lead.leadId)
    await repository.withLeadsLocked(leadIds, (tx) => rebuildLeads(tx, leadIds, policy))
    rebuilt += leadIds.length
    after = page.nextCursor ?? undefined
  } while (after !== undefined)
  await repository.settings.putSetting(LEAD_CLOCKS_BACKFILLED, at, at)
  return rebuilt
}
