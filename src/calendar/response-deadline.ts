import type { BusinessCalendar } from './business-calendar.js'

/** How long a first response may take, as a policy states it. */
export type ResponseWindow =
  /** e.g. 5 minutes of business time. */
  | { kind: 'business-duration'; durationMs: number }
  /** e.g. "within 30 min of next business day open": business time counted from the next opening. */
  | { kind: 'after-next-open'; durationMs: number }
  /** e.g. "first attempt by 10am next business day" (see BusinessCalendar.nextBusinessDayAt). */
  | { kind: 'next-business-day-at'; localTime: string }

/** The response deadline for a lead: `inHours` applies when the calendar is open at receipt. */
export function responseDeadline(
  calendar: BusinessCalendar,
  receivedAt: number,
  inHours: ResponseWindow,
  afterHours: ResponseWindow,
): number {
  const window = calendar.isOpen(receivedAt) ? inHours : afterHours
  switch (window.kind) {
    // Both count business time from the next opening: add() starts there when received closed.
    case 'business-duration':
    case 'after-next-open':
      return calendar.add(receivedAt, window.durationMs)
    case 'next-business-day-at':
      return calendar.nextBusinessDayAt(receivedAt, window.localTime)
  }
}
