/** Percentiles, machine CPU use and the exactly-once checks of the escalation bench. */
import { readFileSync } from 'node:fs'

import type pg from 'pg'

import { percentile } from '../../src/reports/escalation-report.js'
import type { WorkerResult } from './protocol.js'

export interface LagSummary {
  readonly count: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

export function summarize(values: readonly number[]): LagSummary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** Clock ticks per second of /proc times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

/** Busy and total CPU time (ms, summed over CPUs) of the whole machine so far (Linux /proc/stat). */
export function machineCpu(): { busyMs: number; totalMs: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const ticks = line.trim().split(/\s+/).slice(1).map(Number)
    const total = ticks.reduce((sum, value) => sum + value, 0)
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
    return {
      busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND,
      totalMs: (total * 1000) / TICKS_PER_SECOND,
    }
  } catch {
    return { busyMs: Number.NaN, totalMs: Number.NaN }
  }
}

/**
 * Share of the machine's CPU capacity in use between two samples (0–1), less `excludeMs` of CPU
 * time (the bench's own processes) when given.
 */
export function busyShare(
  before: { busyMs: number; totalMs: number },
  after: { busyMs: number; totalMs: number },
  excludeMs = 0,
): number {
  const total = after.totalMs - before.totalMs
  return total > 0 ? (after.busyMs - before.busyMs - excludeMs) / total : Number.NaN
}

/** CPU time (ms) used so far by a process, from /proc; undefined when it cannot be read. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return undefined
  }
}

/**
 * CPU time of the PostgreSQL backends serving the workers (application_name 'leadclock') of one
 * database. Needs the server on this machine (and /proc); empty otherwise.
 */
export async function backendCpu(
  client: pg.Client,
  database: string,
): Promise<Map<number, number>> {
  const result = await client.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = $1 and application_name = 'leadclock'`,
    [database],
  )
  const cpu = new Map<number, number>()
  for (const { pid } of result.rows) {
    const ms = processCpuMs(pid)
    if (ms !== undefined) {
      cpu.set(pid, ms)
    }
  }
  return cpu
}

/** CPU ms the backends used between two samples (a backend new in `after` counts from zero). */
export function backendCpuUsed(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let used = 0
  for (const [pid, ms] of after) {
    used += ms - (before.get(pid) ?? 0)
  }
  return used
}

/** What the database and the workers say was fired, against the steps that were due. */
export interface FiringCheck {
  readonly due: number
  readonly firedTimers: number
  readonly firedEvents: number
  readonly distinctFiredEventKeys: number
  readonly outboxRows: number
  readonly distinctOutboxSteps: number
  readonly reportedByWorkers: number
  readonly distinctReportedByWorkers: number
  /** Due steps whose timer is still pending, or was settled some other way than fired. */
  readonly dueNotFired: number
  /** Fired timers and escalation events for steps the bench did not expect to be due. */
  readonly unexpected: number
  readonly idleTimersTouched: number
  readonly exactlyOnce: boolean
}

async function countOf(client: pg.Client, query: string, params: unknown[] = []): Promise<number> {
  const result = await client.query<{ count: string }>(query, params)
  return Number(result.rows[0]?.count ?? Number.NaN)
}

export async function checkFiring(
  client: pg.Client,
  dueSteps: ReadonlyMap<string, number>,
  results: readonly WorkerResult[],
): Promise<FiringCheck> {
  const dueKeys = [...dueSteps.keys()]
  const reported = results.flatMap((result) => result.firedKeys)
  const firedTimers = await countOf(client, `select count(*) from sla_timers where state = 'fired'`)
  const firedEvents = await countOf(
    client,
    `select count(*) from lead_events where type = 'escalation.fired'`,
  )
  const distinctFiredEventKeys = await countOf(
    client,
    `select count(distinct payload->>'stepKey') from lead_events where type = 'escalation.fired'`,
  )
  const outboxRows = await countOf(client, `select count(*) from notification_outbox`)
  const distinctOutboxSteps = await countOf(
    client,
    `select count(distinct step_key) from notification_outbox`,
  )
  const dueNotFired = await countOf(
    client,
    `select count(*) from sla_timers where step_key = any($1::text[]) and state <> 'fired'`,
    [dueKeys],
  )
  const unexpected =
    (await countOf(
      client,
      `select count(*) from sla_timers where state = 'fired' and not (step_key = any($1::text[]))`,
      [dueKeys],
    )) +
    (await countOf(
      client,
      `select count(*) from lead_events
       where type = 'escalation.fired' and not (payload->>'stepKey' = any($1::text[]))`,
      [dueKeys],
    ))
  const idleTimersTouched = await countOf(
    client,
    `select count(*) from sla_timers where lead_id like 'idle-%' and state <> 'pending'`,
  )
  const due = dueKeys.length
  const reportedByWorkers = reported.length
  const distinctReportedByWorkers = new Set(reported).size
  return {
    due,
    firedTimers,
    firedEvents,
    distinctFiredEventKeys,
    outboxRows,
    distinctOutboxSteps,
    reportedByWorkers,
    distinctReportedByWorkers,
    dueNotFired,
    unexpected,
    idleTimersTouched,
    exactlyOnce:
      [
        firedTimers,
        firedEvents,
        distinctFiredEventKeys,
        outboxRows,
        distinctOutboxSteps,
        reportedByWorkers,
        distinctReportedByWorkers,
      ].every((count) => count === due) &&
      dueNotFired === 0 &&
      unexpected === 0 &&
      idleTimersTouched === 0,
  }
}

export function describeCheck(check: FiringCheck): string {
  return `${check.due} due; fired timers ${check.firedTimers}, escalation.fired events ${check.firedEvents} (${check.distinctFiredEventKeys} distinct step keys), outbox rows ${check.outboxRows} (${check.distinctOutboxSteps} distinct steps), reported by workers ${check.reportedByWorkers} (${check.distinctReportedByWorkers} distinct); due but not fired ${check.dueNotFired}, unexpected ${check.unexpected}, idle timers touched ${check.idleTimersTouched}`
}
