/**
 * A 90-day audit replay on a simulated clock: ten scripted leads, every escalation step they
 * earn fired at the instant it was due, compared with the schedule worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { fireOnSimulatedClock } from '../../src/app/fire-escalations.js'
import { escalationReportFor } from '../../src/app/lead-reports.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import {
  DAY,
  HOUR,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  salEvents,
  sqlEvents,
  withOwnAddress,
} from '../../src/domain/test-support.js'
import type { Roster } from '../../src/domain/team/roster.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { ALL_TIME } from '../../src/reports/report-window.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
/** Only the AE: AE clocks run in the owner's calendar, here the prospects' New York hours. */
const AE_ROSTER: Roster = {
  people: [
    {
      id: 'ae-omar',
      name: 'Omar',
      email: 'omar@example.com',
      role: 'ae',
      managerId: null,
      countries: [],
      calendarId: 'us-east',
      outOfOffice: [],
      active: true,
    },
  ],
  namedAccounts: [],
}
/** Tuesday 2026-04-07 09:00 New York (EDT); week w starts 7w days later. */
const START = Date.parse('2026-04-07T13:00:00Z')
const week = (w: number) => START + w * 7 * DAY

const voicemail = (leadId: string, at: number) =>
  leadEvent(leadId, 'activity.logged', { activityType: 'call', outcome: 'voicemail' }, at)

/** Untouched Tier 1 MQL: nobody calls. */
const untouched = (leadId: string, t: number) => mqlEvents(leadId, t)
/** Accepted at +10 min, a voicemail at +3 h, never promoted. */
const slowFirstCall = (leadId: string, t: number) => [
  ...salEvents(leadId, t),
  voicemail(leadId, t + 3 * HOUR),
]
/** Called at +20 min, SQL the next day, intro sent, accepted, discovery held, won. */
const wonDeal = (leadId: string, t: number) => [
  ...sqlEvents(leadId, t),
  voicemail(leadId, t + 20 * MINUTE),
  leadEvent(leadId, 'handoff.logged', { step: 'three-way-intro' }, t + DAY + HOUR + 30 * MINUTE),
  leadEvent(leadId, 'ae.accepted', { briefingRead: true }, t + DAY + 2 * HOUR),
  leadEvent(
    leadId,
    'activity.logged',
    { activityType: 'call', outcome: 'connected' },
    t + DAY + 2 * HOUR + 30 * MINUTE,
  ),
  leadEvent(leadId, 'opportunity.created', { acv: 30_000 }, t + DAY + 3 * HOUR),
  leadEvent(leadId, 'activity.logged', { activityType: 'meeting', outcome: 'held' }, t + 2 * DAY),
  leadEvent(leadId, 'opportunity.closed', { outcome: 'won' }, t + 3 * DAY),
]
/** Rejected by the SDR an hour in (wrong persona). */
const rejected = (leadId: string, t: number) => [
  ...mqlEvents(leadId, t),
  leadEvent(leadId, 'sal.rejected', { reasonCode: 'REJ-03' }, t + HOUR),
]

const SCRIPTS: Record<string, NewLeadEvent[]> = {
  a1: untouched('a1', week(0)),
  a2: untouched('a2', week(1)),
  a3: untouched('a3', week(5)),
  b1: slowFirstCall('b1', week(1)),
  b2: slowFirstCall('b2', week(2)),
  c1: wonDeal('c1', week(0)),
  c2: wonDeal('c2', week(2)),
  c3: wonDeal('c3', week(4)),
  f1: rejected('f1', week(3)),
  // Friday 22 May 09:00, before Memorial Day (Monday 25 May).
  e1: untouched('e1', Date.parse('2026-05-22T13:00:00Z')),
}
const LEADS = Object.fromEntries(
  Object.entries(SCRIPTS).map(([leadId, events]) => [leadId, withOwnAddress(events)]),
)

/** What an untouched Tier 1 MQL earns, for a handoff on a Tuesday at 09:02 New York. */
function untouchedSchedule(leadId: string, t: number): string[] {
  const handoff = t + 2 * MINUTE
  return [
    [handoff, 'sdr-response-tier-1:notification'],
    [handoff + 30 * MINUTE, 'sdr-response-tier-1:reminder'],
    [handoff + 2 * HOUR, 'sdr-response-tier-1:manager-notified'],
    [handoff + 4 * HOUR, 'sal-accept-reject:target'],
    // Tue 8h58 + Wed 10h + Thu 5h02 = 24 business hours: Thursday 13:02.
    [handoff + 2 * DAY + 4 * HOUR, 'sal-accept-reject:breach'],
    [handoff + 2 * DAY + 4 * HOUR, 'sdr-response-tier-1:formal-breach'],
    // … + Thu 4h58 + Fri 10h + Mon 9h02 = 48: Monday 17:02.
    [handoff + 6 * DAY + 8 * HOUR, 'sdr-response-tier-1:critical-breach'],
    // Nobody documents a root cause within 24 hours.
    [handoff + 7 * DAY + 8 * HOUR, 'sdr-response-tier-1:root-cause-overdue'],
  ].map(([at, step]) => line(leadId, step as string, at as number))
}

function line(leadId: string, step: string, at: number): string {
  return `${new Date(at).toISOString()} ${leadId} ${step}`
}

function expectedFirings(): string[] {
  const salAccepted = (t: number) => t + 10 * MINUTE
  const slow = (leadId: string, t: number) => [
    line(leadId, 'sdr-response-tier-1:notification', t + 2 * MINUTE),
    // The first attempt came at 12:00, after the 2-hour mark.
    line(leadId, 'sdr-response-tier-1:manager-notified', t + 2 * MINUTE + 2 * HOUR),
    // 12 and 14 business days after acceptance at 09:10: Thursday and Monday two weeks on.
    line(leadId, 'sal-resolution-window:check-in', salAccepted(t) + 16 * DAY),
    line(leadId, 'sal-resolution-window:breach', salAccepted(t) + 20 * DAY),
  ]
  const won = (leadId: string, t: number) => [
    line(leadId, 'sdr-response-tier-1:notification', t + 2 * MINUTE),
    // The AE is notified when the SQL is promoted (the next day 10:00), and accepts in an hour.
    line(leadId, 'ae-sql-acceptance:notification', t + DAY + HOUR),
  ]
  return [
    ...untouchedSchedule('a1', week(0)),
    ...untouchedSchedule('a2', week(1)),
    // a2's critical breach is the rep's second in 2026-Q2: the performance track.
    line('a2', 'sdr-response-tier-1:repeat-offender', week(1) + 2 * MINUTE + 6 * DAY + 8 * HOUR),
    ...untouchedSchedule('a3', week(5)),
    ...slow('b1', week(1)),
    ...slow('b2', week(2)),
    ...won('c1', week(0)),
    ...won('c2', week(2)),
    ...won('c3', week(4)),
    // The reminder fires at 09:32; the rejection at 10:00 stops the clock.
    line('f1', 'sdr-response-tier-1:notification', week(3) + 2 * MINUTE),
    line('f1', 'sdr-response-tier-1:reminder', week(3) + 32 * MINUTE),
    // Memorial Day is not a business day.
    line('e1', 'sdr-response-tier-1:notification', Date.parse('2026-05-22T13:02:00Z')),
    line('e1', 'sdr-response-tier-1:reminder', Date.parse('2026-05-22T13:32:00Z')),
    line('e1', 'sdr-response-tier-1:manager-notified', Date.parse('2026-05-22T15:02:00Z')),
    line('e1', 'sal-accept-reject:target', Date.parse('2026-05-22T17:02:00Z')),
    line('e1', 'sal-accept-reject:breach', Date.parse('2026-05-27T17:02:00Z')),
    line('e1', 'sdr-response-tier-1:formal-breach', Date.parse('2026-05-27T17:02:00Z')),
    line('e1', 'sdr-response-tier-1:critical-breach', Date.parse('2026-05-29T21:02:00Z')),
    line('e1', 'sdr-response-tier-1:root-cause-overdue', Date.parse('2026-05-30T21:02:00Z')),
  ].sort()
}

for (const dialect of DIALECTS) {
  describe(`90-day escalation scenario on ${dialect}`, () => {
    let database: Database
    beforeAll(async () => {
      database = await freshDatabase(dialect)
    })
    afterAll(async () => {
      await database?.close()
    })

    it('fires exactly the hand-computed steps, each at the instant it was due', async () => {
      const repository = createLeadRepository(database)
      const outcomes = await ingestEvents(
        { repository, policy, roster: () => AE_ROSTER },
        Object.values(LEADS)
          .flat()
          .map((event) => ({ ok: true as const, event })),
      )
      expect(outcomes.filter((outcome) => outcome.status !== 'appended')).toEqual([])
      const deps = {
        repository,
        policy,
        roster: () => AE_ROSTER,
        channels: [],
        leads: leadDerivation(policy, () => AE_ROSTER),
      }
      const { fired } = await fireOnSimulatedClock(deps, START + 90 * DAY)
      const firings: string[] = []
      for (const leadId of Object.keys(LEADS)) {
        for (const event of await repository.listLeadEvents(leadId)) {
          if (event.type === 'escalation.fired') {
            const payload = event.payload as { subjectId: string; stepId: string }
            firings.push(line(leadId, `${payload.subjectId}:${payload.stepId}`, event.occurredAt))
          }
        }
      }
      expect(firings.sort()).toEqual(expectedFirings())
      expect(fired).toBe(expectedFirings().length)
      // Replaying again fires nothing more: every step is settled once.
      expect((await fireOnSimulatedClock(deps, START + 90 * DAY)).fired).toBe(0)
      const open = await repository.escalations.listEscalations({ open: true, limit: 100 })
      // Formal breaches without a manager action and criticals without a root cause stay open.
      expect(open.map((row) => `${row.leadId}:${row.record.stepId}`).sort()).toEqual([
        'a1:critical-breach',
        'a1:formal-breach',
        'a2:critical-breach',
        'a2:formal-breach',
        'a3:critical-breach',
        'a3:formal-breach',
        'e1:critical-breach',
        'e1:formal-breach',
      ])
      const report = await escalationReportFor(repository, policy, ALL_TIME)
      // 49 steps fired: 13 T+0 notifications (routine in the policy) and 36 escalations.
      expect(report).toMatchObject({
        fired: 36,
        routineNotifications: 13,
        graced: 0,
        byRep: [
          {
            repId: 'sdr-ana',
            formalBreaches: 4,
            criticalBreaches: 4,
            open: 8,
            crmRealityFlags: {},
          },
          // The AE, notified of three SQLs (routine) and accepting each in time, has no row.
        ],
        repeatOffenders: [
          {
            repId: 'sdr-ana',
            period: '2026-Q2',
            criticalBreaches: 4,
            track: 'performance-management',
          },
        ],
        // Audit mode fires each step at the instant it was due.
        lagMs: { p50: 0, p99: 0, max: 0 },
      })
      expect(report.open).toHaveLength(8)
    }, 120_000)
  })
}
