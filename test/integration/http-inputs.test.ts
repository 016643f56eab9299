/**
 * Inputs that cannot be misread, through the API: one instant form for bodies, payloads and
 * queries; every report honours `from`/`to`; people outside the roster are refused; and the
 * README's walk-through, replayed request by request, ends in a routed MQL with a running SDR
 * clock.
 */
import { readFileSync } from 'node:fs'

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  DAY,
  HOUR,
  IDEAL_PROFILE,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { defaultPolicyPath, packageFilePath } from '../../src/policy/load-policy-file.js'
import type { Database } from '../../src/store/create-database.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

/** The API's clock: Tuesday 2026-03-03 09:10 New York. */
const NOW = T0 + 10 * MINUTE
const MARCH_1 = Date.parse('2026-03-01T00:00:00Z')

const SECONDS_HINT = 'looks like seconds since 1970; send milliseconds or ISO 8601 with an offset'
const INSTANT_FORMS =
  'ISO 8601 with an offset (2026-03-03T14:00:00Z, 2026-03-03T09:00:00-05:00) or milliseconds since 1970 (1772546400000)'

interface Problem {
  readonly status: number
  readonly problems: readonly { field: string; rule: string; message: string }[]
}

/**
 * The requests of the README's walk-through, in order: `curl -s localhost:3000<path> -H
 * "authorization: Bearer $LEADCLOCK_TOKEN" [-d body]`; a curl without the token fails the test.
 */
function readmeWalkthrough(): { url: string; body: unknown }[] {
  const readme = readFileSync(packageFilePath('README.md'), 'utf8')
  const section = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme)?.[1]
  const curls = (section ?? '').match(/curl /g)?.length ?? 0
  const requests = [
    ...(section ?? '').matchAll(
      /curl -s localhost:3000(\S+) -H "authorization: Bearer \$LEADCLOCK_TOKEN"(?: -H 'content-type: application\/json' -d '([^']*)')?/g,
    ),
  ]
  if (requests.length !== curls) {
    throw new Error(`${curls - requests.length} curl(s) of the walk-through send no token`)
  }
  return requests.map((match) => ({
    url: match[1] ?? '',
    body: match[2] === undefined ? undefined : (JSON.parse(match[2]) as unknown),
  }))
}

function firedAt(leadId: string, stepKey: string, at: number) {
  return {
    idempotencyKey: `fired-${stepKey}`,
    leadId,
    type: 'escalation.fired',
    occurredAt: new Date(at).toISOString(),
    payload: {
      stepKey,
      kind: 'sla-threshold',
      subjectId: 'lead-scoring-latency',
      stepId: 'breach',
      title: 'Lead Scoring Latency breached',
      severity: 'notice',
      repId: null,
      recipientIds: ['vp-henrik-larsen'],
      graced: false,
      dueAt: at,
      actionDueAt: null,
      managerActions: [],
      rootCauseDueAt: null,
    },
  }
}

for (const dialect of DIALECTS) {
  describe(`API inputs on ${dialect}`, () => {
    let database: Database
    let app: FastifyInstance
    let api: LiveApi
    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW)
      database = api.database
      app = api.app
    })
    afterAll(async () => {
      await app?.close()
      await database?.close()
    })

    const post = (url: string, body: unknown) =>
      api.admin.inject({ method: 'POST', url, payload: body as object })
    const get = (url: string) => api.admin.inject({ method: 'GET', url })

    it('replays the README walk-through: a routed Tier 1 MQL with a running SDR clock', async () => {
      const requests = readmeWalkthrough()
      expect(requests.map((request) => request.url)).toEqual([
        '/events',
        '/events',
        '/events',
        '/leads/lead-42',
      ])
      const responses = []
      for (const { url, body } of requests) {
        responses.push(await (body === undefined ? get(url) : post(url, body)))
      }
      expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 200])
      expect(responses[2]?.json()).toMatchObject({ status: 'appended', stage: 'mql' })
      const view = responses[3]?.json<{
        lead: { stage: string; tier: string; ownerId: string }
        scoreNow: { total: number; fitPoints: number }
        clocks: { itemId: string; status: string }[]
        timeline: { type: string; actor: { id: string } | null }[]
      }>()
      expect(view?.lead).toMatchObject({ stage: 'mql', tier: 'tier-1' })
      expect(view?.scoreNow).toMatchObject({ total: 95, fitPoints: 55 })
      expect(['sdr-ana-lopez', 'sdr-jake-turner']).toContain(view?.lead.ownerId)
      // All four happened at the same (frozen) instant: the timeline orders them by key.
      expect(
        view?.timeline.map((event) => `${event.type} by ${event.actor?.id ?? 'the source'}`),
      ).toEqual([
        'lead.enriched by the source',
        'lead.created by the source',
        'intent.recorded by the source',
        'owner.assigned by leadclock-router',
      ])
      expect(
        Object.fromEntries(view?.clocks.map((clock) => [clock.itemId, clock.status]) ?? []),
      ).toEqual({
        'lead-scoring-latency': 'met',
        'crm-routing-speed': 'met',
        'sdr-response-tier-1': 'running',
        'sal-accept-reject': 'running',
        // Routed, not yet enrolled in a sequence: section 04's same-business-day window runs.
        'sequence-enrollment': 'running',
      })
      expect(view?.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')).toEqual({
        itemId: 'sdr-response-tier-1',
        name: 'SDR Response — Tier 1',
        calendarId: 'us-east',
        // NOW is Tuesday 3 March 2026 09:10 in New York.
        startedAt: '2026-03-03T14:10:00.000Z',
        startedAtLocal: '2026-03-03T09:10:00.000-05:00',
        stoppedAt: null,
        stoppedAtLocal: null,
        elapsedMs: 0,
        targetAt: '2026-03-03T14:15:00.000Z',
        targetAtLocal: '2026-03-03T09:15:00.000-05:00',
        breachAt: '2026-03-03T16:10:00.000Z',
        breachAtLocal: '2026-03-03T11:10:00.000-05:00',
        status: 'running',
        pausedSince: null,
        problem: null,
        measure: 'business',
        // Business time from NOW: 5 minutes to the target, 2 hours to the breach.
        leftToTargetMs: 5 * 60_000,
        leftToBreachMs: 2 * 3_600_000,
      })
    })

    it('refuses epoch seconds and times without an offset, naming the field and the rule', async () => {
      const event = (occurredAt: unknown) => ({
        idempotencyKey: `seconds-${String(occurredAt)}`,
        leadId: 'lead-instants',
        type: 'lead.created',
        occurredAt,
        payload: { source: 'demo-request', profile: IDEAL_PROFILE },
      })
      const seconds = await post('/events', event(1_772_546_400))
      expect(seconds.statusCode).toBe(400)
      expect(seconds.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(seconds.json<Problem>().problems).toEqual([
        {
          field: 'body.occurredAt',
          rule: 'instant-epoch-seconds',
          message: `1772546400 ${SECONDS_HINT}`,
        },
      ])
      const local = await post('/events/batch', { events: [event('2026-03-03T09:00:00')] })
      expect(local.json()).toEqual({
        results: [
          {
            index: 0,
            status: 'invalid',
            problems: [
              {
                field: 'occurredAt',
                rule: 'instant-offset',
                message: `"2026-03-03T09:00:00" has no offset, so its zone is unknown; send ${INSTANT_FORMS}`,
              },
            ],
          },
        ],
      })
      const offset = await post('/events', event('2026-03-03T09:00:00-05:00'))
      expect(offset.statusCode).toBe(201)
      expect(offset.json()).toMatchObject({ event: { occurredAt: T0, receivedAt: NOW } })
    })

    it('takes payload instants in the same forms, and a close date as a date', async () => {
      const events = [
        {
          idempotencyKey: 'meeting-iso',
          leadId: 'lead-instants',
          type: 'meeting.booked',
          payload: { meetingAt: '2026-03-05T10:00:00-05:00' },
        },
        {
          idempotencyKey: 'opportunity-date',
          leadId: 'lead-instants',
          type: 'opportunity.created',
          payload: { acv: 40_000, closeDate: '2026-04-30' },
        },
        {
          idempotencyKey: 'meeting-seconds',
          leadId: 'lead-instants',
          type: 'meeting.booked',
          payload: { meetingAt: 1_772_722_800 },
        },
        {
          idempotencyKey: 'meeting-date',
          leadId: 'lead-instants',
          type: 'meeting.booked',
          payload: { meetingAt: '2026-03-05' },
        },
      ]
      const results = (await post('/events/batch', { events })).json<{
        results: { status: string; event?: { payload: unknown }; problems?: unknown }[]
      }>().results
      expect(results.map((result) => result.event?.payload ?? result.problems)).toEqual([
        { meetingAt: Date.parse('2026-03-05T15:00:00Z') },
        { acv: 40_000, closeDate: Date.parse('2026-04-30T00:00:00Z') },
        [
          {
            field: 'payload.meetingAt',
            rule: 'instant-epoch-seconds',
            message: `1772722800 ${SECONDS_HINT}`,
          },
        ],
        [
          {
            field: 'payload.meetingAt',
            rule: 'instant',
            message: `"2026-03-05" is not an instant; send ${INSTANT_FORMS}`,
          },
        ],
      ])
    })

    it('refuses an owner, an AE or an actor who is not in the roster', async () => {
      const results = (
        await post('/events/batch', {
          events: [
            {
              idempotencyKey: 'owner-ghost',
              leadId: 'lead-instants',
              type: 'owner.assigned',
              payload: { ownerId: 'sdr-ghost', reason: 'round robin' },
            },
            {
              idempotencyKey: 'ae-ghost',
              leadId: 'lead-instants',
              type: 'sql.promoted',
              actor: { id: 'sdr-ana-lopez' },
              payload: { aeId: 'ae-ghost' },
            },
            {
              idempotencyKey: 'actor-ghost',
              leadId: 'lead-instants',
              type: 'sal.accepted',
              actor: { id: 'intern-bob', role: 'sdr' },
            },
            {
              idempotencyKey: 'owner-known',
              leadId: 'lead-instants',
              type: 'owner.assigned',
              actor: { id: 'mgr-carla-reyes' },
              payload: { ownerId: 'sdr-maya-brooks', reason: 'manager decision' },
            },
          ],
        })
      ).json<{ results: { status: string; problems?: unknown }[] }>().results
      expect(results.map((result) => result.problems ?? result.status)).toEqual([
        [
          {
            field: 'payload.ownerId',
            rule: 'known-person',
            message: '"sdr-ghost" is not in the roster',
          },
        ],
        [
          {
            field: 'payload.aeId',
            rule: 'known-person',
            message: '"ae-ghost" is not in the roster',
          },
        ],
        [{ field: 'actor.id', rule: 'known-person', message: '"intern-bob" is not in the roster' }],
        'appended',
      ])
      // A transition's actor is the caller; a body naming anyone else is refused.
      const revops = await api.callerFor('revops', 'revops-mei-tanaka')
      const transition = await revops.inject({
        method: 'POST',
        url: '/leads/lead-instants/transitions',
        payload: {
          type: 'sal.accepted',
          idempotencyKey: 'accept-ghost',
          actor: { id: 'sdr-ghost' },
        },
      })
      expect(transition.statusCode).toBe(422)
      const message =
        'the actor is the authenticated person (revops-mei-tanaka), not "sdr-ghost"; leave actor out'
      expect(transition.json<Problem>().problems).toEqual([
        { field: 'body.actor.id', rule: 'authenticated-actor', message },
      ])
    })

    it('honours from/to in the same forms on every route that takes dates', async () => {
      const created = await post('/events/batch', {
        events: [
          {
            idempotencyKey: 'esc-created',
            leadId: 'lead-escalated',
            type: 'lead.created',
            occurredAt: new Date(T0 - 10 * DAY).toISOString(),
            payload: { source: 'webinar', profile: { ...IDEAL_PROFILE, email: 'a@globex.io' } },
          },
          firedAt('lead-escalated', 'feb-26', T0 - 5 * DAY),
          firedAt('lead-escalated', 'mar-03', T0),
        ],
      })
      expect(
        created.json<{ results: { status: string }[] }>().results.map((r) => r.status),
      ).toEqual(['appended', 'appended', 'appended'])

      const fired = async (query: string) => {
        const response = await get(`/reports/escalations${query}`)
        return response.json<{ from: number | null; to: number; fired: number }>()
      }
      expect(await fired('')).toMatchObject({ from: null, to: NOW, fired: 2 })
      expect(await fired('?from=2026-03-01')).toMatchObject({ from: MARCH_1, to: NOW, fired: 1 })
      expect(await fired('?from=2026-02-01T00:00:00-05:00&to=2026-03-01T00:00:00Z')).toMatchObject({
        from: Date.parse('2026-02-01T05:00:00Z'),
        to: MARCH_1,
        fired: 1,
      })
      expect(await fired(`?to=${MARCH_1}`)).toMatchObject({ from: null, to: MARCH_1, fired: 1 })

      const listed = async (query: string) =>
        (await get(`/escalations${query}`))
          .json<{ escalations: { stepKey: string }[] }>()
          .escalations.map((row) => row.stepKey)
      expect(await listed('?from=2026-03-01')).toEqual(['mar-03'])
      expect(await listed('?from=2026-02-01&to=2026-03-01T00:00:00Z')).toEqual(['feb-26'])

      const handoffs = await get(`/reports/handoffs?from=${MARCH_1}&to=2026-03-03`)
      expect(handoffs.json()).toMatchObject({ from: MARCH_1, to: T0 - 14 * HOUR })
      const routing = await get('/reports/routing?from=2026-03-01')
      expect(routing.json()).toMatchObject({ from: MARCH_1, to: NOW })

      for (const [url, field, rule, message] of [
        [
          '/escalations?from=1772323200',
          'querystring.from',
          'instant-epoch-seconds',
          `1772323200 ${SECONDS_HINT}`,
        ],
        [
          '/reports/escalations?to=2026-03-01T00:00',
          'querystring.to',
          'instant-offset',
          `"2026-03-01T00:00" has no offset, so its zone is unknown; send a date (2026-03-31, read as 00:00 UTC) or ${INSTANT_FORMS}`,
        ],
        [
          '/reports/routing?from=yesterday',
          'querystring.from',
          'instant',
          `"yesterday" is not an instant; send a date (2026-03-31, read as 00:00 UTC) or ${INSTANT_FORMS}`,
        ],
        [
          '/reports/handoffs?from=2026-02-30',
          'querystring.from',
          'instant',
          `"2026-02-30" is not an instant; send a date (2026-03-31, read as 00:00 UTC) or ${INSTANT_FORMS}`,
        ],
      ] as const) {
        const response = await get(url)
        expect(response.statusCode, url).toBe(400)
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(response.json<Problem>().problems, url).toEqual([{ field, rule, message }])
      }
    })
  })
}
