import { describe, expect, it } from 'vitest'
import { createBusinessCalendar } from './business-calendar.js'
import {
  clockElapsed,
  clockReachesAt,
  clockThresholdInstants,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
} from './sla-clock.js'
import { newYorkSales } from './sample-calendars.js'

const HOUR = 3_600_000
const at = (isoWithOffset: string): number => Date.parse(isoWithOffset)
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

describe('SLA clock on the New York sales calendar', () => {
  const calendar = createBusinessCalendar(newYorkSales)
  // Runs Tue 09:00–11:00, paused overnight, resumed Wed 17:00, stopped Thu 09:30 (all EST)
  const started = startClock('ny-sales', at('2026-03-03T09:00:00-05:00'))
  const paused = pauseClock(started, at('2026-03-03T11:00:00-05:00'))
  const resumed = resumeClock(paused, at('2026-03-04T17:00:00-05:00'))
  const stopped = stopClock(resumed, at('2026-03-05T09:30:00-05:00'))

  it('records runs as immutable values', () => {
    expect(stopped).toEqual({
      calendarId: 'ny-sales',
      runs: [
        { start: at('2026-03-03T09:00:00-05:00'), end: at('2026-03-03T11:00:00-05:00') },
        { start: at('2026-03-04T17:00:00-05:00'), end: at('2026-03-05T09:30:00-05:00') },
      ],
      stoppedAt: at('2026-03-05T09:30:00-05:00'),
    })
    expect(started.runs).toEqual([{ start: at('2026-03-03T09:00:00-05:00') }])
    expect(Object.isFrozen(stopped)).toBe(true)
    expect(Object.isFrozen(stopped.runs)).toBe(true)
  })

  it('counts business time over its runs up to now', () => {
    // 2 h Tuesday + 1 h Wednesday + 1.5 h Thursday
    expect(clockElapsed(stopped, calendar, at('2026-03-06T12:00:00-05:00'))).toBe(4.5 * HOUR)
    // Runs are clipped at now
    expect(clockElapsed(stopped, calendar, at('2026-03-03T10:00:00-05:00'))).toBe(HOUR)
    expect(clockElapsed(resumed, calendar, at('2026-03-05T08:30:00-05:00'))).toBe(3.5 * HOUR)
    expect(clockElapsed(started, calendar, at('2026-03-03T08:00:00-05:00'))).toBe(0)
  })

  it('gives the instants a running clock reaches its thresholds', () => {
    const instants = clockThresholdInstants(resumed, calendar, {
      escalation: HOUR,
      target: 3 * HOUR,
      breach: 4 * HOUR,
    })
    expect({
      escalation: iso(instants.escalation ?? null),
      target: iso(instants.target ?? null),
      breach: iso(instants.breach ?? null),
    }).toEqual({
      // Reached during the first run: Tue 10:00 EST
      escalation: '2026-03-03T15:00:00.000Z',
      // 2 h + 1 h ends at Wed 18:00 exactly, so the target is Thu 08:00 EST
      target: '2026-03-05T13:00:00.000Z',
      // Thu 09:00 EST
      breach: '2026-03-05T14:00:00.000Z',
    })
  })

  it('gives null for a paused or stopped clock that has not exceeded the threshold', () => {
    expect(clockReachesAt(paused, calendar, 3 * HOUR)).toBeNull()
    expect(clockReachesAt(paused, calendar, 2 * HOUR)).toBeNull()
    expect(clockReachesAt(stopped, calendar, 5 * HOUR)).toBeNull()
  })

  it('gives a past instant for a threshold already exceeded', () => {
    expect(iso(clockReachesAt(paused, calendar, HOUR))).toBe('2026-03-03T15:00:00.000Z')
    // Thu 09:00 EST, inside the second run
    expect(iso(clockReachesAt(stopped, calendar, 4 * HOUR))).toBe('2026-03-05T14:00:00.000Z')
  })

  it('counts from the next opening when started after hours', () => {
    const overnight = startClock('ny-sales', at('2026-03-03T19:00:00-05:00'))
    expect(iso(clockReachesAt(overnight, calendar, 30 * 60_000))).toBe('2026-03-04T13:30:00.000Z')
  })

  it('rejects invalid transitions', () => {
    expect(() => pauseClock(paused, at('2026-03-03T12:00:00-05:00'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.INVALID_TRANSITION',
        message: 'cannot pause a paused clock; pause is allowed only when the clock is running',
      }),
    )
    expect(() => resumeClock(started, at('2026-03-03T12:00:00-05:00'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.INVALID_TRANSITION',
        message: 'cannot resume a running clock; resume is allowed only when the clock is paused',
      }),
    )
    expect(() => resumeClock(stopped, at('2026-03-06T12:00:00-05:00'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.INVALID_TRANSITION',
        message: 'cannot resume a stopped clock; resume is allowed only when the clock is paused',
      }),
    )
    expect(() => stopClock(stopped, at('2026-03-06T12:00:00-05:00'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.INVALID_TRANSITION',
        message:
          'cannot stop a stopped clock; stop is allowed only when the clock is running or paused',
      }),
    )
    expect(() => pauseClock(started, at('2026-03-03T08:00:00-05:00'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.INVALID_TRANSITION',
        message:
          'cannot pause the clock at 2026-03-03T13:00:00.000Z, before its last transition at 2026-03-03T14:00:00.000Z; time must not go backwards',
      }),
    )
  })

  it('stops a paused clock without a new run', () => {
    const stoppedWhilePaused = stopClock(paused, at('2026-03-03T15:00:00-05:00'))
    expect(stoppedWhilePaused.runs).toEqual(paused.runs)
    expect(stoppedWhilePaused.stoppedAt).toBe(at('2026-03-03T15:00:00-05:00'))
  })

  it('refuses to measure a clock with another calendar', () => {
    const other = createBusinessCalendar({ ...newYorkSales, id: 'other' })
    expect(() => clockElapsed(started, other, at('2026-03-04T00:00:00Z'))).toThrowError(
      expect.objectContaining({
        code: 'CLOCK.CALENDAR_MISMATCH',
        message:
          'clock runs on calendar "ny-sales" but calendar "other" was given; measure a clock with its own calendar',
      }),
    )
  })

  it('rejects a negative threshold', () => {
    expect(() => clockReachesAt(started, calendar, -1)).toThrowError(
      expect.objectContaining({
        code: 'CALENDAR.INVALID_DURATION',
        message: 'clock threshold -1 is not allowed; use a finite number of milliseconds >= 0',
      }),
    )
  })
})
