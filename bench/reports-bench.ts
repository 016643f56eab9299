/**
 * The report endpoints on the standard sample (2,000 leads, loaded as `leadclock start` loads it)
 * plus 3,000 events of other leads posted live (so that routing has decisions to report),
 * against the server process on PGlite and — with LEADCLOCK_BENCH_POSTGRES_URL — PostgreSQL:
 * each report cold (the first call after a restart) and warm (median of 10), and the slowest
 * GET /health (polled every 20 ms) while the sample loads (intake, audit replay) and while
 * reports run.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { BenchTarget } from './bench-harness.js'
import { apiInputsOf, asOtherLeads, sampleEvents } from './bench-sample.js'
import { scratchDatabases } from './escalation/scratch-database.js'
import { formatMs, median, pollHealth, slowestHealth, timedJson } from './http/http-measure.js'
import { postBatches } from './http/post-batches.js'
import type { TimedLine } from './http/protocol.js'
import type { ServerProcess } from './http/server-process.js'
import { startServerProcess } from './http/server-process.js'

/** Events of other leads posted through the API after the sample: live intake, live routing. */
const LIVE_EVENTS = 3_000
const REPORTS = ['/reports/escalations', '/reports/handoffs', '/reports/routing'] as const
const WARM_CALLS = 10
const MAX_WARM_MS = 100
/** On PGlite (one connection, one thread) long work must not hold /health up longer. */
const MAX_HEALTH_MS = 100

type Dialect = 'pglite' | 'postgres'

/** The phases of loading the sample, each from the line that starts it. */
const LOAD_PHASES = [
  { name: 'intake of the sample', startsWith: 'Loading the sample' },
  { name: 'audit replay', startsWith: 'Replaying the escalation steps' },
  { name: 'first-run summary (escalation report)', startsWith: '  ' },
] as const

function phaseStarts(lines: readonly TimedLine[]): number[] {
  let from = 0
  return LOAD_PHASES.map(({ startsWith }) => {
    const index = lines.findIndex((line, at) => at >= from && line.line.startsWith(startsWith))
    from = Math.max(from, index)
    return lines[index]?.atMs ?? Number.POSITIVE_INFINITY
  })
}

/**
 * Posts the live events into a fresh store, then loads the sample as `leadclock start` does —
 * its audit replay fires what both left due — while /health is polled: the slowest /health of
 * each phase of the load.
 */
async function loadStore(
  dialect: Dialect,
  env: NodeJS.ProcessEnv,
  liveInputs: readonly Record<string, unknown>[],
): Promise<BenchTarget[]> {
  let server: ServerProcess | undefined
  try {
    server = await startServerProcess(env)
    const live = await postBatches(server.url, liveInputs)
    const health = pollHealth(server.url)
    const started = performance.now()
    const loaded = await server.loadSample()
    const samples = await health.stop()
    await server.stop()
    console.log(
      `  ${dialect}: ${liveInputs.length} live events posted in ${live.seconds.toFixed(1)} s (${JSON.stringify(live.counts)}); the sample loaded in ${loaded.seconds.toFixed(1)} s`,
    )
    const starts = [...phaseStarts(loaded.lines), loaded.seconds * 1000]
    return LOAD_PHASES.map(({ name }, index) => {
      const slowest = slowestHealth(
        samples,
        started + (starts[index] ?? 0),
        started + (starts[index + 1] ?? Number.POSITIVE_INFINITY),
      )
      console.log(`    slowest /health during the ${name}: ${formatMs(slowest)}`)
      return {
        name: `${dialect}: /health ≤ ${MAX_HEALTH_MS} ms during the ${name} (${formatMs(slowest)})`,
        passed: slowest <= MAX_HEALTH_MS,
      }
    }).filter(() => dialect === 'pglite')
  } finally {
    server?.kill()
  }
}

async function getReport(baseUrl: string, path: string): Promise<number> {
  const { status, body, ms } = await timedJson(`${baseUrl}${path}`)
  if (status !== 200) {
    throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`)
  }
  return ms
}

/**
 * A server restarted on the loaded store, with its worker (as `serve` runs; the audit replay left
 * it little to fire): every report timed.
 */
async function timeReports(dialect: Dialect, env: NodeJS.ProcessEnv): Promise<BenchTarget[]> {
  let server: ServerProcess | undefined
  try {
    server = await startServerProcess(env)
    await server.startWorker()
    const targets: BenchTarget[] = []
    for (const path of REPORTS) {
      const cold = await getReport(server.url, path)
      const warm: number[] = []
      for (let call = 0; call < WARM_CALLS; call++) {
        warm.push(await getReport(server.url, path))
      }
      const health = pollHealth(server.url)
      for (let call = 0; call < 3; call++) {
        await getReport(server.url, path)
      }
      const slowest = slowestHealth(await health.stop())
      console.log(
        `  ${dialect} ${path}: cold ${formatMs(cold)}, warm median ${formatMs(median(warm))}; slowest /health meanwhile ${formatMs(slowest)}`,
      )
      targets.push(
        {
          name: `${dialect} ${path} warm ≤ ${MAX_WARM_MS} ms (${formatMs(median(warm))})`,
          passed: median(warm) <= MAX_WARM_MS,
        },
        ...(dialect === 'pglite'
          ? [
              {
                name: `${dialect}: /health ≤ ${MAX_HEALTH_MS} ms during ${path} (${formatMs(slowest)})`,
                passed: slowest <= MAX_HEALTH_MS,
              },
            ]
          : []),
      )
    }
    await server.stop()
    return targets
  } finally {
    server?.kill()
  }
}

async function measure(
  dialect: Dialect,
  env: NodeJS.ProcessEnv,
  liveInputs: readonly Record<string, unknown>[],
): Promise<BenchTarget[]> {
  return [...(await loadStore(dialect, env, liveInputs)), ...(await timeReports(dialect, env))]
}

export async function runBench(): Promise<BenchTarget[]> {
  const liveInputs = asOtherLeads(apiInputsOf(await sampleEvents(LIVE_EVENTS)), 'live-')
  const folder = await mkdtemp(join(tmpdir(), 'leadclock-reports-bench-'))
  const serverUrl = process.env.LEADCLOCK_BENCH_POSTGRES_URL
  const databases = serverUrl ? scratchDatabases(serverUrl, `lc_reports_${process.pid}`) : undefined
  try {
    const targets = await measure(
      'pglite',
      { DATABASE_URL: '', LEADCLOCK_DATA_DIR: join(folder, 'pglite') },
      liveInputs,
    )
    if (databases === undefined) {
      console.log('LEADCLOCK_BENCH_POSTGRES_URL is not set: the PostgreSQL reports are skipped')
      return targets
    }
    const databaseUrl = await databases.create('reports')
    return [...targets, ...(await measure('postgres', { DATABASE_URL: databaseUrl }, liveInputs))]
  } finally {
    await databases?.dropAll()
    await rm(folder, { recursive: true, force: true })
  }
}
