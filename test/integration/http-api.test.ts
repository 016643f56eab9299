import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import type { AdminApi, ApiCaller } from './api-callers.js'
import { openAdminApi } from './api-callers.js'
import { DIALECTS } from './dialects.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
/** The API's clock: Tuesday 09:10 New York, ten minutes after T0. */
const NOW = T0 + 10 * MINUTE

for (const dialect of DIALECTS) {
  describe(`HTTP API on ${dialect}`, () => {
    let api: AdminApi
    /** An admin token acting for sdr-ana (this API has no roster). */
    let admin: ApiCaller
    beforeAll(async () => {
      api = await openAdminApi(dialect, { policy, calendars, now: () => NOW }, 'sdr-ana')
      admin = api.admin
    })
    afterAll(() => api.close())

    const post = (url: string, body: unknown) =>
      admin.inject({ method: 'POST', url, payload: body as object })

    it('records events, answers duplicates, and shows the lead with its clocks', async () => {
      const created = await post('/events', {
        idempotencyKey: 'web-1',
        leadId: 'lead-api-1',
        type: 'lead.created',
        occurredAt: new Date(T0).toISOString(),
        payload: { profile: IDEAL_PROFILE, source: 'demo-request' },
      })
      expect(created.statusCode).toBe(201)
      expect(created.json()).toMatchObject({
        status: 'appended',
        stage: 'inquiry',
        event: { receivedAt: NOW, occurredAt: T0 },
      })
      const batch = await post('/events/batch', {
        events: [
          {
            idempotencyKey: 'web-2',
            leadId: 'lead-api-1',
            type: 'intent.recorded',
            occurredAt: T0 + MINUTE,
            payload: { action: 'demo-request' },
          },
          {
            idempotencyKey: 'web-3',
            leadId: 'lead-api-1',
            type: 'lead.enriched',
            occurredAt: T0 + MINUTE,
            payload: { profile: {} },
          },
          {
            idempotencyKey: 'web-4',
            leadId: 'lead-api-1',
            type: 'owner.assigned',
            occurredAt: T0 + 2 * MINUTE,
            payload: { ownerId: 'sdr-ana', reason: 'round robin' },
          },
          {
            idempotencyKey: 'web-1',
            leadId: 'lead-api-1',
            type: 'lead.created',
            payload: { profile: IDEAL_PROFILE, source: 'demo-request' },
          },
          {
            idempotencyKey: 'web-5',
            leadId: 'lead-api-1',
            type: 'intent.recorded',
            payload: { action: 42 },
          },
        ],
      })
      expect(batch.statusCode).toBe(200)
      expect(batch.json<{ results: { status: string }[] }>().results.map((r) => r.status)).toEqual([
        'appended',
        'appended',
        'appended',
        'duplicate',
        'invalid',
      ])
      expect(batch.json<{ results: { problems?: unknown }[] }>().results[4]?.problems).toEqual([
        {
          field: 'payload.action',
          rule: 'invalid_type',
          message: 'Invalid input: expected string, received number',
        },
      ])
      const lead = await admin.inject({ method: 'GET', url: '/leads/lead-api-1' })
      expect(lead.statusCode).toBe(200)
      const view = lead.json<{
        lead: { stage: string; tier: string }
        scoreNow: { total: number }
        clocks: { itemId: string; status: string; elapsedMs: number }[]
        timeline: unknown[]
      }>()
      expect(view.lead).toMatchObject({ stage: 'mql', tier: 'tier-1' })
      expect(view.scoreNow.total).toBe(95)
      expect(view.timeline).toHaveLength(4)
      expect(view.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')).toMatchObject({
        status: 'running',
        elapsedMs: 8 * MINUTE,
      })
      const list = await admin.inject({ method: 'GET', url: '/leads?stage=mql&limit=10' })
      expect(list.json()).toMatchObject({
        total: 1,
        nextCursor: null,
        leads: [{ leadId: 'lead-api-1', ownerId: 'sdr-ana', score: 95 }],
      })
    })

    it('refuses a gated transition with 422 naming the rule, and records nothing', async () => {
      const refused = await post('/leads/lead-api-1/transitions', {
        type: 'sal.rejected',
        idempotencyKey: 'reject-1',
        actor: { id: 'sdr-ana' },
        payload: { reasonCode: 'NOPE' },
      })
      expect(refused.statusCode).toBe(422)
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(refused.json()).toMatchObject({
        status: 422,
        title: 'Transition refused',
        rule: 'sal-rejection-reason-code',
        detail:
          'SAL rejection needs a reason code of the SAL Rejection Taxonomy: REJ-01, REJ-02, REJ-03, REJ-04, REJ-05, REJ-06, REJ-07; got "NOPE"',
      })
      const accepted = await post('/leads/lead-api-1/transitions', {
        type: 'sal.accepted',
        idempotencyKey: 'accept-1',
        actor: { id: 'sdr-ana' },
      })
      expect(accepted.statusCode).toBe(200)
      expect(accepted.json()).toMatchObject({ status: 'applied', lead: { stage: 'sal' } })
      const timeline = (await admin.inject({ method: 'GET', url: '/leads/lead-api-1' })).json<{
        timeline: { idempotencyKey: string }[]
      }>().timeline
      expect(timeline.map((event) => event.idempotencyKey)).not.toContain('reject-1')

      const briefing = await admin.inject({ method: 'GET', url: '/leads/lead-api-1/briefing' })
      expect(
        briefing.json<{ completeness: { complete: boolean; missing: string[] } }>().completeness,
      ).toMatchObject({
        complete: false,
        missing: expect.arrayContaining([
          'a booked meeting',
          'pain statement is empty',
        ]) as string[],
      })
      const page = await admin.inject({
        method: 'GET',
        url: '/leads/lead-api-1/briefing?format=html',
      })
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.body).toContain('SQL Briefing Document — Dana Reyes at Acmesoft')
      const handoffs = await admin.inject({ method: 'GET', url: '/reports/handoffs' })
      expect(handoffs.json()).toEqual({
        from: null,
        to: NOW,
        byAe: [],
        bySdr: [],
        sqlToOpportunity: { cohort: 0, opportunities: 0, rate: null },
      })
    })

    it('serves the OpenAPI document', async () => {
      const docs = await admin.inject({ method: 'GET', url: '/docs/json' })
      expect(docs.statusCode).toBe(200)
      const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths)
      expect(paths).toEqual(
        expect.arrayContaining([
          '/events',
          '/events/batch',
          '/leads',
          '/leads/{leadId}',
          '/leads/{leadId}/transitions',
        ]),
      )
    })

    // Hostile input across every route: api-fuzz.test.ts and hostile-input.test.ts.
    it('answers malformed JSON, a body over the limit and a wrong type with a 4xx problem', async () => {
      const malformed = await admin.inject({
        method: 'POST',
        url: '/events',
        headers: { 'content-type': 'application/json' },
        payload: '{"leadId": ',
      })
      expect(malformed.statusCode).toBe(400)
      expect(malformed.json()).toEqual({
        type: 'about:blank',
        status: 400,
        title: 'Malformed JSON',
        detail: 'the request body is not valid JSON',
        rule: 'json',
      })
      const huge = await admin.inject({
        method: 'POST',
        url: '/events',
        headers: { 'content-type': 'application/json' },
        payload: `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`,
      })
      expect(huge.statusCode).toBe(413)
      expect(huge.json()).toEqual({
        type: 'about:blank',
        status: 413,
        title: 'Body too large',
        detail: 'the request body exceeds the size limit',
        rule: 'body-limit',
      })
      const wrongType = await post('/events', {
        idempotencyKey: 7,
        leadId: 'x',
        type: 'lead.created',
      })
      expect(wrongType.statusCode).toBe(400)
      expect(wrongType.json<{ problems: { field: string }[] }>().problems[0]?.field).toBe(
        'body.idempotencyKey',
      )
    })
  })
}
