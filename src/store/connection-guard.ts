/**
 * Turns a silent hang into an error. PGlite has a single connection: a query sent through the
 * root `db` from inside a `withTransaction` callback waits for the transaction's own connection,
 * which is never released, so it would wait forever (on PostgreSQL it would quietly run outside
 * the transaction instead). The guarded driver refuses to hand out a connection to code running
 * inside an open transaction scope of the same database, on both dialects alike.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from 'kysely'

import { StoreError } from './store-error.js'

interface TransactionScope {
  readonly owner: object
  open: boolean
}

const scopes = new AsyncLocalStorage<readonly TransactionScope[]>()

/** Runs `work` as the body of a transaction of `owner` (the database's root Kysely instance). */
export async function runInTransactionScope<T>(owner: object, work: () => Promise<T>): Promise<T> {
  const scope: TransactionScope = { owner, open: true }
  try {
    return await scopes.run([...(scopes.getStore() ?? []), scope], work)
  } finally {
    // Callbacks scheduled inside the transaction may run after it ends; they are free again.
    scope.open = false
  }
}

function insideTransactionOf(owner: object | undefined): boolean {
  return (scopes.getStore() ?? []).some((scope) => scope.open && scope.owner === owner)
}

function guardDriver(driver: Driver, owner: () => object | undefined): Driver {
  const guarded: Driver = {
    init: () => driver.init(),
    acquireConnection: () => {
      if (insideTransactionOf(owner())) {
        return Promise.reject(
          new StoreError(
            'a query was sent through the database (or a nested withTransaction was started) ' +
              'inside a withTransaction callback: pass the callback’s `tx` instead',
          ),
        )
      }
      return driver.acquireConnection()
    },
    beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
      driver.beginTransaction(connection, settings),
    commitTransaction: (connection: DatabaseConnection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection: DatabaseConnection) => driver.rollbackTransaction(connection),
    releaseConnection: (connection: DatabaseConnection) => driver.releaseConnection(connection),
    destroy: () => driver.destroy(),
  }
  if (driver.savepoint && driver.rollbackToSavepoint && driver.releaseSavepoint) {
    guarded.savepoint = driver.savepoint.bind(driver)
    guarded.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver)
    guarded.releaseSavepoint = driver.releaseSavepoint.bind(driver)
  }
  return guarded
}

/** `dialect` with its driver guarded; `owner` returns the Kysely instance built on it. */
export function guardDialect(dialect: Dialect, owner: () => object | undefined): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => guardDriver(dialect.createDriver(), owner),
  }
}
