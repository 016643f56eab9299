/** Timing HTTP calls from the bench process: latencies, percentiles, a /health poller. */
import { setTimeout as sleep } from 'node:timers/promises'

/** The `fraction` quantile (nearest rank) of `values`; 0 for none. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) {
    return 0
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  return sorted[rank] ?? 0
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5)
}

/** One request, body read to the end; its status, parsed JSON body and milliseconds. */
export async function timedJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now()
  const response = await fetch(url, init)
  const body: unknown = await response.json()
  return { status: response.status, body, ms: performance.now() - started }
}

export interface HealthSample {
  /** When the request was sent (performance.now() of this process). */
  readonly at: number
  readonly ms: number
}

export interface HealthPoller {
  /** Stops polling; every /health answered meanwhile. */
  stop(): Promise<HealthSample[]>
}

/** GET /health every `intervalMs` (from the start of one to the start of the next, or at once). */
export function pollHealth(baseUrl: string, intervalMs = 20): HealthPoller {
  const samples: HealthSample[] = []
  let running = true
  const loop = (async () => {
    while (running) {
      const at = performance.now()
      const { status, ms } = await timedJson(`${baseUrl}/health`)
      if (status !== 200) {
        throw new Error(`GET /health answered ${status}`)
      }
      samples.push({ at, ms })
      await sleep(Math.max(0, intervalMs - ms))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return samples
    },
  }
}

/**
 * The slowest /health that was waiting at some point from `from` to `to` (performance.now()
 * instants of this process); 0 when none was.
 */
export function slowestHealth(
  samples: readonly HealthSample[],
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): number {
  return Math.max(
    0,
    ...samples.filter(({ at, ms }) => at < to && at + ms >= from).map(({ ms }) => ms),
  )
}

export function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}
