/**
 * The per-lead clock projection behind `GET /leads?clock=&status=`, and the lead view's readable
 * instants, on every dialect. T0 is Tuesday 2026-03-03 09:00 in New York (14:00Z).
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { backfillLeadClocks } from '../../src/app/backfill-lead-clocks.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  DAY,
  HOUR,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  withOwnAddress,
} from '../../src/domain/test-support.js'
import { createServer } from '../../src/http/create-server.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

const call = (leadId: string, at: number): NewLeadEvent =>
  leadEvent(leadId, 'activity.logged', { activityType: 'call', outcome: 'voicemail' }, at)

/**
 * Tier 1 MQLs whose SDR response clock starts at the handoff (routed + enriched, start + 2 min):
 * target 5 business minutes later, breach 2 business hours after the start.
 */
const LEADS: readonly NewLeadEvent[] = withOwnAddress([
  // Called 2 minutes into the clock: met.
  ...mqlEvents('clk-met', T0),
  call('clk-met', T0 + 4 * MINUTE),
  // Called 28 minutes in: after the target, before the breach: missed.
  ...mqlEvents('clk-missed', T0),
  call('clk-missed', T0 + 30 * MINUTE),
  // Not called: running until 11:02 New York.
  ...mqlEvents('clk-running', T0),
  // Not called since Monday 09:02: breached at Monday 11:02.
  ...mqlEvents('clk-breached', T0 - DAY),
  // Routed but not enriched: Marketing's half is not done, so its SDR clock has not started.
  ...mqlEvents('clk-waiting', T0).filter((event) => event.type !== 'lead.enriched'),
  // Paused a minute into the clock, waiting on enrichment: paused, never breached while it is.
  ...mqlEvents('clk-paused', T0),
  leadEvent(
    'clk-paused',
    'clock.paused',
    { item: 'sdr-response-tier-1', reason: 'waiting-on-enrichment' },
    T0 + 3 * MINUTE,
  ),
  // A zone no calendar knows: its prospect clocks cannot run.
  ...mqlEvents('clk-unable', T0).map((event) =>
    event.type === 'lead.created'
      ? {
          ...event,
          payload: {
            ...event.payload,
            profile: { ...(event.payload.profile as object), timeZone: 'Mars/Olympus_Mons' },
          },
        }
      : event,
  ),
])

for (const dialect of DIALECTS) {
  describe(`lead clocks on ${dialect}`, () => {
    let database: Database
    let app: FastifyInstance
    let admin: ApiCaller
    let now = T0 + HOUR
    beforeAll(async () => {
      database = await freshDatabase(dialect)
      const repository = createLeadRepository(database)
      app = await createServer({
        repository,
        policy,
        calendars,
        now: () => now,
      })
      admin = await apiCaller({ app, repository, policy }, 'admin', null)
      // Live intake: each event arrives as it happens (a logged call counts when received).
      for (const { idempotencyKey, leadId, type, occurredAt, payload } of LEADS) {
        now = occurredAt
        const response = await admin.inject({
          method: 'POST',
          url: '/events',
          payload: { idempotencyKey, leadId, type, occurredAt, payload },
        })
        expect(response.statusCode).toBe(201)
      }
    })
    afterAll(async () => {
      await app.close()
      await database.close()
    })

    const listed = async (query: string) => {
      const response = await admin.inject({ method: 'GET', url: `/leads?${query}` })
      expect(response.statusCode).toBe(200)
      const body = response.json<{ total: number; leads: { leadId: string }[] }>()
      return { total: body.total, leadIds: body.leads.map((lead) => lead.leadId) }
    }

    it('filters leads by the status of a clock at now, in SQL', async () => {
      now = T0 + HOUR
      const byStatus = (status: string) => listed(`clock=sdr-response-tier-1&status=${status}`)
      expect(await byStatus('met')).toEqual({ total: 1, leadIds: ['clk-met'] })
      expect(await byStatus('missed')).toEqual({ total: 1, leadIds: ['clk-missed'] })
      expect(await byStatus('running')).toEqual({ total: 1, leadIds: ['clk-running'] })
      expect(await byStatus('breached')).toEqual({ total: 1, leadIds: ['clk-breached'] })
      expect(await byStatus('paused')).toEqual({ total: 1, leadIds: ['clk-paused'] })
      expect(await byStatus('unable-to-run')).toEqual({ total: 1, leadIds: ['clk-unable'] })
      // Without a status: every lead whose clock has started.
      expect(await listed('clock=sdr-response-tier-1')).toEqual({
        total: 6,
        leadIds: [
          'clk-breached',
          'clk-met',
          'clk-missed',
          'clk-paused',
          'clk-running',
          'clk-unable',
        ],
      })
      // With the other filters and paging.
      expect(await listed('clock=sdr-response-tier-1&status=met&stage=sal')).toEqual({
        total: 0,
        leadIds: [],
      })
      expect(await listed('clock=crm-routing-speed&status=met&limit=2')).toEqual({
        total: 6,
        leadIds: ['clk-breached', 'clk-met'],
      })
    })

    it('judges the status at the current time, not when the lead was last written', async () => {
      // 11:02 New York: the clock started at 09:02 reaches its 2-hour breach.
      now = T0 + 2 * HOUR + 2 * MINUTE
      expect(await listed('clock=sdr-response-tier-1&status=breached')).toEqual({
        total: 2,
        leadIds: ['clk-breached', 'clk-running'],
      })
      expect(await listed('clock=sdr-response-tier-1&status=paused')).toEqual({
        total: 1,
        leadIds: ['clk-paused'],
      })
      expect(await listed('clock=sdr-response-tier-1&status=running')).toEqual({
        total: 0,
        leadIds: [],
      })
      const view = await admin.inject({ method: 'GET', url: '/leads/clk-running' })
      expect(
        view
          .json<{ clocks: { itemId: string; status: string }[] }>()
          .clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')?.status,
      ).toBe('breached')
    })

    it('agrees with the lead view on every clock of every lead, before and after breaches', async () => {
      for (const at of [T0 + HOUR, T0 + 3 * HOUR, T0 + 3 * DAY]) {
        now = at
        for (const leadId of new Set(LEADS.map((event) => event.leadId))) {
          const view = (await admin.inject({ method: 'GET', url: `/leads/${leadId}` })).json<{
            clocks: { itemId: string; status: string }[]
          }>()
          for (const clock of view.clocks) {
            const { leadIds } = await listed(
              `clock=${encodeURIComponent(clock.itemId)}&status=${clock.status}&limit=500`,
            )
            expect(leadIds, `${leadId} ${clock.itemId} ${clock.status}`).toContain(leadId)
          }
        }
      }
    })

    it('refuses an unknown clock with the allowed ids, and a status without a clock', async () => {
      const unknown = await admin.inject({
        method: 'GET',
        url: '/leads?clock=sdr-speed&status=met',
      })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(unknown.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        detail: 'unknown clock "sdr-speed"',
        problems: [
          {
            field: 'querystring.clock',
            rule: 'enum',
            message:
              'unknown clock "sdr-speed"; one of: lead-scoring-latency, crm-routing-speed, sdr-response-tier-1, sdr-response-tier-2, sdr-response-tier-3, sal-accept-reject, sal-resolution-window, post-call-follow-up, three-way-intro, internal-debrief, discovery-meeting, ae-sql-acceptance, ae-first-touch, opportunity-creation, opp-next-step, opp-activity-minimum, stage-age-maximum, sal-acceptance, sequence-enrollment, routing-exception:revops-exceptions, routing-exception:triage',
          },
        ],
      })
      const statusOnly = await admin.inject({ method: 'GET', url: '/leads?status=met' })
      expect(statusOnly.statusCode).toBe(400)
      expect(statusOnly.json()).toMatchObject({
        detail: 'status needs a clock',
        problems: [{ field: 'querystring.status', rule: 'requires' }],
      })
      const badStatus = await admin.inject({
        method: 'GET',
        url: '/leads?clock=sdr-response-tier-1&status=late',
      })
      expect(badStatus.statusCode).toBe(400)
    })

    it("shows each instant of the lead view in UTC and in the lead's zone", async () => {
      now = T0 + HOUR
      const view = (await admin.inject({ method: 'GET', url: '/leads/clk-running' })).json<{
        timeZone: string
        clocks: Record<string, unknown>[]
        upcomingEscalations: Record<string, unknown>[]
        timeline: Record<string, unknown>[]
      }>()
      expect(view.timeZone).toBe('America/New_York')
      expect(view.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')).toEqual({
        itemId: 'sdr-response-tier-1',
        name: 'SDR Response — Tier 1',
        calendarId: 'us-east',
        startedAt: '2026-03-03T14:02:00.000Z',
        startedAtLocal: '2026-03-03T09:02:00.000-05:00',
        stoppedAt: null,
        stoppedAtLocal: null,
        elapsedMs: 58 * MINUTE,
        targetAt: '2026-03-03T14:07:00.000Z',
        targetAtLocal: '2026-03-03T09:07:00.000-05:00',
        breachAt: '2026-03-03T16:02:00.000Z',
        breachAtLocal: '2026-03-03T11:02:00.000-05:00',
        status: 'running',
        pausedSince: null,
        problem: null,
        measure: 'business',
        // At 10:02 New York time: the target passed 53 business minutes ago, the breach is in 62.
        leftToTargetMs: -53 * MINUTE,
        leftToBreachMs: 62 * MINUTE,
      })
      // 24 and 48 business hours of 10-hour days; the 48-hour step falls after the DST change.
      expect(
        view.upcomingEscalations
          .filter((step) => step.subjectId === 'sdr-response-tier-1')
          .map((step) => [step.title, step.dueAt, step.dueAtLocal]),
      ).toEqual([
        [
          'T+2h · SDR Manager Notified — Direct Outreach',
          '2026-03-03T16:02:00.000Z',
          '2026-03-03T11:02:00.000-05:00',
        ],
        [
          'T+24h · Formal SLA Breach — Manager Action Required on Record',
          '2026-03-05T18:02:00.000Z',
          '2026-03-05T13:02:00.000-05:00',
        ],
        [
          'T+48h · VP-Level Visibility + Mandatory Root Cause Documentation',
          '2026-03-09T21:02:00.000Z',
          '2026-03-09T17:02:00.000-04:00',
        ],
      ])
      expect(view.timeline[0]).toMatchObject({
        type: 'lead.created',
        occurredAt: '2026-03-03T14:00:00.000Z',
        occurredAtLocal: '2026-03-03T09:00:00.000-05:00',
        receivedAt: '2026-03-03T14:00:00.000Z',
        receivedAtLocal: '2026-03-03T09:00:00.000-05:00',
      })
    })

    it("shows when a paused clock paused, in UTC and in the lead's zone", async () => {
      now = T0 + HOUR
      const view = (await admin.inject({ method: 'GET', url: '/leads/clk-paused' })).json<{
        clocks: { itemId: string; status: string; pausedSince: unknown }[]
      }>()
      expect(view.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')).toMatchObject({
        status: 'paused',
        pausedSince: {
          at: '2026-03-03T14:03:00.000Z',
          atLocal: '2026-03-03T09:03:00.000-05:00',
          reason: 'waiting-on-enrichment',
        },
      })
    })

    it('says why a clock has not started', async () => {
      const view = (await admin.inject({ method: 'GET', url: '/leads/clk-waiting' })).json<{
        clockWaits: { itemId: string; reason: string }[]
      }>()
      expect(view.clockWaits.map((wait) => wait.reason)).toEqual([
        'SDR Response — Tier 1 waits for Marketing: not enriched',
        'SAL Accept/Reject waits for Marketing: not enriched',
        'SAL Resolution Window waits for SAL acceptance',
      ])
      expect((await listed('clock=sdr-response-tier-1')).leadIds).not.toContain('clk-waiting')
    })

    it('gives leads written before the clock projection existed their clock rows, once', async () => {
      const rows = () =>
        database.db
          .selectFrom('lead_clocks')
          .select(['lead_id', 'item_id', 'started_at', 'stopped_at', 'target_at', 'breach_at'])
          .orderBy('lead_id')
          .orderBy('item_id')
          .execute()
      const written = await rows()
      expect(
        written.filter((row) => row.item_id === 'sdr-response-tier-1').map((row) => row.lead_id),
      ).toEqual([
        'clk-breached',
        'clk-met',
        'clk-missed',
        'clk-paused',
        'clk-running',
        'clk-unable',
      ])
      await database.db.deleteFrom('lead_clocks').execute()
      const repository = createLeadRepository(database)
      expect(await backfillLeadClocks({ repository, policy }, now)).toBe(7)
      expect(await rows()).toEqual(written)
      expect(await backfillLeadClocks({ repository, policy }, now)).toBe(0)
    })
  })
}
