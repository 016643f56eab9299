/**
 * The escalation scheduler across real processes (fixtures/escalation-worker-process.ts, a
 * `leadclock worker` on a fixed clock):
 *
 * - "kill -9 a worker at 20 random points during a run with thousands of due steps, then restart:
 *   every step fired exactly once, none lost", on every dialect (a PGlite folder, a PostgreSQL
 *   database);
 * - "4 worker processes on one PostgreSQL: no step fired twice".
 *
 * What must fire comes from the pure planner (fixtures/escalation-scenario.ts): every step of each
 * lead's plan due by the clock, plus the root-cause-overdue step a critical breach brings, plus one
 * repeat-offender flag per SDR. Fired once means: one fired timer, one escalation event and one
 * outbox row per step and channel — none missing, none extra — and no worker ever appended, or
 * found already appended, an escalation event for a step another transaction had fired.
 *
 * The tests run concurrently: each has a store of its own, and most of their time is spent
 * starting worker processes one after another.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { loadDefaultPolicy } from '../../src/domain/test-support.js'
import { createRandom } from '../../src/sample/random.js'
import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'
import { childProgram } from './child-programs.js'
import type { Dialect } from './dialects.js'
import { DIALECTS, migratedPgliteDump, removeDir, scratchPostgres, tempDir } from './dialects.js'
import type { Expectation, FiringOutcome } from './fixtures/escalation-scenario.js'
import {
  expectedFirings,
  FIRING_NOW,
  readFiringOutcome,
  scenarioEvents,
  seedScenario,
} from './fixtures/escalation-scenario.js'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const policy = loadDefaultPolicy()
/** Timers a worker claims per transaction. */
const BATCH = 20
const KILLS = 20
/** 250 leads × 8 steps: 2,000 due steps (a PGlite child takes 5–7 s to start, 21 times). */
const KILL_TEST_LEADS = 250
/** 300 leads × 8 steps: 2,400 due steps for four workers to share. */
const SHARED_TEST_LEADS = 300
/** Enough for batches of four workers to overlap on leads and reps. */
const DEADLOCK_TEST_LEADS = 40
const WORKERS = 4
/** "Thousands of due steps". */
const THOUSANDS = 2_000

/** What one transaction of a worker committed, as the worker reported it. */
interface Committed {
  readonly claimed: number
  readonly fired: readonly string[]
  readonly duplicates: readonly string[]
  readonly skipped: readonly string[]
}

interface WorkerRun {
  /** SIGKILLed by the test (false: it ran until nothing was due). */
  readonly killed: boolean
  /** Killed after a transaction had claimed timers and before it committed. */
  readonly killedMidTransaction: boolean
  readonly commits: readonly Committed[]
  readonly done: { readonly fired: number; readonly errors: number } | null
  readonly stderr: string
}

interface WorkerControl {
  /** Kill once the worker has reported this many fired steps, `killDelayMs` later. */
  readonly killAfterFired?: number
  readonly killDelayMs?: number
  /** Called once the runtime is open, with a function that lets the loop start. */
  readonly onReady?: (go: () => void) => void
}

/** Runs one worker process until it finishes or the test kills it. */
function runWorker(target: string, control: WorkerControl = {}): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const gated = control.onReady !== undefined
    const child = spawn(
      process.execPath,
      [
        childProgram('test/integration/fixtures/escalation-worker-process.ts'),
        target,
        String(FIRING_NOW),
        String(BATCH),
        ...(gated ? ['--wait-for-go'] : []),
      ],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    )
    // A worker that already stopped reading its stdin is no failure of the test.
    child.stdin.on('error', () => undefined)
    if (!gated) {
      child.stdin.end()
    }
    const commits: Committed[] = []
    let ready = false
    let inTransaction = false
    let done: WorkerRun['done'] = null
    let fired = 0
    let killScheduled = false
    let killed = false
    let exited = false
    let partial = ''
    let stderr = ''
    const scheduleKill = () => {
      if (killScheduled || control.killAfterFired === undefined || fired < control.killAfterFired) {
        return
      }
      killScheduled = true
      setTimeout(() => {
        if (!exited && done === null) {
          killed = child.kill('SIGKILL')
        }
      }, control.killDelayMs ?? 0)
    }
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') {
          ready = true
          control.onReady?.(() => child.stdin.write('go\n'))
        } else if (line.startsWith('claimed ')) {
          inTransaction = true
        } else if (line.startsWith('commit ')) {
          inTransaction = false
          const committed = JSON.parse(line.slice('commit '.length)) as Committed
          commits.push(committed)
          fired += committed.fired.length
        } else if (line.startsWith('done ')) {
          done = JSON.parse(line.slice('done '.length)) as WorkerRun['done']
        }
      }
      if (ready) {
        scheduleKill()
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      exited = true
      if (!ready || (!killed && (code !== 0 || done === null))) {
        reject(new Error(`the worker failed (exit ${code}):\n${stderr}`))
        return
      }
      // A line cut short by the kill was never fully reported: it does not count.
      resolve({ killed, killedMidTransaction: killed && inTransaction, commits, done, stderr })
    })
  })
}

interface ScenarioStore {
  /** What the worker process is given: a PGlite runtime folder or a PostgreSQL URL. */
  readonly target: string
  open(): Promise<Database>
  dispose(): Promise<void>
}

/** An empty store of the dialect that child processes can open (not an in-memory one). */
async function scenarioStore(dialect: Dialect): Promise<ScenarioStore> {
  if (dialect === 'pglite') {
    const dir = await tempDir('scheduler')
    const initialData = await migratedPgliteDump()
    // openRuntime keeps its PGlite database in <dataDir>/pglite.
    return {
      target: dir,
      open: () => createDatabase({ dataDir: join(dir, 'pglite'), initialData }),
      dispose: () => removeDir(dir),
    }
  }
  const scratch = await scratchPostgres({ migrated: true })
  return {
    target: scratch.url,
    open: () => createDatabase({ databaseUrl: scratch.url }),
    dispose: () => scratch.drop(),
  }
}

/** Stores `leads` leads; returns what must fire by FIRING_NOW. */
async function seed(store: ScenarioStore, leads: number): Promise<Expectation> {
  const events = scenarioEvents(leads)
  const database = await store.open()
  try {
    await seedScenario(database, policy, events)
  } finally {
    await database.close()
  }
  return expectedFirings(events, policy, FIRING_NOW)
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort()
}

/** Values that occur more than once. */
function repeated(values: Iterable<string>): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const value of values) {
    if (seen.has(value)) {
      twice.add(value)
    }
    seen.add(value)
  }
  return sorted(twice)
}

function missingFrom(expected: Iterable<string>, actual: ReadonlySet<string>): string[] {
  return sorted([...expected].filter((key) => !actual.has(key)))
}

/** Every expected step fired exactly once in the store, and nothing else fired. */
function expectFiredExactlyOnce(outcome: FiringOutcome, expectation: Expectation): void {
  const expectedKeys = new Set(expectation.steps.keys())

  // Timers: each expected step's timer fired; nothing due is left pending or was skipped.
  const firedTimers = new Set(
    outcome.timers.filter((timer) => timer.state === 'fired').map((timer) => timer.stepKey),
  )
  expect(missingFrom(expectedKeys, firedTimers), 'expected steps whose timer did not fire').toEqual(
    [],
  )
  expect(missingFrom(firedTimers, expectedKeys), 'fired timers nobody expected').toEqual([])
  expect(
    outcome.timers.filter(
      (timer) =>
        timer.state === 'skipped' || (timer.state === 'pending' && timer.dueAt <= FIRING_NOW),
    ),
    'timers due but left pending, or skipped',
  ).toEqual([])

  // Escalation events: one per step, under the step's idempotency key.
  const eventKeys = outcome.firedEvents.map((event) => event.stepKey)
  expect(repeated(eventKeys), 'steps with more than one escalation.fired event').toEqual([])
  expect(
    outcome.firedEvents.filter((event) => event.idempotencyKey !== `escalation:${event.stepKey}`),
  ).toEqual([])
  const stepEvents = new Set(
    outcome.firedEvents
      .filter((event) => event.kind !== 'repeat-offender')
      .map((event) => event.stepKey),
  )
  expect(missingFrom(expectedKeys, stepEvents), 'expected steps without an event').toEqual([])
  expect(missingFrom(stepEvents, expectedKeys), 'escalation events nobody expected').toEqual([])

  // Repeat-offender flags: exactly one per SDR (which of their leads carries it depends on the
  // order the breaches fired in).
  const flagsByRep = new Map<string, number>()
  for (const event of outcome.firedEvents.filter((e) => e.kind === 'repeat-offender')) {
    const rep = [...expectation.flags].find(([, suffix]) => event.stepKey.endsWith(suffix))?.[0]
    flagsByRep.set(rep ?? event.stepKey, (flagsByRep.get(rep ?? event.stepKey) ?? 0) + 1)
  }
  expect(Object.fromEntries(flagsByRep), 'repeat-offender flags per SDR').toEqual(
    Object.fromEntries([...expectation.flags.keys()].map((rep) => [rep, 1])),
  )

  // Outbox: one webhook row per fired step (flags included), none for anything else.
  const perStepAndChannel = outcome.outbox.map((row) => `${row.stepKey} ${row.channel}`)
  expect(repeated(perStepAndChannel), 'steps queued twice on a channel').toEqual([])
  expect(sorted(perStepAndChannel), 'outbox rows: one webhook message per fired step').toEqual(
    sorted(eventKeys.map((key) => `${key} webhook`)),
  )
}

/** What the workers reported: nothing committed twice, nothing found already fired or skipped. */
function expectReportsConsistent(runs: readonly WorkerRun[], expectation: Expectation): string[] {
  const commits = runs.flatMap((run) => run.commits)
  const reported = commits.flatMap((commit) => commit.fired)
  expect(repeated(reported), 'steps two committed transactions both fired').toEqual([])
  expect(
    commits.flatMap((commit) => commit.duplicates),
    'steps a worker tried to fire after another transaction had',
  ).toEqual([])
  expect(
    commits.flatMap((commit) => commit.skipped),
    'timers settled as skipped',
  ).toEqual([])
  const flagSuffixes = [...expectation.flags.values()]
  expect(
    reported.filter(
      (key) => !expectation.steps.has(key) && !flagSuffixes.some((suffix) => key.endsWith(suffix)),
    ),
    'reported steps nobody expected',
  ).toEqual([])
  return reported
}

for (const dialect of DIALECTS) {
  describe(
    `escalation worker processes killed with SIGKILL on ${dialect}`,
    { concurrent: true },
    () => {
      it(
        `fires each of thousands of due steps exactly once across ${KILLS} kill -9s and a restart`,
        { timeout: 600_000 },
        async () => {
          const started = Date.now()
          const store = await scenarioStore(dialect)
          try {
            const expectation = await seed(store, KILL_TEST_LEADS)
            expect(expectation.steps.size).toBeGreaterThanOrEqual(THOUSANDS)
            const seeded = Date.now()
            // Each run is killed 0–300 ms after it has reported 0–2× a sixtieth of the steps fired
            // (commits come 20 at a time): the 20 killed runs fire about half, the last the rest.
            const random = createRandom(20_260_320)
            const meanShare = Math.floor(expectation.steps.size / (3 * KILLS))
            const runs: WorkerRun[] = []
            for (let kill = 1; kill <= KILLS; kill += 1) {
              const run = await runWorker(store.target, {
                killAfterFired: random.int(0, 2 * meanShare),
                killDelayMs: random.int(0, 300),
              })
              expect(run.killed, `run ${kill} ended before it was killed`).toBe(true)
              runs.push(run)
            }
            const last = await runWorker(store.target)
            runs.push(last)
            expect(last.done?.errors, last.stderr).toBe(0)
            const reported = expectReportsConsistent(runs, expectation)
            const database = await store.open()
            let outcome: FiringOutcome
            try {
              outcome = await readFiringOutcome(database)
            } finally {
              await database.close()
            }
            expectFiredExactlyOnce(outcome, expectation)
            const midTransaction = runs.filter((run) => run.killedMidTransaction).length
            console.log(
              `${dialect}: ${expectation.steps.size} steps + ${expectation.flags.size} flags fired; ` +
                `steps reported per run ${runs.map((run) => run.commits.flatMap((c) => c.fired).length).join(', ')}; ` +
                `${midTransaction} of ${KILLS} kills mid-transaction; ` +
                `${outcome.firedEvents.length - reported.length} committed but unreported at a kill; ` +
                `seed ${seeded - started} ms, worker runs ${Date.now() - seeded} ms`,
            )
            // The worker is busy all the time it has work: most kills land inside a transaction.
            expect(midTransaction).toBeGreaterThanOrEqual(KILLS / 2)
          } finally {
            await store.dispose()
          }
        },
      )
    },
  )
}

/** Starts `WORKERS` worker processes on the store; their loops start once all are open. */
function runSharedWorkers(store: ScenarioStore): Promise<WorkerRun[]> {
  const gates: (() => void)[] = []
  const releaseWhenAllReady = (go: () => void) => {
    gates.push(go)
    if (gates.length === WORKERS) {
      gates.forEach((release) => release())
    }
  }
  return Promise.all(
    Array.from({ length: WORKERS }, () =>
      runWorker(store.target, { onReady: releaseWhenAllReady }),
    ),
  )
}

describe.skipIf(!DIALECTS.includes('postgres'))(
  'escalation workers sharing PostgreSQL',
  { concurrent: true },
  () => {
    it(
      `${WORKERS} worker processes fire thousands of due steps, none twice`,
      { timeout: 420_000 },
      async () => {
        const store = await scenarioStore('postgres')
        try {
          const expectation = await seed(store, SHARED_TEST_LEADS)
          expect(expectation.steps.size).toBeGreaterThanOrEqual(THOUSANDS)
          const started = Date.now()
          const runs = await runSharedWorkers(store)
          const reported = expectReportsConsistent(runs, expectation)
          const firedPerWorker = runs.map((run) => run.done?.fired ?? 0)
          console.log(
            `postgres, ${WORKERS} workers: fired ${firedPerWorker.join(' + ')} = ` +
              `${firedPerWorker.reduce((a, b) => a + b, 0)} (${expectation.steps.size} steps + ` +
              `${expectation.flags.size} flags) in ${Date.now() - started} ms; rounds rolled back ` +
              `and retried ${runs.map((run) => run.done?.errors ?? 0).join(', ')}`,
          )
          expect(reported).toHaveLength(expectation.steps.size + expectation.flags.size)
          expect(firedPerWorker.reduce((a, b) => a + b, 0)).toBe(reported.length)
          expect(
            firedPerWorker.filter((fired) => fired > 0).length,
            'workers that fired something',
          ).toBeGreaterThanOrEqual(2)
          const database = await store.open()
          try {
            expectFiredExactlyOnce(await readFiringOutcome(database), expectation)
          } finally {
            await database.close()
          }
        } finally {
          await store.dispose()
        }
      },
    )

    // Workers once deadlocked here: repeat-offender locks taken in whatever order breaches came, and
    // timer upserts waiting on rows another worker had claimed. Each deadlock cost deadlock_timeout
    // (1 s) and a whole batch; sharing the work was slower than one worker. Never again.
    it(
      `${WORKERS} worker processes share the work without rolling back rounds on deadlocks`,
      { timeout: 300_000 },
      async () => {
        const store = await scenarioStore('postgres')
        try {
          const expectation = await seed(store, DEADLOCK_TEST_LEADS)
          const runs = await runSharedWorkers(store)
          expectReportsConsistent(runs, expectation)
          const stderr = runs.map((run) => run.stderr).join('')
          expect(
            runs.map((run) => run.done?.errors),
            `rounds rolled back per worker; first: ${stderr.split('\n')[0] ?? ''}`,
          ).toEqual(runs.map(() => 0))
        } finally {
          await store.dispose()
        }
      },
    )
  },
)
