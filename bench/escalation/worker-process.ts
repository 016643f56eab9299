/**
 * One engine process of the escalation bench (forked by escalation-bench.ts): opens the runtime
 * on the bench database and runs the production escalation worker on a simulated clock that maps
 * wall time onto the bench's due instants. Notifications are enqueued for the webhook channel
 * but nothing is sent (the delivery side has no channel). It records, per fired step, when the
 * transaction that wrote its outbox row committed, and counts the SQL statements it sent.
 */
import pg from 'pg'

import type { LeadRepository } from '../../src/app/lead-repository.js'
import { configFromEnvironment, openRuntime } from '../../src/main.js'
import { startEscalationWorker } from '../../src/scheduler/escalation-worker.js'
import type { FromWorker, ToWorker, WorkerSettings } from './protocol.js'

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      resolve()
    } else {
      process.send(message, undefined, {}, () => resolve())
    }
  })
}

/** Counts statements and the time spent waiting for them (the worker runs one at a time). */
const statements = { count: 0, waitMs: 0 }
type Query = (...args: unknown[]) => unknown
const prototype = pg.Client.prototype as unknown as { query: Query }
const originalQuery = prototype.query
prototype.query = function (this: unknown, ...args: unknown[]): unknown {
  statements.count += 1
  const started = performance.now()
  const result = originalQuery.apply(this, args)
  if (result instanceof Promise) {
    result.then(
      () => (statements.waitMs += performance.now() - started),
      () => (statements.waitMs += performance.now() - started),
    )
  }
  return result
}

const settings = JSON.parse(process.env.LEADCLOCK_BENCH_WORKER ?? '{}') as WorkerSettings
const runtime = await openRuntime(
  configFromEnvironment(
    {},
    {
      databaseUrl: settings.databaseUrl,
      policyPath: settings.policyPath,
      rosterPath: settings.rosterPath,
      channels: [],
    },
  ),
)

const fired = { keys: [] as string[], committedAt: [] as number[] }
let lastCommitAt: number | null = null
let clock = { realStart: 0, simStart: 0 }
const now = (): number => clock.simStart + (Date.now() - clock.realStart)

/** The runtime's repository, noting which timers each committed transaction settled as fired. */
const repository: LeadRepository = {
  ...runtime.repository,
  async withLeadsLocked(leadIds, work) {
    const settled: string[] = []
    const result = await runtime.repository.withLeadsLocked(leadIds, (tx) =>
      work({
        ...tx,
        escalation: {
          ...tx.escalation,
          async settleTimers(settlements) {
            await tx.escalation.settleTimers(settlements)
            settled.push(
              ...settlements.flatMap((settlement) =>
                settlement.outcome === 'fired' ? [settlement.stepKey] : [],
              ),
            )
          },
        },
      }),
    )
    if (settled.length > 0) {
      const committedAt = now()
      lastCommitAt = Date.now()
      for (const key of settled) {
        fired.keys.push(key)
        fired.committedAt.push(committedAt)
      }
    }
    return result
  },
}

let rounds = 0
let errors = 0
const errorSamples: string[] = []
let cpuAtStart = process.cpuUsage()
let worker: ReturnType<typeof startEscalationWorker> | undefined

process.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    clock = { realStart: message.realStart, simStart: message.simStart }
    cpuAtStart = process.cpuUsage()
    statements.count = 0
    statements.waitMs = 0
    worker = startEscalationWorker(
      { ...runtime.scheduler, repository, channels: ['webhook'] },
      runtime.delivery,
      {
        now,
        batchSize: settings.batchSize,
        pollIntervalMs: settings.pollIntervalMs,
        onRound: ({ fired: count }) => {
          rounds += 1
          if (count > 0) {
            void send({ type: 'progress', fired: count })
          }
        },
        onError: (error) => {
          errors += 1
          const text = error instanceof Error ? error.message : String(error)
          if (errorSamples.length < 5) {
            errorSamples.push(text)
          }
          void send({ type: 'error', message: text })
        },
      },
    )
  } else {
    void (async () => {
      await worker?.stop()
      const cpu = process.cpuUsage(cpuAtStart)
      await send({
        type: 'result',
        firedKeys: fired.keys,
        committedAt: fired.committedAt,
        rounds,
        errors,
        errorSamples,
        lastCommitAt,
        cpuMs: (cpu.user + cpu.system) / 1000,
        queries: statements.count,
        queryWaitMs: statements.waitMs,
      })
      await runtime.close()
      process.disconnect()
    })()
  }
})

await send({ type: 'ready' })
