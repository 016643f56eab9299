/** What run-all.ts expects from every `*-bench.ts` module in this folder. */
export interface BenchModule {
  runBench(): Promise<BenchTarget[]>
}

export interface BenchTarget {
  name: string
  passed: boolean
}

/** mulberry32: a small seeded PRNG, so every run measures the same inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296
  }
}

let checksum = 0

/**
 * Operations per second of `pass`, which performs `operationCount` operations and returns a value
 * derived from their results (kept, so the work cannot be optimised away). One warm-up pass, then
 * the median of `repetitions` timed passes.
 */
export function measureOpsPerSecond(
  operationCount: number,
  pass: () => number,
  repetitions: number,
): number {
  checksum += pass()
  const rates: number[] = []
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const started = performance.now()
    checksum += pass()
    const seconds = (performance.now() - started) / 1000
    rates.push(operationCount / seconds)
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)] ?? 0
}

/** Accumulated results of all measured passes; printing it keeps the measured work observable. */
export function measurementChecksum(): number {
  return checksum
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}
