/** How the dashboard writes times and durations: the viewer's zone first, the lead's beside it. */

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The viewer's own zone, as the browser knows it. */
export const VIEWER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

function inZone(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(instant))
}

/** e.g. "Tue 3 Mar, 14:10 UTC"; with the lead's zone when it differs: "… (lead: 09:10 EST)". */
export function instantText(instant: string | null, leadZone: string): string {
  if (instant === null) {
    return '—'
  }
  const viewer = inZone(instant, VIEWER_ZONE)
  if (leadZone === VIEWER_ZONE) {
    return viewer
  }
  return `${viewer} (lead: ${inZone(instant, leadZone)})`
}

/** How a clock counts (GET /clocks `measure`): business time in a calendar, or the wall clock. */
export type Measure = 'business' | 'wall-clock'

/** "12 business minutes", "3 business hours 5 min"; "12 minutes" on the wall clock. */
export function duration(ms: number, measure: Measure): string {
  const kind = measure === 'business' ? 'business ' : ''
  const minutes = Math.round(Math.abs(ms) / MINUTE)
  if (minutes < 60) {
    return `${minutes} ${kind}minute${minutes === 1 ? '' : 's'}`
  }
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const hourText = `${hours} ${kind}hour${hours === 1 ? '' : 's'}`
  return rest === 0 ? hourText : `${hourText} ${rest} min`
}

/** "12 business minutes left" before `leftMs` runs out, "breached 3 business minutes ago" after. */
export function timeLeftText(
  leftMs: number | null,
  what: 'target' | 'breach',
  measure: Measure,
): string {
  if (leftMs === null) {
    return '—'
  }
  if (leftMs > 0) {
    return `${duration(leftMs, measure)} left`
  }
  return `${what === 'breach' ? 'breached' : 'target passed'} ${duration(leftMs, measure)} ago`
}

/** A percentage as the API gives it (already one decimal), or a dash when nothing was measured. */
export const percentText = (value: number | null): string =>
  value === null ? '—' : `${value.toFixed(1)} %`

/** Hours of elapsed business time, for tables. */
export function elapsedText(ms: number): string {
  return ms < HOUR ? `${Math.round(ms / MINUTE)} min` : `${(ms / HOUR).toFixed(1)} h`
}
