/** Live intake as clients send it: events POSTed to /events/batch, several requests in flight. */
import { timedJson } from './http-measure.js'

export const BATCH_SIZE = 100
export const CONCURRENCY = 8

export interface IntakeRun {
  readonly seconds: number
  readonly latencies: readonly number[]
  readonly counts: Readonly<Record<string, number>>
  readonly firstProblem: string | undefined
}

/** Posts the batches in order, `CONCURRENCY` at a time; every outcome is counted by status. */
export async function postBatches(
  baseUrl: string,
  inputs: readonly Record<string, unknown>[],
): Promise<IntakeRun> {
  const batches: string[] = []
  for (let start = 0; start < inputs.length; start += BATCH_SIZE) {
    batches.push(JSON.stringify({ events: inputs.slice(start, start + BATCH_SIZE) }))
  }
  const latencies: number[] = []
  const counts: Record<string, number> = {}
  let firstProblem: string | undefined
  let next = 0
  const client = async (): Promise<void> => {
    for (let index = next++; index < batches.length; index = next++) {
      const { status, body, ms } = await timedJson(`${baseUrl}/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batches[index],
      })
      if (status !== 200) {
        throw new Error(`POST /events/batch answered ${status}: ${JSON.stringify(body)}`)
      }
      latencies.push(ms)
      for (const result of (body as { results: { status: string; problems?: unknown }[] })
        .results) {
        counts[result.status] = (counts[result.status] ?? 0) + 1
        if (result.problems !== undefined) {
          firstProblem ??= JSON.stringify(result.problems)
        }
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  return { seconds: (performance.now() - started) / 1000, latencies, counts, firstProblem }
}
