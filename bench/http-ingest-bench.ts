/**
 * Live intake through the real server: N sample events POSTed to /events/batch, 100 a batch,
 * 8 requests in flight, against a server process (the API and the escalation worker, as
 * `leadclock serve` runs them) on PGlite and — with LEADCLOCK_BENCH_POSTGRES_URL — on
 * PostgreSQL. Events/s, request latency percentiles, and the slowest /health meanwhile.
 * LEADCLOCK_BENCH_HTTP_EVENTS sets N (20,000 by default).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import type { BenchTarget } from './bench-harness.js'
import { formatCount } from './bench-harness.js'
import { apiInputsOf, sampleEvents } from './bench-sample.js'
import { scratchDatabases } from './escalation/scratch-database.js'
import { formatMs, percentile, pollHealth, slowestHealth, timedJson } from './http/http-measure.js'
import { BATCH_SIZE, CONCURRENCY, postBatches } from './http/post-batches.js'
import type { ServerProcess } from './http/server-process.js'
import { startServerProcess } from './http/server-process.js'

/** How long the worker fires the backlog the intake left while /health is polled. */
const BACKLOG_SECONDS = 10
/** On PGlite (one connection, one thread) long work must not hold /health up longer. */
const MAX_HEALTH_MS = 100
const TARGETS = {
  postgres: { eventsPerSecond: 5_000, p99Ms: 250 },
  pglite: { eventsPerSecond: 2_000, p99Ms: undefined },
} as const

/** Escalation steps fired so far (GET /scheduler). */
async function firedSteps(baseUrl: string): Promise<number> {
  const { body } = await timedJson(`${baseUrl}/scheduler`)
  return (body as { timers: Record<string, number> }).timers.fired ?? 0
}

async function measureIntake(
  label: 'pglite' | 'postgres',
  env: NodeJS.ProcessEnv,
  inputs: readonly Record<string, unknown>[],
): Promise<BenchTarget[]> {
  let server: ServerProcess | undefined
  try {
    server = await startServerProcess(env)
    const intakeHealth = pollHealth(server.url)
    const cpuBefore = await server.cpuMs()
    const run = await postBatches(server.url, inputs)
    const intakeCpuMs = (await server.cpuMs()) - cpuBefore
    const slowestDuringIntake = slowestHealth(await intakeHealth.stop())
    // The events are history: most of their escalation steps are already due. The worker now
    // fires that backlog while /health is polled.
    const firedBefore = await firedSteps(server.url)
    const backlogHealth = pollHealth(server.url)
    await server.startWorker()
    await sleep(BACKLOG_SECONDS * 1000)
    const slowestDuringBacklog = slowestHealth(await backlogHealth.stop())
    const backlogFired = (await firedSteps(server.url)) - firedBefore
    const stopped = await server.stop()
    const rate = inputs.length / run.seconds
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => percentile(run.latencies, q)) as [
      number,
      number,
      number,
    ]
    console.log(
      `  ${label}: ${formatCount(rate)} events/s (${run.seconds.toFixed(2)} s; ${Object.entries(
        run.counts,
      )
        .map(([status, count]) => `${count} ${status}`)
        .join(', ')})`,
    )
    if (run.firstProblem !== undefined) {
      console.log(`    first refusal: ${run.firstProblem}`)
    }
    console.log(
      `    request latency p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, p99 ${formatMs(p99)}; slowest /health ${formatMs(slowestDuringIntake)}`,
    )
    console.log(`    server CPU ${formatMs(intakeCpuMs / (inputs.length / 1000))} per 1,000 events`)
    console.log(
      `    then the worker fired ${backlogFired} steps of the backlog in ${BACKLOG_SECONDS} s; slowest /health meanwhile ${formatMs(slowestDuringBacklog)}${stopped.errors.length > 0 ? `; worker errors: ${stopped.errors.slice(0, 3).join(' | ')}` : ''}`,
    )
    const target = TARGETS[label]
    const refused = (run.counts.invalid ?? 0) > 0
    return [
      {
        name: `${label} HTTP intake ≥ ${formatCount(target.eventsPerSecond)} events/s (${formatCount(rate)})`,
        passed: rate >= target.eventsPerSecond && !refused,
      },
      ...(target.p99Ms === undefined
        ? []
        : [
            {
              name: `${label} HTTP intake: batch p99 ≤ ${target.p99Ms} ms (${formatMs(p99)})`,
              passed: p99 <= target.p99Ms,
            },
          ]),
      ...(label === 'pglite'
        ? [
            {
              name: `pglite: /health ≤ ${MAX_HEALTH_MS} ms while the worker fires a backlog (${formatMs(slowestDuringBacklog)})`,
              passed: slowestDuringBacklog <= MAX_HEALTH_MS,
            },
          ]
        : []),
    ]
  } finally {
    server?.kill()
  }
}

export async function runBench(): Promise<BenchTarget[]> {
  const count = Number(process.env.LEADCLOCK_BENCH_HTTP_EVENTS ?? 20_000)
  const inputs = apiInputsOf(await sampleEvents(count))
  console.log(
    `${formatCount(count)} sample events, POST /events/batch with ${BATCH_SIZE} a batch, ${CONCURRENCY} in flight`,
  )
  const folder = await mkdtemp(join(tmpdir(), 'leadclock-http-bench-'))
  const serverUrl = process.env.LEADCLOCK_BENCH_POSTGRES_URL
  const databases = serverUrl ? scratchDatabases(serverUrl, `lc_http_${process.pid}`) : undefined
  try {
    const targets = await measureIntake(
      'pglite',
      { DATABASE_URL: '', LEADCLOCK_DATA_DIR: join(folder, 'pglite') },
      inputs,
    )
    if (databases === undefined) {
      console.log('LEADCLOCK_BENCH_POSTGRES_URL is not set: the PostgreSQL intake is skipped')
      return targets
    }
    const databaseUrl = await databases.create('intake')
    return [...targets, ...(await measureIntake('postgres', { DATABASE_URL: databaseUrl }, inputs))]
  } finally {
    await databases?.dropAll()
    await rm(folder, { recursive: true, force: true })
  }
}
