/**
 * A small seeded PRNG (mulberry32) with the draws the sample generator needs. Same seed, same
 * sequence: the sample data is reproducible without Math.random.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number
  /** Uniform in [min, max). */
  between(min: number, max: number): number
  chance(probability: number): boolean
  pick<T>(items: readonly T[]): T
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T
  /** Log-normal with the given median; `spread` is the sigma of the underlying normal. */
  logNormal(median: number, spread: number): number
  /** A fresh generator seeded from this one: independent streams for independent parts. */
  fork(): Random
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) {
        throw new Error('pick from an empty list')
      }
      return item
    },
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0)
      let roll = next() * total
      for (const [item, weight] of entries) {
        roll -= Math.max(0, weight)
        if (roll < 0) {
          return item
        }
      }
      const last = entries.at(-1)
      if (last === undefined) {
        throw new Error('weighted pick from an empty list')
      }
      return last[0]
    },
    logNormal: (median, spread) => {
      // Box–Muller; 1 - next() keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
      return median * Math.exp(spread * normal)
    },
    fork: () => createRandom(Math.floor(next() * 4_294_967_296)),
  }
  return random
}
