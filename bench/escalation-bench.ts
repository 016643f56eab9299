/**
 * The escalation scheduler at scale, on PostgreSQL: with 1,000,000 open clocks (pending timers),
 * how late do due steps reach the notification outbox, and how does draining a backlog scale from
 * one worker process to two? Needs LEADCLOCK_BENCH_POSTGRES_URL (a server whose role may create
 * databases); skipped without it. Each run works on its own copy of one prepared template
 * database, dropped afterwards.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'

import { configFromEnvironment, openRuntime } from '../src/main.js'
import {
  defaultPolicyPath,
  loadPolicyFile,
  packageFilePath,
} from '../src/policy/load-policy-file.js'
import type { Policy } from '../src/policy/policy-schema.js'
import type { BenchTarget } from './bench-harness.js'
import { formatCount } from './bench-harness.js'
import type { FiringCheck, LagSummary } from './escalation/measurements.js'
import {
  backendCpu,
  backendCpuUsed,
  busyShare,
  checkFiring,
  describeCheck,
  machineCpu,
  summarize,
} from './escalation/measurements.js'
import type { LiveLeads } from './escalation/open-clocks.js'
import {
  buildLiveLeads,
  insertIdleTimers,
  insertLiveLeads,
  LIVE_STEP,
  LIVE_STEP_ID,
  TEMPLATE_OWNER,
} from './escalation/open-clocks.js'
import type { WorkerResult, WorkerSettings } from './escalation/protocol.js'
import type { ScratchDatabases } from './escalation/scratch-database.js'
import { scratchDatabases, withClient } from './escalation/scratch-database.js'
import { startWorkerPool } from './escalation/worker-pool.js'

/** 1,000,000 unless LEADCLOCK_BENCH_OPEN_CLOCKS says fewer (a quick run on a loaded machine). */
const OPEN_CLOCKS = Number(process.env.LEADCLOCK_BENCH_OPEN_CLOCKS ?? 1_000_000)
/** Live steps come due at this steady rate during the lag run (well under one worker's capacity). */
const LAG_RATE_PER_SECOND = 50
const LAG_SECONDS = 60
/** Steps already due when each throughput run starts. */
const BACKLOG = 8_000
/** The worker's default batch; a 200 ms poll, slower than its 100 ms default, so lag is not flattered. */
const BATCH_SIZE = 100
const POLL_INTERVAL_MS = 200
const WORKER_COUNTS = [1, 2] as const
/**
 * Drain runs per worker count, interleaved (1, 2, 1, 2): the machine may be shared, so the best
 * run of each count is compared (every run is printed).
 */
const DRAIN_REPETITIONS = 2
const MAX_LAG_P99_MS = 1_000
/** Two workers on two cores against one: what is left after PostgreSQL's share of the CPU. */
const MIN_SCALING = 1.7
const MAX_CPU_MS_PER_STEP = 1
const MAX_STATEMENTS_PER_STEP = 3
/** How long after the last due instant the lag run waits for stragglers. */
const LAG_GRACE_MS = 30_000
const DRAIN_TIMEOUT_MS = 240_000
/** The machine's CPU use is sampled this long before each run, with the workers idle. */
const BACKGROUND_SAMPLE_MS = 2_000
/** Tuesday 2026-03-03 09:10 in New York: business hours of the template lead's calendar. */
const SIM_START = Date.parse('2026-03-03T14:10:00Z')

const RESULTS_FILE = new URL('../../bench/results/escalation.json', import.meta.url)

/** What the worker processes and their PostgreSQL backends spent per fired step. */
interface PerStep {
  readonly statements: number
  /** Worker time waiting for statements to complete. */
  readonly statementWaitMs: number
  readonly workerCpuMs: number
  readonly postgresCpuMs: number
}

/** One measured run of the workers against a prepared database. */
interface WorkerRun {
  readonly workers: number
  readonly completed: boolean
  readonly fired: number
  /** Start of the clock to the last commit. */
  readonly seconds: number
  readonly rounds: number
  readonly errors: number
  readonly errorSamples: Record<string, string>
  readonly firedPerWorker: Record<string, number>
  readonly perStep: PerStep
  /**
   * Share of the machine's CPU capacity in use during the run: in all, and by processes other than
   * the workers and their PostgreSQL backends (the machine may be shared). And in use just
   * before the run, with the workers idle.
   */
  readonly machineBusy: number
  readonly otherBusy: number
  readonly backgroundBusy: number
  readonly check: FiringCheck
}

interface LagRun extends WorkerRun {
  readonly ratePerSecond: number
  readonly dueSeconds: number
  /** Due → the commit of the transaction that wrote the step's outbox row. */
  readonly commitLagMs: LagSummary
  /** Due → `sla_timers.fired_lag_ms`: the database clock just before the round commits. */
  readonly recordedLagMs: LagSummary
}

interface DrainRun extends WorkerRun {
  readonly repetition: number
  readonly backlog: number
  readonly stepsPerSecond: number
}

function log(line: string): void {
  console.log(line)
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** The files every process of the run reads. */
type BenchFiles = Pick<WorkerSettings, 'policyPath' | 'rosterPath'>

async function prepareTemplate(databases: ScratchDatabases, files: BenchFiles): Promise<void> {
  const started = Date.now()
  const url = await databases.create('template')
  // Opening the runtime migrates the database, as `leadclock start` does.
  const runtime = await openRuntime(
    configFromEnvironment({}, { ...files, databaseUrl: url, channels: [] }),
  )
  await runtime.close()
  await withClient(url, async (client) => {
    await insertIdleTimers(client, OPEN_CLOCKS, SIM_START, (inserted) =>
      log(`  … ${formatCount(inserted)} / ${formatCount(OPEN_CLOCKS)} open clocks inserted`),
    )
    await client.query('vacuum analyze')
  })
  log(`  template database ready in ${seconds(Date.now() - started)}`)
}

/** A copy of the template with `live` leads added, ready for the workers. */
async function databaseWith(
  databases: ScratchDatabases,
  name: string,
  live: LiveLeads,
): Promise<string> {
  const started = Date.now()
  const url = await databases.create(name, 'template')
  await withClient(url, async (client) => {
    await insertLiveLeads(client, live)
    await client.query('vacuum analyze')
  })
  log(
    `  ${name}: template copied, ${formatCount(live.count)} live leads added in ${seconds(Date.now() - started)}`,
  )
  return url
}

function sum(results: readonly WorkerResult[], pick: (result: WorkerResult) => number): number {
  return results.reduce((total, result) => total + pick(result), 0)
}

/**
 * Starts `workers` processes on the database `name` (prepared with `live`), starts their clock
 * `leadInMs` from now at SIM_START, waits until every due step fired (or `deadline` after the
 * start), stops them and checks the database.
 */
async function runWorkers(
  databases: ScratchDatabases,
  serverUrl: string,
  files: BenchFiles,
  name: string,
  live: LiveLeads,
  workers: number,
  leadInMs: number,
  deadlineMs: number,
): Promise<{ run: WorkerRun; results: WorkerResult[]; realStart: number; url: string }> {
  const url = await databaseWith(databases, name, live)
  const pool = await startWorkerPool(workers, {
    ...files,
    databaseUrl: url,
    batchSize: BATCH_SIZE,
    pollIntervalMs: POLL_INTERVAL_MS,
  })
  try {
    return await withClient(serverUrl, async (admin) => {
      const background = machineCpu()
      await sleep(BACKGROUND_SAMPLE_MS)
      const cpuBefore = machineCpu()
      const backendsBefore = await backendCpu(admin, databases.databaseName(name))
      const realStart = Date.now() + leadInMs
      pool.start(realStart, SIM_START)
      const due = live.dueSteps.size
      while (pool.fired() < due && Date.now() < realStart + deadlineMs) {
        await sleep(50)
      }
      const completed = pool.fired() >= due
      const backendsAfter = await backendCpu(admin, databases.databaseName(name))
      const cpuAfter = machineCpu()
      const results = await pool.stop()
      const check = await withClient(url, (client) => checkFiring(client, live.dueSteps, results))
      const fired = sum(results, (result) => result.firedKeys.length)
      const lastCommit = Math.max(realStart, ...results.map((r) => r.lastCommitAt ?? realStart))
      const per = (value: number): number => (fired === 0 ? Number.NaN : value / fired)
      const workerCpuMs = sum(results, (result) => result.cpuMs)
      const postgresCpuMs = backendCpuUsed(backendsBefore, backendsAfter)
      const run: WorkerRun = {
        workers,
        completed,
        fired,
        seconds: (lastCommit - realStart) / 1000,
        rounds: sum(results, (result) => result.rounds),
        errors: sum(results, (result) => result.errors),
        errorSamples: Object.fromEntries(
          results
            .flatMap((result) => result.errorSamples)
            .map((sample, index) => [`${index + 1}`, sample]),
        ),
        firedPerWorker: Object.fromEntries(
          results.map((result, index) => [`worker-${index + 1}`, result.firedKeys.length]),
        ),
        perStep: {
          statements: per(sum(results, (result) => result.queries)),
          statementWaitMs: per(sum(results, (result) => result.queryWaitMs)),
          workerCpuMs: per(workerCpuMs),
          postgresCpuMs: per(postgresCpuMs),
        },
        machineBusy: busyShare(cpuBefore, cpuAfter),
        otherBusy: busyShare(cpuBefore, cpuAfter, workerCpuMs + postgresCpuMs),
        backgroundBusy: busyShare(background, cpuBefore),
        check,
      }
      return { run, results, realStart, url }
    })
  } catch (error) {
    pool.kill()
    throw error
  }
}

async function runLag(
  databases: ScratchDatabases,
  serverUrl: string,
  files: BenchFiles,
  policy: Policy,
): Promise<LagRun> {
  const count = LAG_RATE_PER_SECOND * LAG_SECONDS
  const interval = 1000 / LAG_RATE_PER_SECOND
  const live = buildLiveLeads(
    policy,
    'lag',
    Array.from({ length: count }, (_, index) => SIM_START + Math.round(index * interval)),
  )
  log(
    `Lag run: 1 worker process; ${formatCount(count)} steps come due at ${LAG_RATE_PER_SECOND}/s for ${LAG_SECONDS} s`,
  )
  const { run, results, url } = await runWorkers(
    databases,
    serverUrl,
    files,
    'lag',
    live,
    1,
    1_000,
    LAG_SECONDS * 1000 + LAG_GRACE_MS,
  )
  const recordedLags = await withClient(url, async (client) =>
    (
      await client.query<{ lag: string }>(
        `select fired_lag_ms as lag from sla_timers where state = 'fired'`,
      )
    ).rows.map((row) => Number(row.lag)),
  )
  await databases.drop('lag')
  const commitLags = results.flatMap((result) =>
    result.firedKeys.map(
      (key, index) =>
        (result.committedAt[index] ?? Number.NaN) - (live.dueSteps.get(key) ?? Number.NaN),
    ),
  )
  return {
    ...run,
    ratePerSecond: LAG_RATE_PER_SECOND,
    dueSeconds: LAG_SECONDS,
    commitLagMs: summarize(commitLags),
    recordedLagMs: summarize(recordedLags),
  }
}

async function runDrain(
  databases: ScratchDatabases,
  serverUrl: string,
  files: BenchFiles,
  live: LiveLeads,
  workers: number,
  repetition: number,
): Promise<DrainRun> {
  const name = `drain${workers}_${repetition}`
  log(
    `Drain run ${repetition}: ${workers} worker process(es), ${formatCount(live.count)} steps already due`,
  )
  const { run } = await runWorkers(
    databases,
    serverUrl,
    files,
    name,
    live,
    workers,
    0,
    DRAIN_TIMEOUT_MS,
  )
  await databases.drop(name)
  return { ...run, repetition, backlog: live.count, stepsPerSecond: run.fired / run.seconds }
}

function ms(value: number): string {
  return `${Math.round(value)} ms`
}

function perStepLine(perStep: PerStep): string {
  return `${perStep.statements.toFixed(1)} SQL statements (${perStep.statementWaitMs.toFixed(2)} ms waiting on them), CPU ${perStep.workerCpuMs.toFixed(2)} ms worker + ${perStep.postgresCpuMs.toFixed(2)} ms PostgreSQL backend`
}

function printRunDetails(run: WorkerRun): void {
  log(`    per step: ${perStepLine(run.perStep)}`)
  log(
    `    machine CPU busy ${percent(run.machineBusy)} during the run (other processes ${percent(run.otherBusy)}), ${percent(run.backgroundBusy)} just before it; ${run.rounds} rounds, ${run.errors} errors`,
  )
  for (const sample of Object.values(run.errorSamples)) {
    log(`    error: ${sample}`)
  }
  log(`    exactly once: ${describeCheck(run.check)}`)
}

function printLag(lag: LagRun): void {
  const columns = (values: readonly string[]): string =>
    values.map((value) => value.padStart(10)).join('')
  const row = (label: string, summary: LagSummary): string =>
    `  ${label.padEnd(34)}${columns([summary.p50, summary.p95, summary.p99, summary.max].map(ms))}`
  log('')
  log(
    `Firing lag, 1 worker, ${LAG_RATE_PER_SECOND} steps/s due for ${LAG_SECONDS} s (${formatCount(lag.check.due)} steps, ${formatCount(OPEN_CLOCKS)} open clocks):`,
  )
  log(`  ${''.padEnd(34)}${columns(['p50', 'p95', 'p99', 'max'])}`)
  log(row('due → outbox row committed', lag.commitLagMs))
  log(row('due → fired_lag_ms (round commit)', lag.recordedLagMs))
  printRunDetails(lag)
}

/** The fastest completed drain with `workers` processes. */
function bestDrain(drains: readonly DrainRun[], workers: number): DrainRun | undefined {
  return drains
    .filter((drain) => drain.workers === workers && drain.completed)
    .sort((a, b) => b.stepsPerSecond - a.stepsPerSecond)[0]
}

function printDrains(drains: readonly DrainRun[], scaling: number): void {
  log('')
  log(
    `Draining ${formatCount(BACKLOG)} due steps (batch ${BATCH_SIZE}, ${formatCount(OPEN_CLOCKS)} open clocks, ${cpus().length} CPUs), runs in the order made:`,
  )
  log(
    '  workers  run   seconds   steps/s   CPU ms/step (worker + PostgreSQL)   other processes   fired per worker',
  )
  for (const drain of drains) {
    const cpu = drain.perStep.workerCpuMs + drain.perStep.postgresCpuMs
    log(
      `  ${String(drain.workers).padStart(7)} ${String(drain.repetition).padStart(4)} ${drain.seconds.toFixed(1).padStart(9)} ${formatCount(drain.stepsPerSecond).padStart(9)}   ${`${cpu.toFixed(2)} (${drain.perStep.workerCpuMs.toFixed(2)} + ${drain.perStep.postgresCpuMs.toFixed(2)})`.padEnd(34)}${percent(drain.otherBusy).padStart(15)}   ${Object.values(drain.firedPerWorker).join(' / ')}${drain.completed ? '' : '  (timed out)'}`,
    )
  }
  const one = bestDrain(drains, 1)
  const two = bestDrain(drains, 2)
  log(
    `  best: one worker ${formatCount(one?.stepsPerSecond ?? Number.NaN)} steps/s, two workers ${formatCount(two?.stepsPerSecond ?? Number.NaN)} steps/s: ${scaling.toFixed(2)}x`,
  )
  if (one) {
    const cpu = one.perStep.workerCpuMs + one.perStep.postgresCpuMs
    const ceiling = (cpus().length * 1000) / cpu
    log(
      `  CPU ceiling: ${cpus().length} CPUs / ${cpu.toFixed(2)} ms CPU per step (best one-worker run) ≈ ${formatCount(ceiling)} steps/s on this machine if nothing else ran, ${(ceiling / one.stepsPerSecond).toFixed(2)}x one worker; N workers on N cores (worker and backend CPU included) ≈ N × ${formatCount(1000 / cpu)} steps/s`,
    )
  }
  for (const drain of drains) {
    log(`  ${drain.workers} worker(s), run ${drain.repetition}:`)
    printRunDetails(drain)
  }
}

export async function runBench(): Promise<BenchTarget[]> {
  const serverUrl = process.env.LEADCLOCK_BENCH_POSTGRES_URL
  if (!serverUrl) {
    log(
      'skipped: set LEADCLOCK_BENCH_POSTGRES_URL to a PostgreSQL server URL whose role may CREATE DATABASE',
    )
    return []
  }
  // The policy and roster as they are now: other processes may edit the files during the run.
  const snapshot = await mkdtemp(join(tmpdir(), 'leadclock-escalation-bench-'))
  const files: BenchFiles = {
    policyPath: join(snapshot, 'policy.yaml'),
    rosterPath: join(snapshot, 'roster.yaml'),
  }
  await copyFile(process.env.LEADCLOCK_POLICY || defaultPolicyPath(), files.policyPath)
  await copyFile(
    process.env.LEADCLOCK_ROSTER || packageFilePath('roster', 'default-roster.yaml'),
    files.rosterPath,
  )
  const loaded = await loadPolicyFile(files.policyPath)
  if (!loaded.ok) {
    await rm(snapshot, { recursive: true, force: true })
    throw new Error(`the policy is invalid: ${JSON.stringify(loaded.problems)}`)
  }
  const policy = loaded.policy
  log(
    `Escalation scheduler on PostgreSQL, ${formatCount(OPEN_CLOCKS)} open clocks. Live leads: clones of a Tier-1 demo-request MQL assigned to ${TEMPLATE_OWNER}, ${LIVE_STEP}/${LIVE_STEP_ID} due at the handoff. Worker processes run startEscalationWorker (batch ${BATCH_SIZE}, poll ${POLL_INTERVAL_MS} ms); webhook outbox rows are written, nothing is sent.`,
  )
  const databases = scratchDatabases(serverUrl, `lc_bench_escalation_${process.pid}`)
  try {
    log('Preparing the template database …')
    await prepareTemplate(databases, files)
    const lag = await runLag(databases, serverUrl, files, policy)
    const backlog = buildLiveLeads(
      policy,
      'backlog',
      Array.from({ length: BACKLOG }, (_, index) => SIM_START - BACKLOG + index),
    )
    const drains: DrainRun[] = []
    for (let repetition = 1; repetition <= DRAIN_REPETITIONS; repetition++) {
      for (const workers of WORKER_COUNTS) {
        drains.push(await runDrain(databases, serverUrl, files, backlog, workers, repetition))
      }
    }
    const one = bestDrain(drains, 1)
    const two = bestDrain(drains, 2)
    const scaling = one && two ? two.stepsPerSecond / one.stepsPerSecond : Number.NaN
    const oneCpu = one ? one.perStep.workerCpuMs + one.perStep.postgresCpuMs : Number.NaN
    printLag(lag)
    printDrains(drains, scaling)
    const targets: BenchTarget[] = [
      {
        name: `firing lag p99 <= ${MAX_LAG_P99_MS} ms (due → outbox commit, ${LAG_RATE_PER_SECOND}/s, ${formatCount(OPEN_CLOCKS)} open clocks)`,
        passed: lag.completed && lag.commitLagMs.p99 <= MAX_LAG_P99_MS,
      },
      {
        name: 'every due step fired exactly once (lag and drain runs)',
        passed: [lag, ...drains].every((run) => run.check.exactlyOnce),
      },
      {
        name: `two worker processes >= ${MIN_SCALING}x one (drain of ${formatCount(BACKLOG)}, best of ${DRAIN_REPETITIONS} runs each)`,
        passed: scaling >= MIN_SCALING && drains.every((drain) => drain.completed),
      },
      {
        name: `CPU per fired step (worker + PostgreSQL backend) <= ${MAX_CPU_MS_PER_STEP} ms (best one-worker drain)`,
        passed: oneCpu <= MAX_CPU_MS_PER_STEP,
      },
      {
        name: `SQL statements per fired step <= ${MAX_STATEMENTS_PER_STEP} (every drain)`,
        passed: drains.every((drain) => drain.perStep.statements <= MAX_STATEMENTS_PER_STEP),
      },
    ]
    await mkdir(new URL('.', RESULTS_FILE), { recursive: true })
    const results = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      settings: {
        openClocks: OPEN_CLOCKS,
        lagRatePerSecond: LAG_RATE_PER_SECOND,
        lagSeconds: LAG_SECONDS,
        backlog: BACKLOG,
        drainRepetitions: DRAIN_REPETITIONS,
        batchSize: BATCH_SIZE,
        pollIntervalMs: POLL_INTERVAL_MS,
      },
      lag,
      drains: Object.fromEntries(
        drains.map((drain) => [`workers-${drain.workers}-run-${drain.repetition}`, drain]),
      ),
      bestStepsPerSecond: {
        oneWorker: one?.stepsPerSecond ?? null,
        twoWorkers: two?.stepsPerSecond ?? null,
      },
      scaling,
      targets,
    }
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`)
    return targets
  } finally {
    await databases.dropAll()
    await rm(snapshot, { recursive: true, force: true })
  }
}

// Runs on its own too: `node dist-bench/bench/escalation-bench.js`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const targets = await runBench()
  if (targets.length > 0) {
    log('')
  }
  for (const { name, passed } of targets) {
    log(`${passed ? 'PASS' : 'FAIL'}  ${name}`)
  }
  process.exitCode = targets.every((target) => target.passed) ? 0 : 1
}
