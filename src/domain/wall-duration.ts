import type { PolicyDuration } from '../policy/duration.js'
import { durationMs } from '../policy/duration.js'

const DAY_MS = 86_400_000

/** Adds a wall-clock duration; months are calendar months (UTC). */
export function addWallDuration(instant: number, duration: PolicyDuration): number {
  if (duration.unit === 'month') {
    const date = new Date(instant)
    date.setUTCMonth(date.getUTCMonth() + duration.amount)
    return date.getTime()
  }
  return instant + durationMs(duration, DAY_MS)
}
