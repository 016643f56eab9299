/** The period a report covers: instants `from` (inclusive) to `to` (exclusive), epoch ms. */
export interface ReportWindow {
  readonly from: number
  readonly to: number
}

/** No bounds: everything recorded. */
export const ALL_TIME: ReportWindow = {
  from: Number.NEGATIVE_INFINITY,
  to: Number.POSITIVE_INFINITY,
}

export function isWithin(window: ReportWindow, at: number): boolean {
  return at >= window.from && at < window.to
}

/** The instant a report reads the facts as of: the period's end, or now while it runs. */
export function asOfInstant(window: ReportWindow, now: number): number {
  return Math.min(window.to, now)
}
