import { describe, expect, it } from 'vitest'

import { replayLead } from './lifecycle/engine.js'
import { localIso, readableInstant, withLocalInstants } from './lead-local-time.js'
import { leadTimeZone } from './lead-time-zone.js'
import { createCalendarSet } from './sla-clock-view.js'
import { IDEAL_PROFILE, leadEvent, loadDefaultPolicy, REFERENCE_TIMESTAMP } from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

function zoneOf(profile: Record<string, unknown>): string {
  const { state } = replayLead(
    [leadEvent('z', 'lead.created', { profile, source: 'demo-request' }, REFERENCE_TIMESTAMP)],
    policy,
  )
  if (!state) {
    throw new Error('no lead')
  }
  return leadTimeZone(policy, calendars, state)
}

describe('leadTimeZone', () => {
  it("is the profile's IANA zone when it has one, whatever its country", () => {
    expect(zoneOf({ ...IDEAL_PROFILE, timeZone: 'America/Chicago' })).toBe('America/Chicago')
    expect(zoneOf({ ...IDEAL_PROFILE, country: 'DE', timeZone: 'Asia/Tokyo' })).toBe('Asia/Tokyo')
  })

  it("is the prospect calendar's zone otherwise: by country, else the default calendar", () => {
    expect(zoneOf({ ...IDEAL_PROFILE, country: 'GB' })).toBe('Europe/London')
    const { country: _country, ...withoutCountry } = IDEAL_PROFILE
    expect(zoneOf(withoutCountry)).toBe('America/New_York')
  })

  it('is UTC when the zone is unknown (its clocks say they cannot run)', () => {
    expect(zoneOf({ ...IDEAL_PROFILE, timeZone: 'Mars/Olympus_Mons' })).toBe('UTC')
  })
})

describe('readableInstant', () => {
  it('shows New York time with its abbreviation and UTC, on both sides of the DST change', () => {
    // US clocks spring forward on Sunday 8 March 2026.
    expect(readableInstant(Date.parse('2026-03-04T13:30:00Z'), 'America/New_York')).toBe(
      'Wed 4 Mar 08:30 EST (13:30Z)',
    )
    expect(readableInstant(Date.parse('2026-03-09T13:30:00Z'), 'America/New_York')).toBe(
      'Mon 9 Mar 09:30 EDT (13:30Z)',
    )
  })

  it('shows London in GMT, then BST after 29 March 2026', () => {
    expect(readableInstant(Date.parse('2026-03-04T13:30:00Z'), 'Europe/London')).toBe(
      'Wed 4 Mar 13:30 GMT (13:30Z)',
    )
    expect(readableInstant(Date.parse('2026-03-30T13:30:00Z'), 'Europe/London')).toBe(
      'Mon 30 Mar 14:30 BST (13:30Z)',
    )
  })

  it('names the UTC weekday when the UTC date is not the local one', () => {
    expect(readableInstant(Date.parse('2026-03-04T01:00:00Z'), 'America/New_York')).toBe(
      'Tue 3 Mar 20:00 EST (Wed 01:00Z)',
    )
    expect(readableInstant(Date.parse('2026-03-04T20:00:00Z'), 'Australia/Sydney')).toBe(
      'Thu 5 Mar 07:00 AEDT (Wed 20:00Z)',
    )
  })

  it('shows the offset for a zone without an English abbreviation', () => {
    expect(readableInstant(Date.parse('2026-03-04T13:30:00Z'), 'Asia/Tokyo')).toBe(
      'Wed 4 Mar 22:30 GMT+9 (13:30Z)',
    )
  })
})

describe('localIso and withLocalInstants', () => {
  it('gives the local ISO form with the offset of the day', () => {
    expect(localIso(Date.parse('2026-03-04T13:30:00Z'), 'America/New_York')).toBe(
      '2026-03-04T08:30:00.000-05:00',
    )
    expect(localIso(Date.parse('2026-03-09T13:30:00Z'), 'America/New_York')).toBe(
      '2026-03-09T09:30:00.000-04:00',
    )
    expect(localIso(Date.parse('2026-03-30T13:30:00Z'), 'Europe/London')).toBe(
      '2026-03-30T14:30:00.000+01:00',
    )
  })

  it('turns each top-level …At instant into ISO UTC with a …AtLocal sibling, leaving the rest', () => {
    const record = {
      itemId: 'sdr-response-tier-1',
      startedAt: Date.parse('2026-03-04T13:25:00Z'),
      stoppedAt: null,
      elapsedMs: 300_000,
      payload: { meetingAt: 1 },
    }
    expect(withLocalInstants(record, 'America/New_York')).toEqual({
      itemId: 'sdr-response-tier-1',
      startedAt: '2026-03-04T13:25:00.000Z',
      startedAtLocal: '2026-03-04T08:25:00.000-05:00',
      stoppedAt: null,
      stoppedAtLocal: null,
      elapsedMs: 300_000,
      payload: { meetingAt: 1 },
    })
  })
})
