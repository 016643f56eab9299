import { describe, expect, it } from 'vitest'

import {
  clockCalendar,
  createCalendarSet,
  prospectCalendar,
  withOwnerCalendars,
} from './clock-calendars.js'
import { replayLead } from './lifecycle/engine.js'
import { loadDefaultPolicy, sqlEvents } from './test-support.js'

const policy = loadDefaultPolicy()

describe('prospectCalendar', () => {
  it.each([
    ['a mapped zone wins over the country', { country: 'US', timeZone: 'Europe/Dublin' }, 'uk'],
    [
      'the calendar in exactly that zone',
      { country: 'US', timeZone: 'America/Los_Angeles' },
      'us-west',
    ],
    ['a non-US zone without a country', { timeZone: 'Europe/Berlin' }, 'dach'],
    ['a US zone listed in byTimeZone', { timeZone: 'America/Denver' }, 'us-central'],
    ['the country when no zone is known', { country: 'IN' }, 'india'],
    ['the policy default for a lead with neither', {}, 'us-east'],
  ])('%s', (_name, profile, calendarId) => {
    expect(prospectCalendar(policy, profile)).toEqual({ calendarId })
  })

  it.each([
    [
      { country: 'US', timeZone: 'America/Gotham' },
      'unknown time zone "America/Gotham"; use an IANA zone such as "Europe/London"',
    ],
    [
      { country: 'JP', timeZone: 'Asia/Tokyo' },
      'no business calendar for time zone "Asia/Tokyo"; add it to calendarSelection.byTimeZone',
    ],
    [
      { country: 'BR' },
      'no business calendar for country "BR"; add it to calendarSelection.byCountry',
    ],
  ])('refuses to guess for %j', (profile, problem) => {
    expect(prospectCalendar(policy, profile)).toEqual({ problem })
  })
})

describe('clockCalendar', () => {
  const { state } = replayLead(sqlEvents(), policy)
  const lead = state!
  const calendars = createCalendarSet(policy)

  it('runs owner clocks in the owner’s roster calendar: the AE for AE items, the SDR otherwise', () => {
    const team = withOwnerCalendars(calendars, [
      { id: 'ae-omar', calendarId: 'uk' },
      { id: 'sdr-ana', calendarId: 'us-central' },
    ])
    expect(clockCalendar(policy, team, 'owner', 'ae', lead)).toEqual({ calendarId: 'uk' })
    expect(clockCalendar(policy, team, 'owner', 'sdr', lead)).toEqual({ calendarId: 'us-central' })
    expect(clockCalendar(policy, team, 'dach', 'ae', lead)).toEqual({ calendarId: 'dach' })
  })

  it('uses the prospect’s calendar without a roster, and refuses an owner the roster lacks', () => {
    expect(clockCalendar(policy, calendars, 'owner', 'ae', lead)).toEqual({ calendarId: 'us-east' })
    const team = withOwnerCalendars(calendars, [{ id: 'sdr-ana', calendarId: 'us-east' }])
    expect(clockCalendar(policy, team, 'owner', 'ae', lead)).toEqual({
      problem: 'owner "ae-omar" is not in the roster, so their working hours are unknown',
    })
  })
})
