import { zoneOffsetsOf } from './zone-offsets.js'

/** Local (wall-clock) dates are handled as epoch days: whole days since 1970-01-01. */
const MS_PER_DAY = 86_400_000
const MS_PER_MINUTE = 60_000
const MINUTES_PER_DAY = 1440

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/

interface CivilDate {
  year: number
  month: number
  day: number
}

export interface LocalDateTime {
  epochDay: number
  minuteOfDay: number
}

/**
 * Minutes after local midnight for 'HH:MM', or undefined when malformed.
 * '24:00' (the end of the day) is accepted only where an end of day makes sense.
 */
export function parseClockTime(text: string, allowEndOfDay: boolean): number | undefined {
  if (allowEndOfDay && text === '24:00') {
    return MINUTES_PER_DAY
  }
  const match = CLOCK_TIME.exec(text)
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined
}

/** Epoch day of a real calendar date 'YYYY-MM-DD', or undefined (rejects e.g. 2026-02-30). */
export function parseLocalDate(text: string): number | undefined {
  const match = LOCAL_DATE.exec(text)
  if (!match) {
    return undefined
  }
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
  const epochDay = epochDayOf(date)
  const roundTrip = civilDateOf(epochDay)
  const isRealDate =
    roundTrip.year === date.year && roundTrip.month === date.month && roundTrip.day === date.day
  return isRealDate ? epochDay : undefined
}

/** 'YYYY-MM-DDTHH:MM', or undefined when malformed. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const match = LOCAL_DATE_TIME.exec(text)
  const epochDay = match ? parseLocalDate(match[1] ?? '') : undefined
  const minuteOfDay = match ? parseClockTime(match[2] ?? '', false) : undefined
  return epochDay === undefined || minuteOfDay === undefined ? undefined : { epochDay, minuteOfDay }
}

export function epochDayOf({ year, month, day }: CivilDate): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY
}

function civilDateOf(epochDay: number): CivilDate {
  const date = new Date(epochDay * MS_PER_DAY)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndexOf(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7
}

/**
 * The instant of a local wall time in `timeZone`: a time inside a spring-forward gap moves forward
 * by the gap, an ambiguous fall-back time takes the later offset (`ZoneOffsets.instantOfLocal`).
 * `minuteOfDay` 1440 ('24:00') is the next day's midnight.
 */
export function instantOfLocalTime(
  timeZone: string,
  epochDay: number,
  minuteOfDay: number,
): number {
  return zoneOffsetsOf(timeZone).instantOfLocal(epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE)
}

/** An epoch-ms instant a Date (and Luxon) can represent: finite and within ±8.64e15. */
export function isValidInstant(t: number): boolean {
  return !Number.isNaN(new Date(t).getTime())
}

/** An instant for messages: ISO when valid, the raw number otherwise. */
export function describeInstant(t: number): string {
  return isValidInstant(t) ? new Date(t).toISOString() : String(t)
}

/** The local calendar year containing instant `t` in `timeZone`. */
export function localYearOf(timeZone: string, t: number): number {
  return new Date(zoneOffsetsOf(timeZone).localOf(t)).getUTCFullYear()
}
