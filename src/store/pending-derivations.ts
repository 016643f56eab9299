/**
 * The work list of an import's second phase: leads whose derived rows lag their log (migration
 * 0013). Marked with the events that make them lag, cleared with the derivation.
 */
import { sql } from 'kysely'

import { checkInteger, checkText } from './column-values.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

export async function markPendingDerivations(
  tx: StoreTransaction,
  leadIds: readonly string[],
): Promise<void> {
  requireTransaction(tx, 'markPendingDerivations')
  if (leadIds.length === 0) {
    return
  }
  await sql`
    insert into pending_derivations (lead_id)
    select unnest(${leadIds.map((leadId) => checkText(leadId, 'leadId'))}::text[])
    on conflict do nothing`.execute(tx)
}

export async function clearPendingDerivations(
  tx: StoreTransaction,
  leadIds: readonly string[],
): Promise<void> {
  requireTransaction(tx, 'clearPendingDerivations')
  if (leadIds.length > 0) {
    await sql`delete from pending_derivations where lead_id = any(${[...leadIds]}::text[])`.execute(
      tx,
    )
  }
}

/** Up to `limit` pending leads after `afterLeadId`, in lead-id order. */
export async function listPendingDerivations(
  executor: StoreExecutor,
  limit: number,
  afterLeadId: string,
): Promise<string[]> {
  const rows = await executor
    .selectFrom('pending_derivations')
    .select('lead_id')
    .where('lead_id', '>', afterLeadId)
    .orderBy('lead_id')
    .limit(checkInteger(limit, 'limit', 1))
    .execute()
  return rows.map((row) => row.lead_id)
}

export async function countPendingDerivations(executor: StoreExecutor): Promise<number> {
  const row = await executor
    .selectFrom('pending_derivations')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}
