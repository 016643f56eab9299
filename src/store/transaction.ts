/**
 * Transactions. Store functions that write take a `StoreTransaction`; those that only read take a
 * `StoreExecutor`, which is either the root `database.db` or a transaction.
 */
import type { Kysely, Transaction } from 'kysely'

import { runInTransactionScope } from './connection-guard.js'
import type { Database } from './create-database.js'
import type { DatabaseSchema } from './database-schema.js'
import { StoreError } from './store-error.js'

export type StoreExecutor = Kysely<DatabaseSchema>
export type StoreTransaction = Transaction<DatabaseSchema>

/**
 * Runs `work` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it
 * throws. On PGlite, which has one connection, transactions run one after another, never
 * interleaved; on PostgreSQL they run concurrently (use `lockLead` to serialise writers of a
 * lead). Inside `work`, use `tx` only: a query through `database.db` is refused.
 */
export function withTransaction<T>(
  database: Database,
  work: (tx: StoreTransaction) => Promise<T>,
): Promise<T> {
  return database.db
    .transaction()
    .execute((tx) => runInTransactionScope(database.db, () => work(tx)))
}

export function requireTransaction(executor: StoreExecutor, operation: string): void {
  if (!executor.isTransaction) {
    throw new StoreError(`${operation} must run inside a transaction (withTransaction)`)
  }
}
