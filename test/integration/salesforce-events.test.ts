/**
 * POST /connectors/salesforce/events on both stores: a realistic batch of Change Data Capture
 * events (the fixture, written from Salesforce's documented format, hostile items included) posted
 * by a relay with an integration token is recorded with exact counts; its redelivery records
 * nothing new; oversized, malformed and unauthorised requests record nothing.
 */
import { readFileSync } from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { salesforceChangeEvents } from '../../src/connectors/salesforce/salesforce-intake.js'
import { defaultSalesforceMapping } from '../../src/connectors/salesforce/test-support.js'
import { MINUTE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { SALESFORCE_EVENTS_PATH } from '../../src/http/salesforce-events.route.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import type { ApiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { countEventsOf, openLiveApi } from './live-api.js'

/** The fixture's changes were committed from T0 to T0 + 11 min. */
const NOW = T0 + 15 * MINUTE
const BATCH = readFileSync(
  new URL('./fixtures/salesforce-change-events.json', import.meta.url),
  'utf8',
)
const mapping = defaultSalesforceMapping({ '0055f000005mc66AAA': 'sdr-ana-lopez' })

for (const dialect of DIALECTS) {
  describe(`Salesforce change events on ${dialect}`, () => {
    let live: LiveApi
    let relay: ApiCaller
    beforeAll(async () => {
      live = await openLiveApi(dialect, defaultPolicyPath(), () => NOW, {
        salesforce: salesforceChangeEvents(mapping),
      })
      relay = await live.callerFor('integration', null)
    })
    afterAll(async () => {
      await live.app.close()
      await live.database.close()
    })

    const post = (caller: ApiCaller, payload: string) =>
      caller.inject({
        method: 'POST',
        url: SALESFORCE_EVENTS_PATH,
        headers: { 'content-type': 'application/json' },
        payload,
      })
    const salesforceEvents = () => countEventsOf(live, 'salesforce')

    const leadOf = (recordId: string) => `salesforce-lead-${recordId}`
    const COUNTS = { ignored: 8, 'needs-refetch': 2, refused: 3, invalid: 1, conflict: 0 }

    it('records a realistic batch: 10 appended, 8 ignored, 2 needing a re-read, 3 refused, 1 invalid', async () => {
      const response = await post(relay, BATCH)
      expect(response.statusCode).toBe(200)
      const answer = response.json<{
        results: { index: number; status: string; type?: string; leadId?: string; rule?: string }[]
        counts: unknown
      }>()
      expect(answer.counts).toEqual({ appended: 10, duplicate: 0, ...COUNTS })
      expect(
        answer.results.map(({ index, status, type, rule }) => [index, status, type ?? rule ?? '']),
      ).toEqual([
        [0, 'appended', 'lead.created'],
        [0, 'appended', 'owner.assigned'],
        [1, 'appended', 'lead.created'],
        [1, 'ignored', ''],
        [2, 'appended', 'activity.logged'],
        [3, 'appended', 'lead.updated'],
        [4, 'refused', 'unmapped-owner'],
        [5, 'needs-refetch', ''],
        [5, 'needs-refetch', ''],
        [6, 'appended', 'lead.created'],
        [6, 'ignored', ''],
        [7, 'appended', 'lead.disqualified'],
        [7, 'appended', 'lead.disqualified'],
        [8, 'ignored', ''],
        [9, 'ignored', ''],
        [10, 'ignored', ''],
        [11, 'ignored', ''],
        [11, 'appended', 'opportunity.created'],
        [12, 'ignored', ''],
        [13, 'refused', 'salesforce-change-event'],
        [14, 'invalid', 'lead.created'],
        [14, 'ignored', ''],
        [15, 'refused', 'salesforce-change-event'],
        [16, 'appended', 'activity.logged'],
      ])
      expect(answer.results[7]).toEqual({
        index: 5,
        status: 'needs-refetch',
        reason:
          'Lead 00Q5f000001AbCeEAF: GAP_UPDATE: the change carries no values; re-read the record',
      })
      expect(answer.results[20]).toEqual({
        index: 14,
        status: 'invalid',
        type: 'lead.created',
        leadId: leadOf('00Q5f000001AbCgEAF'),
        rule: 'too_big',
        reason: 'payload.profile.email: Too big: expected string to have <=320 characters',
      })
      // Recorded, and flagged: Leadclock had not seen the lead reach SQL before its conversion.
      expect(answer.results[17]).toEqual({
        index: 11,
        status: 'appended',
        type: 'opportunity.created',
        leadId: leadOf('00Q5f000001AbCdEAF'),
        rule: 'stage-order',
        reason: 'Opportunity creation needs the lead in SQL; it is in INQUIRY',
      })
      expect(await salesforceEvents()).toBe(10)
    })

    it('the created lead has its Salesforce profile, source and owner, and each change in order', async () => {
      const response = await live.admin.inject({
        method: 'GET',
        url: `/leads/${leadOf('00Q5f000001AbCdEAF')}`,
      })
      expect(response.statusCode).toBe(200)
      const view = response.json<{
        lead: {
          source: string
          ownerId: string
          createdAt: string
          profile: unknown
          activities: { activityType: string; outcome?: string; occurredAt: number }[]
        }
        timeline: { type: string; source: string }[]
      }>()
      expect(view.lead.source).toBe('salesforce-web')
      expect(view.lead.ownerId).toBe('sdr-ana-lopez')
      expect(view.lead.createdAt).toBe('2026-03-03T14:00:00.000Z')
      // The logged call (a Task) at its CompletedDateTime, then the Status change.
      expect(
        view.lead.activities.map(({ activityType, outcome, occurredAt }) => [
          activityType,
          outcome ?? null,
          occurredAt,
        ]),
      ).toEqual([
        ['call', null, T0 + 4 * MINUTE],
        ['status-change', 'connected', T0 + 5 * MINUTE],
      ])
      expect(view.lead.profile).toEqual({
        firstName: 'Maya',
        lastName: 'Example-Reyes',
        email: 'maya.example@example.com',
        phone: '+1 555 0143',
        company: 'Example Robotics',
        title: 'VP Operations',
        industry: 'Manufacturing',
        country: 'US',
      })
      expect(
        view.timeline.filter((event) => event.source === 'salesforce').map((event) => event.type),
      ).toEqual([
        'lead.created',
        'owner.assigned',
        'activity.logged',
        'activity.logged',
        'lead.updated',
        'opportunity.created',
      ])
      const hostile = await live.admin.inject({
        method: 'GET',
        url: `/leads/${leadOf('00Q5f000001AbCfEAF')}`,
      })
      expect(
        hostile.json<{ lead: { profile: { company: string; title: string } } }>().lead.profile,
      ).toMatchObject({
        company: "Robert'); DROP TABLE lead_events;--",
        title: '<img src=x onerror=alert(1)>',
      })
    })

    it('a redelivery of the same batch records nothing new (10 duplicates)', async () => {
      const response = await post(relay, BATCH)
      expect(response.statusCode).toBe(200)
      expect(response.json<{ counts: unknown }>().counts).toEqual({
        appended: 0,
        duplicate: 10,
        ...COUNTS,
      })
      expect(await salesforceEvents()).toBe(10)
    })

    it('takes one change event as a bare object', async () => {
      const event = {
        ChangeEventHeader: {
          entityName: 'Lead',
          recordIds: ['00Q5f000001AbCfEAF'],
          changeType: 'UPDATE',
          changeOrigin: 'com/salesforce/api/rest/60.0',
          transactionKey: '0000a1d0-0ac9-7da3-edb3-ea0e31b2334a',
          sequenceNumber: 1,
          commitTimestamp: T0 + 12 * MINUTE,
          commitNumber: 1100638600001,
          commitUser: '0055f000005mc66AAA',
          nulledFields: [],
          diffFields: [],
          changedFields: ['Title', 'LastModifiedDate'],
        },
        Title: 'Director of Operations',
        LastModifiedDate: '2026-03-03T14:12:00.000Z',
      }
      const response = await post(relay, JSON.stringify(event))
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({
        results: [
          {
            index: 0,
            status: 'appended',
            type: 'lead.updated',
            leadId: leadOf('00Q5f000001AbCfEAF'),
          },
        ],
        counts: {
          appended: 1,
          duplicate: 0,
          ignored: 0,
          'needs-refetch': 0,
          refused: 0,
          invalid: 0,
          conflict: 0,
        },
      })
      expect(await salesforceEvents()).toBe(11)
    })

    it('refuses a rep token (403) and no token (401), recording nothing', async () => {
      const rep = await live.callerFor('rep', 'sdr-ana-lopez')
      const forbidden = await post(rep, BATCH)
      expect(forbidden.statusCode).toBe(403)
      expect(forbidden.json<{ rule: string }>().rule).toBe('capability')
      const anonymous = await live.app.inject({
        method: 'POST',
        url: SALESFORCE_EVENTS_PATH,
        headers: { 'content-type': 'application/json' },
        payload: BATCH,
      })
      expect(anonymous.statusCode).toBe(401)
      expect(anonymous.json()).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'this route needs Authorization: Bearer <token> or a session (POST /auth/session)',
        rule: 'authentication',
      })
      expect(await salesforceEvents()).toBe(11)
    })

    it('refuses an oversized body (413), malformed JSON, a poisoned prototype, an empty batch and a bare string (400), recording nothing', async () => {
      const fresh = BATCH.replaceAll('0000a1', '0000f1')
      const oversized = await post(relay, `${fresh}${' '.repeat(1024 * 1024)}`)
      expect(oversized.statusCode).toBe(413)
      expect(oversized.json<{ rule: string }>().rule).toBe('body-limit')
      const malformed = await post(relay, '[{"ChangeEventHeader":')
      expect(malformed.statusCode).toBe(400)
      expect(malformed.json<{ rule: string }>().rule).toBe('json')
      const poisoned = await post(relay, '[{"__proto__":{"ChangeEventHeader":{}}}]')
      expect(poisoned.statusCode).toBe(400)
      expect(poisoned.json<{ rule: string }>().rule).toBe('json')
      const empty = await post(relay, '[]')
      expect(empty.statusCode).toBe(400)
      expect(empty.json<{ problems: unknown }>().problems).toEqual([
        {
          field: 'body',
          rule: 'too_small',
          message: 'Too small: expected array to have >=1 items',
        },
      ])
      const bare = await post(relay, '"LeadChangeEvent"')
      expect(bare.statusCode).toBe(400)
      expect(await salesforceEvents()).toBe(11)
    })
  })
}
