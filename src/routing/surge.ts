/**
 * Surge detection (policy.surge): a day is a surge day when its MQL count exceeds volumeMultiple
 * × the average daily count over the trailing window (the whole days before `today`; a day
 * missing from the counts had no MQLs). With no MQL in the window there is no baseline, so no
 * surge. During a surge SLAs stretch by slaStretch. Pure.
 */
import { parseLocalDate } from '../calendar/civil-time.js'
import { durationMs } from '../policy/duration.js'
import type { Policy } from '../policy/policy-schema.js'

export interface SurgeStatus {
  readonly active: boolean
  readonly todayCount: number
  readonly trailingAverage: number
  /** todayCount must exceed this for a surge. */
  readonly threshold: number
}

const DAY_MS = 86_400_000

/** `dailyMqlCounts` keys and `today` are local dates 'YYYY-MM-DD'. */
export function surgeStatus(
  dailyMqlCounts: ReadonlyMap<string, number>,
  today: string,
  policy: Policy,
): SurgeStatus {
  const todayDay = parseLocalDate(today)
  if (todayDay === undefined) {
    throw new RangeError(`surgeStatus: "${today}" is not a date YYYY-MM-DD`)
  }
  const windowDays = Math.max(
    1,
    Math.round(durationMs(policy.surge.trailingWindow, DAY_MS) / DAY_MS),
  )
  let total = 0
  for (let day = todayDay - windowDays; day < todayDay; day += 1) {
    total += dailyMqlCounts.get(dateText(day)) ?? 0
  }
  const trailingAverage = total / windowDays
  const threshold = policy.surge.volumeMultiple * trailingAverage
  const todayCount = dailyMqlCounts.get(today) ?? 0
  return { active: total > 0 && todayCount > threshold, todayCount, trailingAverage, threshold }
}

/** A duration as it runs during a surge. */
export function stretchDuration(durationMs: number, policy: Policy): number {
  return durationMs * policy.surge.slaStretch
}

function dateText(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10)
}
