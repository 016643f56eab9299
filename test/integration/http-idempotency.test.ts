/**
 * Idempotency keys are scoped per source: the same event again is acknowledged with the stored
 * one, a different event under a used key is refused with 409 naming the key and the source and
 * telling nothing of the stored event; another source's same key is another event.
 */
import type { LightMyRequestResponse } from 'fastify'
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
const NOW = T0 + 10 * MINUTE

/** A creation whose personal data must never reach a caller reusing its key. */
const created = (leadId: string, email: string, source?: string) => ({
  idempotencyKey: 'crm-contact-1',
  leadId,
  type: 'lead.created',
  occurredAt: T0,
  ...(source === undefined ? {} : { source }),
  payload: { profile: { ...IDEAL_PROFILE, email }, source: 'demo-request' },
})

function conflictProblem(idempotencyKey: string, source: string) {
  const message = `idempotency key "${idempotencyKey}" of source "${source}" was already used for a different event (another lead, type or payload); a new event needs a new key`
  return {
    type: 'about:blank',
    title: 'Idempotency key conflict',
    status: 409,
    detail: message,
    rule: 'idempotency-key-reused',
    problems: [{ field: 'idempotencyKey', rule: 'idempotency-key-reused', message }],
    idempotencyKey,
    source,
  }
}

function expectConflict(
  response: LightMyRequestResponse,
  idempotencyKey: string,
  source: string,
): void {
  expect(response.statusCode).toBe(409)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(response.json()).toEqual(conflictProblem(idempotencyKey, source))
}

for (const dialect of DIALECTS) {
  describe(`idempotency keys per source on ${dialect}`, () => {
    let api: AdminApi
    let admin: ApiCaller
    beforeAll(async () => {
      api = await openAdminApi(dialect, { policy, calendars, now: () => NOW }, 'sdr-ana')
      admin = api.admin
    })
    afterAll(() => api.close())

    const post = (url: string, body: unknown) =>
      admin.inject({ method: 'POST', url, payload: body as object })

    it('answers a retry with the stored event (200) and a different event under the key with 409, never echoing the first', async () => {
      const first = await post(
        '/events',
        created('lead-idem-a', 'first.person@acmesoft.com', 'crm-a'),
      )
      expect(first.statusCode).toBe(201)
      const stored = first.json<{ event: { eventId: string } }>().event

      const retry = await post(
        '/events',
        created('lead-idem-a', 'first.person@acmesoft.com', 'crm-a'),
      )
      expect(retry.statusCode).toBe(200)
      expect(retry.json()).toEqual({ status: 'duplicate', event: stored })

      const otherLead = await post('/events', created('lead-idem-b', 'second@globex.com', 'crm-a'))
      expectConflict(otherLead, 'crm-contact-1', 'crm-a')
      expect(otherLead.body).not.toContain('first.person')
      expect(otherLead.body).not.toContain('lead-idem-a')

      const otherPayload = await post(
        '/events',
        created('lead-idem-a', 'changed@acmesoft.com', 'crm-a'),
      )
      expectConflict(otherPayload, 'crm-contact-1', 'crm-a')
      const otherType = await post('/events', {
        idempotencyKey: 'crm-contact-1',
        leadId: 'lead-idem-a',
        type: 'intent.recorded',
        source: 'crm-a',
        payload: { action: 'demo-request' },
      })
      expectConflict(otherType, 'crm-contact-1', 'crm-a')

      const lead = await admin.inject({ method: 'GET', url: '/leads/lead-idem-a' })
      expect(
        lead.json<{ timeline: { eventId: string }[] }>().timeline.map((event) => event.eventId),
      ).toEqual([stored.eventId])
      expect((await admin.inject({ method: 'GET', url: '/leads/lead-idem-b' })).statusCode).toBe(
        404,
      )
    })

    it('takes the same key from another source as another event (the default source is "api")', async () => {
      const fromB = await post('/events', created('lead-idem-c', 'c@initech.com', 'crm-b'))
      expect(fromB.statusCode).toBe(201)
      expect(fromB.json()).toMatchObject({
        status: 'appended',
        event: { idempotencyKey: 'crm-contact-1', source: 'crm-b', leadId: 'lead-idem-c' },
      })
      const fromApi = await post('/events', created('lead-idem-d', 'd@umbrella.com'))
      expect(fromApi.statusCode).toBe(201)
      expect(fromApi.json()).toMatchObject({
        status: 'appended',
        event: { idempotencyKey: 'crm-contact-1', source: 'api', leadId: 'lead-idem-d' },
      })
    })

    it('tells each conflicting element of a batch by its index, and records the rest', async () => {
      const batch = await post('/events/batch', {
        events: [
          {
            idempotencyKey: 'batch-new',
            leadId: 'lead-idem-a',
            type: 'intent.recorded',
            source: 'crm-a',
            payload: { action: 'demo-request' },
          },
          created('lead-idem-e', 'e@hooli.com', 'crm-a'),
          created('lead-idem-a', 'first.person@acmesoft.com', 'crm-a'),
          {
            idempotencyKey: 'batch-new',
            leadId: 'lead-idem-a',
            type: 'intent.recorded',
            source: 'crm-a',
            payload: { action: 'pricing-page' },
          },
        ],
      })
      expect(batch.statusCode).toBe(200)
      const results = batch.json<{ results: { index: number; status: string }[] }>().results
      expect(results.map(({ index, status }) => [index, status])).toEqual([
        [0, 'appended'],
        [1, 'conflict'],
        [2, 'duplicate'],
        [3, 'conflict'],
      ])
      const { problems } = conflictProblem('crm-contact-1', 'crm-a')
      expect(results[1]).toEqual({ index: 1, status: 'conflict', problems })
      expect(results[3]).toEqual({
        index: 3,
        status: 'conflict',
        problems: conflictProblem('batch-new', 'crm-a').problems,
      })
      expect((await admin.inject({ method: 'GET', url: '/leads/lead-idem-e' })).statusCode).toBe(
        404,
      )
    })

    it('refuses a transition under a key of another event, of this lead or another (409)', async () => {
      const setup = await post('/events/batch', {
        events: [
          { ...created('lead-idem-t', 't@wayne.com'), idempotencyKey: 't-created' },
          {
            idempotencyKey: 't-intent',
            leadId: 'lead-idem-t',
            type: 'intent.recorded',
            occurredAt: T0 + MINUTE,
            payload: { action: 'demo-request' },
          },
          {
            idempotencyKey: 't-owner',
            leadId: 'lead-idem-t',
            type: 'owner.assigned',
            occurredAt: T0 + 2 * MINUTE,
            payload: { ownerId: 'sdr-ana', reason: 'round robin' },
          },
        ],
      })
      expect(
        setup.json<{ results: { status: string }[] }>().results.map(({ status }) => status),
      ).toEqual(['appended', 'appended', 'appended'])
      const accept = (idempotencyKey: string) =>
        post('/leads/lead-idem-t/transitions', {
          type: 'sal.accepted',
          idempotencyKey,
          actor: { id: 'sdr-ana' },
        })
      expectConflict(await accept('t-intent'), 't-intent', 'api')
      // lead-idem-d's creation holds this key of source "api".
      expectConflict(await accept('crm-contact-1'), 'crm-contact-1', 'api')
      const applied = await accept('t-accept')
      expect(applied.statusCode).toBe(200)
      expect(applied.json()).toMatchObject({ status: 'applied', lead: { stage: 'sal' } })
      expect((await accept('t-accept')).json()).toEqual({ status: 'duplicate' })
    })

    it('refuses live events in the source reserved for Leadclock itself (400)', async () => {
      const forged = await post('/events', {
        ...created('lead-idem-s', 's@stark.com', 'system'),
        idempotencyKey: 'suppress:stark.com:lead-idem-s',
      })
      expect(forged.statusCode).toBe(400)
      expect(forged.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        detail: 'the event is invalid',
        problems: [
          {
            field: 'source',
            rule: 'reserved-source',
            message: 'source "system" is reserved for the events Leadclock records itself',
          },
        ],
      })
    })
  })
}
