/**
 * The after-hours rule through the API: a Tier 1 MQL routed Tuesday 19:00 New York is due
 * Wednesday 08:30 (30 business minutes after the open) on GET /leads/{id}, and its durable T+30
 * reminder timer keeps the in-hours distance from that target (08:55). A pause for a reason the
 * item does not list is refused with the allowed reasons.
 */

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { IDEAL_PROFILE, MINUTE } from '../../src/domain/test-support.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import type { Database } from '../../src/store/create-database.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

/** Tuesday 2026-03-03 19:00 New York (EST) = Wednesday 00:00Z: the calendar is closed. */
const EVENING = Date.parse('2026-03-04T00:00:00Z')

for (const dialect of DIALECTS) {
  describe(`after-hours response clock through the API on ${dialect}`, () => {
    let database: Database
    let app: FastifyInstance
    let api: LiveApi
    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => EVENING)
      database = api.database
      app = api.app
    })
    afterAll(async () => {
      await app?.close()
      await database?.close()
    })

    it('shows target Wed 08:30 on the lead and keeps the T+30 timer at 08:55', async () => {
      const leadId = 'evening-1'
      const event = (key: string, type: string, at: number, payload: Record<string, unknown>) => ({
        idempotencyKey: `${leadId}-${key}`,
        leadId,
        type,
        occurredAt: new Date(at).toISOString(),
        payload,
      })
      const posted = await api.admin.inject({
        method: 'POST',
        url: '/events/batch',
        payload: {
          events: [
            event('c', 'lead.created', EVENING - 2 * MINUTE, {
              profile: IDEAL_PROFILE,
              source: 'demo-request',
            }),
            event('e', 'lead.enriched', EVENING - 2 * MINUTE, { profile: {} }),
            event('i', 'intent.recorded', EVENING - MINUTE, { action: 'demo-request' }),
          ],
        },
      })
      expect(posted.statusCode).toBe(200)
      const view = (await api.admin.inject({ method: 'GET', url: `/leads/${leadId}` })).json<{
        lead: { ownerId: string | null }
        clocks: Record<string, unknown>[]
      }>()
      expect(view.lead.ownerId).not.toBeNull()
      expect(view.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')).toMatchObject({
        calendarId: 'us-east',
        // The lead view shows each instant in UTC and in the lead's zone.
        startedAt: '2026-03-04T00:00:00.000Z',
        startedAtLocal: '2026-03-03T19:00:00.000-05:00',
        targetAt: '2026-03-04T13:30:00.000Z',
        targetAtLocal: '2026-03-04T08:30:00.000-05:00',
        breachAt: '2026-03-04T15:25:00.000Z',
        breachAtLocal: '2026-03-04T10:25:00.000-05:00',
        status: 'running',
      })
      // Routing's "first attempt due" is the same deadline (one function decides it).
      const decision = await database.db
        .selectFrom('routing_log')
        .select(['due_at'])
        .where('lead_id', '=', leadId)
        .executeTakeFirstOrThrow()
      expect(Number(decision.due_at)).toBe(Date.parse('2026-03-04T13:30:00Z'))
      const timer = await database.db
        .selectFrom('sla_timers')
        .select(['due_at'])
        .where('step_key', '=', `${leadId}:sdr-response-tier-1:${EVENING}:reminder`)
        .executeTakeFirstOrThrow()
      expect(Number(timer.due_at)).toBe(Date.parse('2026-03-04T13:55:00Z'))

      const owner = await api.callerFor('rep', view.lead.ownerId ?? '')
      const refused = await owner.inject({
        method: 'POST',
        url: `/leads/${leadId}/transitions`,
        payload: {
          type: 'clock.paused',
          idempotencyKey: `${leadId}-pause`,
          payload: { item: 'sdr-response-tier-1', reason: 'prospect-out-of-office' },
        },
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.json()).toMatchObject({
        rule: 'pause-reason-allowed',
        detail:
          'the SDR Response — Tier 1 clock (sdr-response-tier-1) may pause only for: waiting-on-enrichment; got "prospect-out-of-office"',
      })
    })
  })
}
