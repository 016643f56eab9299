const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/**
 * The Standard Webhooks retry schedule: the wait before attempt n + 1 is `DELIVERY_SCHEDULE_MS[n]`,
 * so the first attempt goes out immediately and the tenth about 3 days 5 hours later.
 */
export const DELIVERY_SCHEDULE_MS: readonly number[] = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
]

export const MAX_DELIVERY_ATTEMPTS = DELIVERY_SCHEDULE_MS.length

const JITTER = 0.1

/** A peer's Retry-After is honoured up to the longest scheduled wait, so a bad header cannot park a delivery for months. */
export const MAX_RETRY_AFTER_MS = 24 * HOUR

/**
 * How long to wait before the next attempt, given `attempt` attempts already made (0 = none yet),
 * or null once all `MAX_DELIVERY_ATTEMPTS` have failed: give up, the delivery is dead.
 * The scheduled wait gets ±10 % jitter (`random() = 0.5` gives none); a longer Retry-After wins.
 */
export function nextAttemptDelayMs(
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | null {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`)
  }
  const scheduled = DELIVERY_SCHEDULE_MS[attempt]
  if (scheduled === undefined) {
    return null
  }
  const jittered = Math.round(scheduled * (1 + (random() * 2 - 1) * JITTER))
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) {
    return jittered
  }
  return Math.max(jittered, Math.min(Math.ceil(retryAfterMs), MAX_RETRY_AFTER_MS))
}
