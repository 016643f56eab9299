export { createBusinessCalendar } from './business-calendar.js'
export type { BusinessCalendar } from './business-calendar.js'
export { checkCalendarDefinition, WEEKDAYS } from './calendar-definition.js'
export type {
  CalendarDefinition,
  CalendarProblem,
  Closure,
  HolidaySelection,
  OpeningInterval,
  Weekday,
} from './calendar-definition.js'
export { CalendarError } from './calendar-error.js'
export type { CalendarErrorCode } from './calendar-error.js'
export { responseDeadline } from './response-deadline.js'
export type { ResponseWindow } from './response-deadline.js'
export {
  clockElapsed,
  clockReachesAt,
  clockThresholdInstants,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
} from './sla-clock.js'
export type { ClockRun, SlaClock } from './sla-clock.js'
