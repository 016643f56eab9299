/**
 * The first `leadclock start` loads a sample and replays its escalation steps in audit mode
 * before it serves or fires anything live. kill -9 at any point of that must not leave history
 * for the live worker: the next start finishes the same sample and its replay, and nobody is
 * notified about the past. Real child processes and real SIGKILLs, at two points: in the middle
 * of the sample load, then (on the start that resumes it) in the middle of the audit replay. The
 * result is compared with the sample generator's figures and with an uninterrupted first start
 * running beside them. A webhook channel is configured (to a port nothing listens on), so that
 * any notification queued stays in the outbox to be counted.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadDefaultPolicy } from '../../src/domain/test-support.js'
import { generateSampleEvents, sampleEndOf } from '../../src/sample/generate-sample.js'
import { STANDARD_SAMPLE } from '../../src/sample/standard-sample.js'
import { createDatabase } from '../../src/store/create-database.js'
import { leadclock, startLeadclock, stopLeadclock } from './cli-process.js'
import { migratedPgliteDump, removeDir, tempDir } from './dialects.js'

/** Enough events (~10 a lead) for a progress line at 5,000 with thousands still to load. */
const SAMPLE_LEADS = 700

const env = {
  DATABASE_URL: '',
  LEADCLOCK_WEBHOOK_URL: 'http://127.0.0.1:9/leadclock',
  LEADCLOCK_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
}

interface FirstStart {
  readonly run: ReturnType<typeof startLeadclock>
  /** The first line (stdout or stderr) matching the one waited for. */
  readonly seen: Promise<string>
  /** Its stdout so far. */
  readonly stdout: () => string
}

/** The last line `start` prints once it serves and its live worker runs. */
const SERVING = 'Press Ctrl+C to stop.'

/** `leadclock start` on `dir`, watched for a line matching `line` (failing if it serves first). */
function startUntil(dir: string, line: RegExp): FirstStart {
  const run = startLeadclock(
    ['start', '--sample-leads', String(SAMPLE_LEADS), '--port', '0', '--data-dir', dir],
    env,
  )
  let stdout = ''
  let stderr = ''
  const seen = new Promise<string>((resolve, reject) => {
    const watch = () => {
      const lines = `${stdout}\n${stderr}`.split('\n')
      const found = lines.find((candidate) => line.test(candidate))
      if (found !== undefined) {
        resolve(found)
      } else if (lines.includes(SERVING)) {
        reject(new Error(`start served before ${line}:\n${stdout}${stderr}`))
      }
    }
    run.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      watch()
    })
    run.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      watch()
    })
    run.on('close', (code) => reject(new Error(`start exited with ${code}:\n${stdout}${stderr}`)))
  })
  return { run, seen, stdout: () => stdout }
}

async function killNow(run: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => run.once('exit', resolve))
  run.kill('SIGKILL')
  await exited
}

/** What a store holds, `historyUntil` being an instant before the start that serves it. */
async function figuresOf(dir: string, historyUntil: number) {
  const database = await createDatabase({ dataDir: join(dir, 'pglite') })
  try {
    const count = async (query: ReturnType<typeof sql<{ n: string | number }>>) =>
      Number((await query.execute(database.db)).rows[0]?.n)
    const firstRun = await sql<{ value: unknown }>`
      select value from settings where key = 'first-run'`.execute(database.db)
    return {
      firstRun: firstRun.rows[0]?.value,
      leads: await count(sql`select count(*) as n from leads`),
      sampleEvents: await count(sql`select count(*) as n from lead_events where source = 'sample'`),
      /** Events the intake rules added (suppressions, duplicate matches). */
      derivedEvents: await count(
        sql`select count(*) as n from lead_events where source <> 'sample' and type <> 'escalation.fired'`,
      ),
      firedSteps: await count(
        sql`select count(*) as n from lead_events where type = 'escalation.fired'`,
      ),
      historyFired: await count(
        sql`select count(*) as n from lead_events where type = 'escalation.fired' and occurred_at <= ${historyUntil}`,
      ),
      /** History the live worker would fire: timers due before the serving start, still pending. */
      historyPending: await count(
        sql`select count(*) as n from sla_timers where state = 'pending' and due_at <= ${historyUntil}`,
      ),
      historyNotifications: await count(
        sql`select count(*) as n from notification_outbox o join escalations e on e.step_key = o.step_key where e.due_at <= ${historyUntil}`,
      ),
    }
  } finally {
    await database.close()
  }
}

/** A runtime folder holding a migrated, empty store (initdb in each child would take seconds). */
async function emptyRuntimeDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix)
  await (
    await createDatabase({ dataDir: join(dir, 'pglite'), initialData: await migratedPgliteDump() })
  ).close()
  return dir
}

describe('the first start’s sample and audit replay, under kill -9', { timeout: 900_000 }, () => {
  let dir: string
  let baselineDir: string
  let baseline: FirstStart & { readonly startedAt: number }
  /** The sample as the generator makes it for the interrupted start's end instant. */
  let expected: { end: number; events: number; leads: number }
  const started: ChildProcess[] = []

  beforeAll(async () => {
    dir = await emptyRuntimeDir('first-run')
    baselineDir = await emptyRuntimeDir('first-run-baseline')
    // The uninterrupted first start runs beside the interrupted ones (the machine has 2 cores).
    baseline = { ...startUntil(baselineDir, /^Press Ctrl\+C to stop\.$/), startedAt: Date.now() }
    started.push(baseline.run)
  })

  afterAll(async () => {
    await Promise.all(started.map(stopLeadclock))
    await Promise.all([removeDir(dir), removeDir(baselineDir)])
  })

  it('kill -9 in the middle of the sample load: serve and worker then refuse the store', async () => {
    const startedAt = Date.now()
    const interrupted = startUntil(dir, /^ {2}… 5000\/\d+ events/)
    started.push(interrupted.run)
    expect(await interrupted.seen).toMatch(/^ {2}… 5000\/\d+ events \(5000 new, 0 duplicates/)
    await killNow(interrupted.run)

    const end = sampleEndOf(startedAt)
    const events = generateSampleEvents({
      ...STANDARD_SAMPLE,
      leads: SAMPLE_LEADS,
      end,
      policy: loadDefaultPolicy(),
    })
    expected = { end, events: events.length, leads: new Set(events.map((e) => e.leadId)).size }
    expect(expected.leads).toBe(SAMPLE_LEADS)

    const figures = await figuresOf(dir, Date.now())
    expect(figures.firstRun).toEqual({
      state: 'loading',
      sample: {
        seed: STANDARD_SAMPLE.seed,
        leads: SAMPLE_LEADS,
        days: STANDARD_SAMPLE.days,
        end: new Date(end).toISOString(),
      },
    })
    // Killed in the middle: some of the sample, none of its replay.
    expect(figures.sampleEvents).toBeGreaterThanOrEqual(5000)
    expect(figures.sampleEvents).toBeLessThan(expected.events)
    expect(figures.firedSteps).toBe(0)

    const refusal =
      'leadclock: the first leadclock start on this store was interrupted before its sample was ready; run leadclock start to finish it (firing escalations now would notify about the sample’s history)'
    for (const command of ['serve', 'worker']) {
      const run = await leadclock([command, '--data-dir', dir], env)
      expect(run).toEqual({ code: 1, stdout: [], stderr: [refusal] })
    }
  })

  it('kill -9 in the middle of the resumed audit replay; the next start finishes the unit and notifies nobody about history', async () => {
    const resumed = startUntil(dir, /^ {2}… \d+ steps fired/)
    started.push(resumed.run)
    await resumed.seen
    await killNow(resumed.run)
    const midReplay = await figuresOf(dir, Date.now())
    expect(midReplay.firstRun).toMatchObject({ state: 'loading' })
    expect(midReplay.sampleEvents).toBe(expected.events)
    expect(midReplay.firedSteps).toBeGreaterThanOrEqual(1000)
    expect(midReplay.historyPending).toBeGreaterThan(0)
    expect(midReplay.historyNotifications).toBe(0)

    const servingFrom = Date.now()
    const finishing = startUntil(dir, /^Press Ctrl\+C to stop\.$/)
    started.push(finishing.run)
    await finishing.seen
    // Stopped after the live worker's first round, which would fire any history left.
    await stopLeadclock(finishing.run)
    expect(finishing.stdout().split('\n')[0]).toBe(
      'The first start was interrupted before its sample was ready; finishing it.',
    )

    const finished = await figuresOf(dir, servingFrom)
    expect(finished.firstRun).toMatchObject({ state: 'completed' })
    expect(finished.leads).toBe(expected.leads)
    expect(finished.sampleEvents).toBe(expected.events)
    expect(finished.historyPending).toBe(0)
    expect(finished.historyNotifications).toBe(0)
  })

  it('leaves the same store as an uninterrupted first start', async () => {
    await baseline.seen
    await stopLeadclock(baseline.run)
    // Both replays fired every step due before either start began.
    const historyUntil = baseline.startedAt
    const [interrupted, uninterrupted] = await Promise.all([
      figuresOf(dir, historyUntil),
      figuresOf(baselineDir, historyUntil),
    ])
    expect(uninterrupted.firstRun).toMatchObject({
      state: 'completed',
      sample: { end: new Date(expected.end).toISOString() },
    })
    expect({ ...interrupted, firedSteps: undefined }).toEqual({
      ...uninterrupted,
      firedSteps: undefined,
    })
    expect(uninterrupted.historyNotifications).toBe(0)
  })
})
