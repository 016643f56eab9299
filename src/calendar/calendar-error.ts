/** Stable codes: callers branch on these, so they never change meaning. */
export type CalendarErrorCode =
  | 'CALENDAR.INVALID_ID'
  | 'CALENDAR.UNKNOWN_TIME_ZONE'
  | 'CALENDAR.UNKNOWN_WEEKDAY'
  | 'CALENDAR.INVALID_TIME'
  | 'CALENDAR.END_BEFORE_START'
  | 'CALENDAR.OVERLAPPING_HOURS'
  | 'CALENDAR.EMPTY_WEEK'
  | 'CALENDAR.UNKNOWN_HOLIDAY_REGION'
  | 'CALENDAR.UNKNOWN_HOLIDAY_TYPE'
  | 'CALENDAR.INVALID_DATE'
  | 'CALENDAR.INVALID_INSTANT'
  | 'CALENDAR.INVALID_DURATION'
  | 'CALENDAR.OUT_OF_RANGE'
  | 'CLOCK.INVALID_TRANSITION'
  | 'CLOCK.CALENDAR_MISMATCH'

export class CalendarError extends Error {
  override readonly name = 'CalendarError'

  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Throws CALENDAR.INVALID_DURATION unless `ms` is a finite duration >= 0; `what` names it. */
export function assertDuration(ms: number, what: string): void {
  if (!(ms >= 0 && ms < Infinity)) {
    throw new CalendarError(
      'CALENDAR.INVALID_DURATION',
      `${what} ${ms} is not allowed; use a finite number of milliseconds >= 0`,
    )
  }
}
