import { describe, expect, it } from 'vitest'

import { leadEvent, loadDefaultPolicy } from '../test-support.js'
import { briefingCompleteness, buildBriefing, summariseOutreach } from './sql-briefing.js'
import {
  at,
  BRIEFING_LEAD,
  BRIEFING_PEOPLE,
  briefingSalEvents,
  briefingSqlEvents,
  stateOf,
} from './test-support.js'

const policy = loadDefaultPolicy()

describe('buildBriefing', () => {
  const state = stateOf(briefingSqlEvents(), policy)

  it('is an SQL', () => {
    expect(state.stage).toBe('sql')
  })

  it("dates the history and the meeting in the prospect's time zone, with the SDR's outreach", () => {
    const briefing = buildBriefing(state, policy, BRIEFING_PEOPLE, 'America/New_York')
    expect(briefing.header).toEqual({
      title: 'SQL Briefing Document — Dana Reyes at Acmesoft',
      leadName: 'Dana Reyes',
      company: 'Acmesoft',
      createdAt: at('2026-03-09T17:00:00Z'),
      createdText: 'Mon 9 Mar 2026, 13:00 UTC-04:00',
      sdr: 'Ana Silva',
      ae: 'Omar Haddad',
    })
    expect(briefing.history).toMatchObject({
      mqlSourceId: 'demo-request',
      mqlSource: 'Demo or trial request',
      mqlText: 'Tue 3 Mar 2026, 09:01 UTC-05:00',
      salText: 'Tue 3 Mar 2026, 09:10 UTC-05:00',
      sqlText: 'Mon 9 Mar 2026, 13:00 UTC-04:00',
    })
    // The AE's call after the SQL is not the SDR's outreach.
    expect(state.activities).toHaveLength(7)
    expect(briefing.history.outreach.text).toBe(
      '3 calls, 2 emails, 1 LinkedIn message over 6 days; connected on call 2',
    )
    expect(briefing.meeting).toEqual({
      at: at('2026-03-12T15:00:00Z'),
      text: 'Thursday 12 March 2026, 11:00 (America/New_York, UTC-04:00)',
      cancelled: false,
      format: 'video',
      durationMinutes: 45,
      attendees: ['Dana Reyes (VP Marketing)', 'Lee Park (RevOps lead)'],
    })
    expect(briefing.acceptance).toEqual({
      statements: [
        'I have read this briefing document fully before accepting',
        'I formally accept this SQL for AE-led engagement',
      ],
      accepted: false,
      acceptedBy: null,
      acceptedAt: null,
      acceptedText: null,
    })
  })

  it('falls back to the owner and AE ids, and to UTC for an unknown time zone', () => {
    const briefing = buildBriefing(state, policy, {}, 'Mars/Olympus_Mons')
    expect(briefing.timeZone).toBe('UTC')
    expect(briefing.header).toMatchObject({ sdr: 'sdr-ana', ae: 'ae-omar' })
    expect(briefing.meeting?.text).toBe('Thursday 12 March 2026, 15:00 (UTC, UTC+00:00)')
  })
})

describe('summariseOutreach', () => {
  const touch = (iso: string, activityType: string, outcome: string | null) => ({
    activityType,
    outcome,
    occurredAt: at(iso),
    receivedAt: at(iso),
    countsAsFollowUp: true,
    flags: [],
  })

  it("counts calendar days in the prospect's time zone", () => {
    const touches = [
      touch('2026-03-04T15:00:00Z', 'call', 'no-answer'),
      // Fri 6 Mar 23:30 in New York, Sat 7 Mar 05:30 in Berlin.
      touch('2026-03-07T04:30:00Z', 'email', 'replied'),
      touch('2026-03-05T15:00:00Z', 'status-change', null),
    ]
    expect(summariseOutreach(touches, 'America/New_York').text).toBe(
      '1 call, 1 email over 3 days; replied to email 1',
    )
    expect(summariseOutreach(touches, 'Europe/Berlin')).toMatchObject({
      calls: 1,
      emails: 1,
      days: 4,
      connectedOnCall: null,
      text: '1 call, 1 email over 4 days; replied to email 1',
    })
  })

  it('says so when nothing connected, or nothing was logged', () => {
    expect(summariseOutreach([touch('2026-03-04T15:00:00Z', 'linkedin', 'sent')], 'UTC').text).toBe(
      '1 LinkedIn message over 1 day; no connection yet',
    )
    expect(summariseOutreach([], 'UTC').text).toBe('no outreach logged')
  })
})

describe('briefingCompleteness', () => {
  it('passes the scripted SQL and flags the unconfirmed preferred element for the AE', () => {
    const state = stateOf(briefingSqlEvents(), policy)
    const briefing = buildBriefing(state, policy, BRIEFING_PEOPLE, 'America/New_York')
    expect(briefingCompleteness(state, briefing, policy)).toEqual({
      complete: true,
      missing: [],
      flagsForAe: ['Decision Criteria not confirmed (Flag for AE — discovery still in progress)'],
    })
  })

  it('lists what the SQL gate still needs, as the engine does', () => {
    const state = stateOf(
      briefingSalEvents({
        painStatement: 'Slow follow-up on demo requests',
        meddpic: { metrics: '30% of demos lost', 'decision-process': '  ' },
      }),
      policy,
    )
    const completeness = briefingCompleteness(
      state,
      buildBriefing(state, policy, BRIEFING_PEOPLE, 'America/New_York'),
      policy,
    )
    expect(completeness).toEqual({
      complete: false,
      missing: [
        'a booked meeting',
        'timeline is empty',
        'meeting link is empty',
        'MEDDPIC Decision Process is not confirmed',
        'MEDDPIC Implicate Pain is not confirmed',
      ],
      flagsForAe: [
        'Economic Buyer not confirmed (Flag for AE — they accept the risk knowingly)',
        'Decision Criteria not confirmed (Flag for AE — discovery still in progress)',
      ],
    })
  })

  it('does not count a cancelled meeting as booked', () => {
    const state = stateOf(
      [
        ...briefingSqlEvents(),
        leadEvent(
          BRIEFING_LEAD,
          'meeting.cancelled',
          { byProspect: true },
          at('2026-03-10T12:00:00Z'),
        ),
      ],
      policy,
    )
    const briefing = buildBriefing(state, policy, BRIEFING_PEOPLE, 'America/New_York')
    expect(briefingCompleteness(state, briefing, policy).missing).toEqual(['a booked meeting'])
    expect(briefing.meeting).toMatchObject({
      cancelled: true,
      text: 'Thursday 12 March 2026, 11:00 (America/New_York, UTC-04:00)',
    })
  })
})
