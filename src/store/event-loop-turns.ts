/**
 * Embedded PGlite runs each query to completion on this thread and resolves it as a microtask,
 * so a chain of queries — a transaction, then the next one queued for its single connection —
 * never lets the event loop poll for I/O: an HTTP request, even GET /health, waited for the whole
 * chain (seconds while the worker fired a backlog). Here every query first yields one event-loop
 * turn, so requests are served between queries.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely'

class TurnTakingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    await nextTurn()
    return this.inner.executeQuery<R>(compiledQuery)
  }

  streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize)
  }
}

function turnTakingDriver(driver: Driver): Driver {
  const wrappers = new WeakMap<DatabaseConnection, TurnTakingConnection>()
  const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
    connection instanceof TurnTakingConnection ? connection.inner : connection
  const taking: Driver = {
    init: () => driver.init(),
    async acquireConnection() {
      const inner = await driver.acquireConnection()
      let wrapper = wrappers.get(inner)
      if (!wrapper) {
        wrapper = new TurnTakingConnection(inner)
        wrappers.set(inner, wrapper)
      }
      return wrapper
    },
    beginTransaction: (connection, settings) =>
      driver.beginTransaction(innerOf(connection), settings),
    commitTransaction: (connection) => driver.commitTransaction(innerOf(connection)),
    rollbackTransaction: (connection) => driver.rollbackTransaction(innerOf(connection)),
    releaseConnection: (connection) => driver.releaseConnection(innerOf(connection)),
    destroy: () => driver.destroy(),
  }
  if (driver.savepoint && driver.rollbackToSavepoint && driver.releaseSavepoint) {
    const savepoint = driver.savepoint.bind(driver)
    const rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver)
    const releaseSavepoint = driver.releaseSavepoint.bind(driver)
    taking.savepoint = (connection, name, compile) => savepoint(innerOf(connection), name, compile)
    taking.rollbackToSavepoint = (connection, name, compile) =>
      rollbackToSavepoint(innerOf(connection), name, compile)
    taking.releaseSavepoint = (connection, name, compile) =>
      releaseSavepoint(innerOf(connection), name, compile)
  }
  return taking
}

/** `dialect` with every query yielding an event-loop turn before it runs. */
export function takingEventLoopTurns(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => turnTakingDriver(dialect.createDriver()),
  }
}
