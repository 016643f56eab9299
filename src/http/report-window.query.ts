/**
 * The date query parameters every route shares: `from` (inclusive) and `to` (exclusive), each in
 * the forms of `instantQuerySchema` (ISO 8601 with an offset, a date as 00:00 UTC, or epoch ms).
 */
import { instantQuerySchema } from '../domain/instant.js'
import type { ReportWindow } from '../reports/report-window.js'

export const windowQuery = {
  from: instantQuerySchema.optional(),
  to: instantQuerySchema.optional(),
}

/** `to` defaults to now; `from` to `defaultSpanMs` before `to`, or unbounded. */
export function reportWindow(
  query: { readonly from?: number | undefined; readonly to?: number | undefined },
  now: number,
  defaultSpanMs?: number,
): ReportWindow {
  const to = query.to ?? now
  const from =
    query.from ?? (defaultSpanMs === undefined ? Number.NEGATIVE_INFINITY : to - defaultSpanMs)
  return { from, to }
}

/** The window as a report states it: `from` null when unbounded. */
export function echoOf(window: ReportWindow): { from: number | null; to: number } {
  return { from: Number.isFinite(window.from) ? window.from : null, to: window.to }
}
