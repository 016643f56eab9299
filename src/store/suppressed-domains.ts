/** The global suppression list of email domains, and the leads it reaches. */
import { sql } from 'kysely'

import { int8ToNumber } from './column-values.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

export interface DomainSuppression {
  readonly domain: string
  readonly since: number
  readonly leadId: string
  readonly reason: string
}

/** Records a suppression; when the domain is already listed the earliest `since` is kept. */
export async function suppressDomain(
  tx: StoreTransaction,
  suppression: DomainSuppression,
): Promise<void> {
  requireTransaction(tx, 'suppressDomain')
  await tx
    .insertInto('suppressed_domains')
    .values({
      domain: suppression.domain,
      since: suppression.since,
      lead_id: suppression.leadId,
      reason: suppression.reason,
    })
    .onConflict((conflict) =>
      conflict
        .column('domain')
        .doUpdateSet({
          since: suppression.since,
          lead_id: suppression.leadId,
          reason: suppression.reason,
        })
        .where('suppressed_domains.since', '>', suppression.since),
    )
    .execute()
}

/** The listed domains among `domains`. */
export async function findDomainSuppressions(
  executor: StoreExecutor,
  domains: readonly string[],
): Promise<DomainSuppression[]> {
  if (domains.length === 0) {
    return []
  }
  const rows = await executor
    .selectFrom('suppressed_domains')
    .selectAll()
    .where(sql<boolean>`domain = any(${[...new Set(domains)]}::text[])`)
    .execute()
  return rows.map((row) => ({
    domain: row.domain,
    since: int8ToNumber(row.since, 'suppressed_domains.since'),
    leadId: row.lead_id,
    reason: row.reason,
  }))
}

/** Leads whose email is at `domain`, created at or after `since`. */
export async function findLeadIdsAtDomain(
  executor: StoreExecutor,
  domain: string,
  since: number,
): Promise<string[]> {
  const rows = await executor
    .selectFrom('leads')
    .select('lead_id')
    .where('email', 'like', `%@${domain.replace(/[\\%_]/g, (c) => `\\${c}`)}`)
    .where(sql<boolean>`(state->>'createdAt')::bigint >= ${since}`)
    .orderBy('lead_id')
    .execute()
  return rows.map((row) => row.lead_id)
}
