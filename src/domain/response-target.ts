/**
 * The first-attempt deadline of a response tier (section 04): the in-hours window when the
 * calendar is open at the start, else the tier's after-hours rule. The one place that decides a
 * response deadline: routing's "first attempt due", the SLA clock view and the escalation plan
 * all call it. Pure.
 */
import type { BusinessCalendar, ResponseWindow } from '../calendar/index.js'
import { responseDeadline } from '../calendar/index.js'
import { durationMs } from '../policy/duration.js'
import type { PolicyDuration } from '../policy/duration.js'
import type { Policy } from '../policy/policy-schema.js'

export type ResponseTierPolicy = Policy['responseTiers'][string]

/**
 * When the first attempt is due for a lead whose response clock starts at `at` in `calendar`;
 * durations are multiplied by `stretch` (a surge), "by HH:MM next business day" cannot stretch.
 */
export function firstAttemptDeadline(
  tier: ResponseTierPolicy,
  calendar: BusinessCalendar,
  wallClock: BusinessCalendar,
  at: number,
  stretch: number,
): number {
  const { firstAttempt, afterHours } = tier
  const stretchedMs = (duration: PolicyDuration): number =>
    durationMs(duration, calendar.businessDayMs) * stretch
  if (!firstAttempt.business && calendar.isOpen(at)) {
    return wallClock.add(at, stretchedMs(firstAttempt))
  }
  const inHours: ResponseWindow = {
    kind: 'business-duration',
    durationMs: stretchedMs(firstAttempt),
  }
  const outOfHours: ResponseWindow =
    afterHours.kind === 'next-business-day-at'
      ? afterHours
      : { kind: 'after-next-open', durationMs: stretchedMs(afterHours.duration) }
  return responseDeadline(calendar, at, inHours, outOfHours)
}
