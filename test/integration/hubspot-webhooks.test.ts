/**
 * POST /connectors/hubspot/webhooks on both stores: a realistic signed batch (the fixture, written
 * from HubSpot's documented format) is recorded through the live intake with exact counts; its
 * redelivery records nothing new; forged, stale, oversized and malformed deliveries record nothing.
 */
import { readFileSync } from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { hubspotWebhookIntake } from '../../src/connectors/hubspot/hubspot-intake.js'
import { defaultHubspotMapping } from '../../src/connectors/hubspot/test-support.js'
import { MINUTE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { signatureV3 } from '../../src/http/hubspot-signature.js'
import {
  HUBSPOT_BODY_LIMIT_BYTES,
  HUBSPOT_WEBHOOK_PATH,
} from '../../src/http/hubspot-webhooks.route.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { countEventsOf, openLiveApi } from './live-api.js'

const SECRET = 'hubspot-client-secret-example'
const PUBLIC_URL = 'https://leadclock.example.com'
/** The fixture's events happened from T0 to T0 + 66 s. */
const NOW = T0 + 10 * MINUTE
const BATCH = readFileSync(new URL('./fixtures/hubspot-webhook-batch.json', import.meta.url))

/** 41000002 is mapped to someone the roster does not have (any more). */
const mapping = defaultHubspotMapping({
  '41000001': 'sdr-ana-lopez',
  '41000002': 'sdr-left-the-company',
})

interface Delivery {
  readonly body: Buffer
  readonly secret?: string
  readonly timestamp?: number
}

for (const dialect of DIALECTS) {
  describe(`HubSpot webhooks on ${dialect}`, () => {
    let live: LiveApi
    beforeAll(async () => {
      expect(T0).toBe(1772546400000)
      live = await openLiveApi(dialect, defaultPolicyPath(), () => NOW, {
        hubspot: hubspotWebhookIntake(SECRET, PUBLIC_URL, mapping),
      })
    })
    afterAll(async () => {
      await live.app.close()
      await live.database.close()
    })

    const deliver = ({ body, secret = SECRET, timestamp = NOW }: Delivery) =>
      live.app.inject({
        method: 'POST',
        url: HUBSPOT_WEBHOOK_PATH,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(timestamp),
          'x-hubspot-signature-v3': signatureV3(
            secret,
            'POST',
            `${PUBLIC_URL}${HUBSPOT_WEBHOOK_PATH}`,
            body,
            String(timestamp),
          ),
        },
        payload: body,
      })
    const hubspotEvents = () => countEventsOf(live, 'hubspot')

    it('records a signed batch: 6 appended, 3 ignored, 1 refused (an owner not in the mapping)', async () => {
      const response = await deliver({ body: BATCH })
      expect(response.statusCode).toBe(200)
      const answer = response.json<{ results: { status: string }[]; counts: unknown }>()
      expect(answer.counts).toEqual({
        appended: 6,
        duplicate: 0,
        ignored: 3,
        'needs-refetch': 0,
        refused: 1,
        invalid: 0,
        conflict: 0,
      })
      expect(answer.results.map((result) => result.status)).toEqual([
        'appended',
        'appended',
        'appended',
        'appended',
        'ignored',
        'ignored',
        'refused',
        'appended',
        'ignored',
        'appended',
      ])
      expect(answer.results[6]).toEqual({
        index: 6,
        status: 'refused',
        rule: 'unmapped-owner',
        reason: 'HubSpot owner 49999999 is not in the owner mapping; add it to owners',
      })
      expect(await hubspotEvents()).toBe(6)
    })

    it('a redelivery of the same batch records nothing new (6 duplicates)', async () => {
      const response = await deliver({ body: BATCH })
      expect(response.statusCode).toBe(200)
      expect(response.json<{ counts: unknown }>().counts).toEqual({
        appended: 0,
        duplicate: 6,
        ignored: 3,
        'needs-refetch': 0,
        refused: 1,
        invalid: 0,
        conflict: 0,
      })
      expect(await hubspotEvents()).toBe(6)
    })

    it('the contact becomes a lead of its HubSpot owner, whose clocks start, with its lead status as a logged activity', async () => {
      const lead = await live.admin.inject({
        method: 'GET',
        url: '/leads/hubspot-contact-65059681032',
      })
      expect(lead.statusCode).toBe(200)
      const view = lead.json<{
        lead: { ownerId: string | null; stage: string }
        timeline: { type: string; source: string }[]
        clocks: { itemId: string; status: string; startedAt: string }[]
      }>()
      // The webhook carries no profile: the lead stays an inquiry (no email), but the clocks the
      // owner starts run, from the owner's assignment in HubSpot.
      expect(view.lead.stage).toBe('inquiry')
      expect(
        view.clocks.map(({ itemId, status, startedAt }) => [itemId, status, startedAt]),
      ).toEqual([
        ['lead-scoring-latency', 'met', '2026-03-03T14:00:01.000Z'],
        ['sequence-enrollment', 'running', '2026-03-03T14:00:02.000Z'],
      ])
      expect(view.lead.ownerId).toBe('sdr-ana-lopez')
      expect(
        view.timeline.filter((event) => event.source === 'hubspot').map((event) => event.type),
      ).toEqual(['lead.created', 'intent.recorded', 'owner.assigned', 'activity.logged'])
    })

    it('keeps a change to a contact not yet created, which is no lead (404) until its creation arrives late', async () => {
      const unseen = '/leads/hubspot-contact-65059689999'
      const before = await live.admin.inject({ method: 'GET', url: unseen })
      expect(before.statusCode).toBe(404)
      // HubSpot does not guarantee order: the creation, which happened first, arrives after.
      const creation = Buffer.from(
        JSON.stringify([
          {
            eventId: 100301,
            subscriptionId: 234567,
            portalId: 12345678,
            appId: 987654,
            occurredAt: T0 + 30_000,
            subscriptionType: 'contact.creation',
            attemptNumber: 1,
            objectId: 65059689999,
            changeFlag: 'CREATED',
            changeSource: 'FORM',
          },
        ]),
      )
      const response = await deliver({ body: creation })
      expect(response.json<{ counts: { appended: number } }>().counts.appended).toBe(1)
      const after = await live.admin.inject({ method: 'GET', url: unseen })
      expect(after.statusCode).toBe(200)
      expect(
        after.json<{ timeline: { type: string }[] }>().timeline.map((event) => event.type),
      ).toEqual(['lead.created', 'activity.logged'])
      expect(await hubspotEvents()).toBe(7)
    })

    it('records no owner the roster does not have, even when mapped: invalid, rule known-person', async () => {
      const change = Buffer.from(
        JSON.stringify([
          {
            eventId: 100401,
            subscriptionId: 234569,
            portalId: 12345678,
            appId: 987654,
            occurredAt: T0 + 5 * MINUTE,
            subscriptionType: 'contact.propertyChange',
            attemptNumber: 0,
            objectId: 65059681032,
            propertyName: 'hubspot_owner_id',
            propertyValue: '41000002',
            changeFlag: 'PROPERTY_CHANGED',
            changeSource: 'CRM_UI',
          },
        ]),
      )
      const response = await deliver({ body: change })
      expect(response.statusCode).toBe(200)
      expect(response.json<{ results: unknown[] }>().results).toEqual([
        {
          index: 0,
          status: 'invalid',
          type: 'owner.assigned',
          leadId: 'hubspot-contact-65059681032',
          rule: 'known-person',
          reason: 'payload.ownerId: "sdr-left-the-company" is not in the roster',
        },
      ])
      expect(await hubspotEvents()).toBe(7)
    })

    it('refuses a delivery signed with another secret: 401, nothing recorded', async () => {
      const forged = Buffer.from(BATCH.toString('utf8').replaceAll('65059681032', '65059681033'))
      const response = await deliver({ body: forged, secret: 'not-the-client-secret' })
      expect(response.statusCode).toBe(401)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'X-HubSpot-Signature-v3 does not match the request',
        rule: 'signature',
      })
      expect(await hubspotEvents()).toBe(7)
    })

    it('refuses a body changed after signing: 401, nothing recorded', async () => {
      const signed = await deliver({ body: BATCH })
      expect(signed.statusCode).toBe(200)
      const tampered = await live.app.inject({
        method: 'POST',
        url: HUBSPOT_WEBHOOK_PATH,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(NOW),
          'x-hubspot-signature-v3': signatureV3(
            SECRET,
            'POST',
            `${PUBLIC_URL}${HUBSPOT_WEBHOOK_PATH}`,
            BATCH,
            String(NOW),
          ),
        },
        payload: BATCH.toString('utf8').replace('CONNECTED', 'UNQUALIFIED'),
      })
      expect(tampered.statusCode).toBe(401)
      expect(tampered.json<{ rule: string }>().rule).toBe('signature')
      expect(await hubspotEvents()).toBe(7)
    })

    it('refuses a replay signed more than 5 minutes ago: 401 signature-timestamp, nothing recorded', async () => {
      const fresh = Buffer.from(BATCH.toString('utf8').replaceAll('65059681099', '65059681098'))
      const response = await deliver({ body: fresh, timestamp: NOW - 5 * MINUTE - 1 })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: `X-HubSpot-Request-Timestamp ${NOW - 5 * MINUTE - 1} is more than 5 minutes from ${NOW}`,
        rule: 'signature-timestamp',
      })
      expect(await hubspotEvents()).toBe(7)
    })

    it('refuses an oversized delivery (413) and a signed body that is not a JSON array, poisons a prototype or is empty (400), recording nothing', async () => {
      const padding = ' '.repeat(HUBSPOT_BODY_LIMIT_BYTES)
      const oversized = await deliver({ body: Buffer.from(`${BATCH.toString('utf8')}${padding}`) })
      expect(oversized.statusCode).toBe(413)
      expect(oversized.headers['content-type']).toMatch(/^application\/problem\+json/)
      const malformed = await deliver({ body: Buffer.from('[{"eventId":') })
      expect(malformed.statusCode).toBe(400)
      expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/)
      const notArray = await deliver({ body: Buffer.from('{"eventId":1}') })
      expect(notArray.statusCode).toBe(400)
      const poisoned = await deliver({ body: Buffer.from('[{"__proto__":{"portalId":1}}]') })
      expect(poisoned.statusCode).toBe(400)
      const empty = await deliver({ body: Buffer.alloc(0) })
      expect(empty.statusCode).toBe(400)
      expect(await hubspotEvents()).toBe(7)
    })
  })
}

describe('without LEADCLOCK_HUBSPOT_CLIENT_SECRET', () => {
  it('there is no HubSpot route: 404 to a caller with a token', async () => {
    const [dialect] = DIALECTS
    const live = await openLiveApi(dialect ?? 'pglite', defaultPolicyPath(), () => NOW)
    try {
      const response = await live.admin.inject({
        method: 'POST',
        url: HUBSPOT_WEBHOOK_PATH,
        headers: { 'content-type': 'application/json' },
        payload: BATCH,
      })
      expect(response.statusCode).toBe(404)
      expect(response.json<{ detail: string }>().detail).toBe(
        `no route POST ${HUBSPOT_WEBHOOK_PATH}`,
      )
    } finally {
      await live.app.close()
      await live.database.close()
    }
  })
})
