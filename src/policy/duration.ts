/**
 * Durations as the policy writes them: "5 business minutes", "14 business days", "90 days",
 * "6 months". Business durations run in a business calendar; the others are wall-clock time.
 */
export type DurationUnit = 'minute' | 'hour' | 'day' | 'week' | 'month'

export interface PolicyDuration {
  readonly amount: number
  readonly unit: DurationUnit
  readonly business: boolean
}

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s+(business\s+)?(minute|hour|day|week|month)s?$/i

export const DURATION_SYNTAX =
  '"<number> [business] minutes|hours|days|weeks|months", e.g. "5 business minutes" or "90 days"'

export function parseDuration(text: string): PolicyDuration | undefined {
  const match = DURATION_PATTERN.exec(text.trim())
  if (!match) {
    return undefined
  }
  const [, amount, business, unit] = match
  const parsed: PolicyDuration = {
    amount: Number(amount),
    unit: (unit ?? '').toLowerCase() as DurationUnit,
    business: business !== undefined,
  }
  if (parsed.business && (parsed.unit === 'week' || parsed.unit === 'month')) {
    return undefined
  }
  return parsed
}

export function formatDuration(duration: PolicyDuration): string {
  const unit = duration.amount === 1 ? duration.unit : `${duration.unit}s`
  return `${duration.amount} ${duration.business ? 'business ' : ''}${unit}`
}

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/**
 * Length in milliseconds. Business days count as `businessDayMs` each (the calendar's nominal
 * business day); months are 30 days, which is only used for comparisons, never for deadlines.
 */
export function durationMs(duration: PolicyDuration, businessDayMs: number): number {
  const perUnit: Record<DurationUnit, number> = {
    minute: MINUTE_MS,
    hour: HOUR_MS,
    day: duration.business ? businessDayMs : DAY_MS,
    week: 7 * DAY_MS,
    month: 30 * DAY_MS,
  }
  return duration.amount * perUnit[duration.unit]
}
