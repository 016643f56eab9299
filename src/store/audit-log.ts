/** The audit trail: one append-only row per manual change. */
import type { Selectable } from 'kysely'
import { sql } from 'kysely'

import type { AuditEntry, AuditFilter, RecordedAuditEntry } from '../app/access-port.js'
import { checkInteger, checkText, int8ToNumber, isJsonObject } from './column-values.js'
import type { AuditLogTable } from './database-schema.js'
import { StoreError } from './store-error.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

const jsonOrNull = (value: Readonly<Record<string, unknown>> | null): string | null =>
  value === null ? null : JSON.stringify(value)

function objectOrNull(value: unknown, column: string): Readonly<Record<string, unknown>> | null {
  if (value === null || isJsonObject(value)) {
    return value
  }
  throw new StoreError(`${column}: expected a JSON object or null from the database`)
}

function toAuditEntry(row: Selectable<AuditLogTable>): RecordedAuditEntry {
  return {
    seq: int8ToNumber(row.seq, 'audit_log.seq'),
    at: int8ToNumber(row.at, 'audit_log.at'),
    action: row.action,
    subject: row.subject,
    personId: row.person_id,
    tokenId: row.token_id,
    origin: row.origin,
    before: objectOrNull(row.before, 'audit_log.before'),
    after: objectOrNull(row.after, 'audit_log.after'),
    detail: objectOrNull(row.detail, 'audit_log.detail'),
  }
}

/** Every entry about these subjects (lead ids…), oldest first. */
export async function listAuditEntriesAbout(
  executor: StoreExecutor,
  subjects: readonly string[],
): Promise<RecordedAuditEntry[]> {
  if (subjects.length === 0) {
    return []
  }
  const rows = await executor
    .selectFrom('audit_log')
    .selectAll()
    .where(sql<boolean>`subject = any(${[...subjects]}::text[])`)
    .orderBy('seq')
    .execute()
  return rows.map(toAuditEntry)
}

/**
 * Rewrites what entries recorded (before, after, detail); only an erasure may
 * (`declareErasure`), and only those columns.
 */
export async function rewriteAuditEntries(
  tx: StoreTransaction,
  entries: readonly Pick<RecordedAuditEntry, 'seq' | 'before' | 'after' | 'detail'>[],
): Promise<void> {
  requireTransaction(tx, 'rewriteAuditEntries')
  for (const entry of entries) {
    await tx
      .updateTable('audit_log')
      .set({
        before: jsonOrNull(entry.before),
        after: jsonOrNull(entry.after),
        detail: jsonOrNull(entry.detail),
      })
      .where('seq', '=', entry.seq)
      .execute()
  }
}

export async function appendAuditEntry(executor: StoreExecutor, entry: AuditEntry): Promise<void> {
  await executor
    .insertInto('audit_log')
    .values({
      at: checkInteger(entry.at, 'audit at'),
      action: checkText(entry.action, 'audit action'),
      subject: checkText(entry.subject, 'audit subject'),
      person_id: entry.personId,
      token_id: entry.tokenId,
      origin: checkText(entry.origin, 'audit origin'),
      before: jsonOrNull(entry.before),
      after: jsonOrNull(entry.after),
      detail: jsonOrNull(entry.detail),
    })
    .execute()
}

export async function listAuditEntries(
  executor: StoreExecutor,
  filter: AuditFilter,
): Promise<RecordedAuditEntry[]> {
  let query = executor
    .selectFrom('audit_log')
    .selectAll()
    .where(sql<boolean>`at >= ${Math.max(filter.from, Number.MIN_SAFE_INTEGER)}::bigint`)
    .where(sql<boolean>`at < ${Math.min(filter.to, Number.MAX_SAFE_INTEGER)}::bigint`)
  if (filter.personId !== undefined) {
    query = query.where('person_id', '=', filter.personId)
  }
  if (filter.action !== undefined) {
    query = query.where('action', '=', filter.action)
  }
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(filter.limit)
    .execute()
  return rows.map(toAuditEntry)
}
