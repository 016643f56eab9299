/**
 * Live routing through the API: each new MQL ends with exactly one owner (rule, reason, next action
 * due) or an exception queue; the roster is editable through the API; the routing report counts it.
 */
import { readFileSync } from 'node:fs'

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { LiveSettings } from '../../src/app/live-settings.js'
import { IDEAL_PROFILE, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { defaultPolicyPath, packageFilePath } from '../../src/policy/load-policy-file.js'
import type { Database } from '../../src/store/create-database.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi, postDemoRequest } from './live-api.js'

const rosterPath = packageFilePath('roster', 'default-roster.yaml')
/** Tuesday 09:05 New York. */
const NOW = T0 + 5 * MINUTE

for (const dialect of DIALECTS) {
  describe(`live routing on ${dialect}`, () => {
    let database: Database
    let app: FastifyInstance
    let settings: LiveSettings
    let api: LiveApi
    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW)
      database = api.database
      app = api.app
      settings = api.settings
    })
    afterAll(async () => {
      await app?.close()
      await database?.close()
    })

    /** Creates a lead with a demo request: an MQL the moment the action lands. */
    const demoRequest = (leadId: string, profile: Record<string, unknown>) =>
      postDemoRequest<{
        lead: { stage: string; ownerId: string | null; queues: string[] }
        timeline: { type: string; actor: { id: string } | null; payload: Record<string, unknown> }[]
      }>(api, { leadId, profile, createdAt: T0 })

    it('assigns a US Tier 1 MQL by round robin, with the rule and the reason', async () => {
      const view = await demoRequest('route-us-1', { ...IDEAL_PROFILE, email: 'dana@acmesoft.com' })
      expect(view.lead.stage).toBe('mql')
      expect(['sdr-ana-lopez', 'sdr-jake-turner']).toContain(view.lead.ownerId)
      const assigned = view.timeline.filter((event) => event.type === 'owner.assigned')
      expect(assigned).toHaveLength(1)
      expect(assigned[0]?.actor?.id).toBe('leadclock-router')
      expect(String(assigned[0]?.payload.reason)).toMatch(/^territory-round-robin: /)
      // The second US lead goes to the other rep: the least loaded first.
      const second = await demoRequest('route-us-2', {
        ...IDEAL_PROFILE,
        email: 'lee@acmesoft.com',
      })
      expect(second.lead.ownerId).not.toBe(view.lead.ownerId)
    })

    it('gives a named account to its owner, and an Irish lead to the SDR who covers Ireland', async () => {
      const named = await demoRequest('route-abm-1', { ...IDEAL_PROFILE, email: 'cfo@globex.com' })
      expect(named.lead.ownerId).toBe('ae-omar-haddad')
      const irish = await demoRequest('route-ie-1', {
        ...IDEAL_PROFILE,
        email: 'kim@acmesoft.com',
        country: 'IE',
        phone: '+353 1 234 5678',
      })
      expect(irish.lead.ownerId).toBe('sdr-tom-baker')
    })

    it('refuses an invalid roster with the path and line, and keeps the old one', async () => {
      const response = await api.admin.inject({
        method: 'PUT',
        url: '/roster',
        payload: {
          people: [
            {
              id: 'x',
              name: 'X',
              email: 'x@leadclock.example',
              role: 'sdr',
              managerId: 'ghost',
              calendarId: 'us-east',
              countries: ['US'],
            },
          ],
        },
      })
      expect(response.statusCode).toBe(400)
      expect(
        response.json<{ problems: { field: string; message: string }[] }>().problems,
      ).toContainEqual(
        expect.objectContaining({
          field: 'people[0].managerId',
          message: expect.stringMatching(
            /^no person "ghost" in the roster \(line \d+\)$/,
          ) as string,
        }),
      )
      expect(
        settings.current().roster.roster.people.some((person) => person.id === 'sdr-ana-lopez'),
      ).toBe(true)
    })

    it('routes with an edited roster, and reports what routing did', async () => {
      const current = (await api.admin.inject({ method: 'GET', url: '/roster' })).json<{
        people: { id: string }[]
        namedAccounts: unknown[]
      }>()
      expect(current.people.length).toBeGreaterThan(10)
      const text = readFileSync(rosterPath, 'utf8')
      // Only Lena covers DE/AT/CH now; GB/IE has nobody.
      const edited = text
        .replace(/ {2}- id: sdr-tom-baker[\s\S]*?(?=\n {2}- id: )/, '')
        .replace(/countries: \[GB, IE, DE, AT, CH\]/g, 'countries: [DE, AT, CH]')
      const { parse } = await import('yaml')
      const response = await api.admin.inject({
        method: 'PUT',
        url: '/roster',
        payload: parse(edited) as object,
      })
      expect(response.statusCode, response.body).toBe(200)
      const irish = await demoRequest('route-ie-2', {
        ...IDEAL_PROFILE,
        email: 'pat@acmesoft.ie',
        country: 'IE',
        phone: '+353 1 234 5679',
      })
      expect(irish.lead.ownerId).toBeNull()
      expect(irish.lead.queues).toContain('revops-exceptions')

      // A manager corrects one routing mistake; a hand-over for capacity is no mis-route.
      const reassigned = await api.admin.inject({
        method: 'POST',
        url: '/events/batch',
        payload: {
          events: [
            ['route-us-1', 'misroute'],
            ['route-us-2', 'capacity'],
          ].map(([leadId, reassignment]) => ({
            idempotencyKey: `${leadId}-reassigned`,
            leadId,
            type: 'owner.assigned',
            occurredAt: T0 + 3 * MINUTE,
            payload: { ownerId: 'sdr-lena-fischer', reason: 'manager', reassignment },
          })),
        },
      })
      expect(
        reassigned.json<{ results: { status: string }[] }>().results.map((r) => r.status),
      ).toEqual(['appended', 'appended'])
      const report = (
        await api.admin.inject({
          method: 'GET',
          url: `/reports/routing?from=${new Date(T0 - MINUTE).toISOString()}&to=${new Date(NOW + MINUTE).toISOString()}`,
        })
      ).json<{
        routed: number
        exceptions: number
        byRule: Record<string, number>
        abmLeakage: string[]
        misroutes: number
        latencyMs: { p50: number }
      }>()
      expect(report).toMatchObject({ routed: 5, exceptions: 1, abmLeakage: [], misroutes: 1 })
      expect(report.byRule).toMatchObject({ 'territory-round-robin': 3, 'named-account': 1 })
      // MQL at T0 + 1 min, routed when received at NOW.
      expect(report.latencyMs.p50).toBe(4 * MINUTE)
    })
  })
}

describe('surge protocol on pglite', () => {
  it('starts a surge when today’s MQLs exceed twice the trailing average: Tier 2 goes to nurture, Tier 1 still routes', async () => {
    let now = T0 - 10 * 86_400_000
    const { app, database, admin } = await openLiveApi('pglite', defaultPolicyPath(), () => now)
    try {
      const mql = async (leadId: string, actions: string[]) => {
        const events = [
          {
            idempotencyKey: `${leadId}-c`,
            leadId,
            type: 'lead.created',
            occurredAt: now - MINUTE,
            payload: {
              profile: { ...IDEAL_PROFILE, email: `${leadId}@acmesoft.com` },
              source: 'webinar',
            },
          },
          ...actions.map((action, i) => ({
            idempotencyKey: `${leadId}-${i}`,
            leadId,
            type: 'intent.recorded',
            occurredAt: now - MINUTE + i + 1,
            payload: { action },
          })),
        ]
        expect(
          (await admin.inject({ method: 'POST', url: '/events/batch', payload: { events } }))
            .statusCode,
        ).toBe(200)
        return (await admin.inject({ method: 'GET', url: `/leads/${leadId}` })).json<{
          lead: { stage: string; tier: string; ownerId: string | null }
        }>().lead
      }
      // A quiet day ten days ago sets the baseline: 1 MQL over 30 days.
      expect(await mql('surge-base', ['demo-request'])).toMatchObject({
        stage: 'mql',
        tier: 'tier-1',
      })
      now = T0
      const warm = await mql('surge-warm', [
        'webinar-live',
        'case-study-download',
        'roi-calculator',
      ])
      expect(warm).toMatchObject({ stage: 'nurture', tier: 'tier-2', ownerId: null })
      const hot = await mql('surge-hot', ['demo-request'])
      expect(hot.stage).toBe('mql')
      expect(hot.ownerId).not.toBeNull()
      // Routed during the surge: its SLA windows stretch 2×, e.g. routing 15 → 30 minutes.
      const clocks = (await admin.inject({ method: 'GET', url: '/leads/surge-hot' })).json<{
        clocks: { itemId: string; startedAt: string; targetAt: string }[]
      }>().clocks
      const routingClock = clocks.find((clock) => clock.itemId === 'crm-routing-speed')
      expect(
        routingClock && Date.parse(routingClock.targetAt) - Date.parse(routingClock.startedAt),
      ).toBe(30 * MINUTE)
      const report = (
        await admin.inject({
          method: 'GET',
          url: `/reports/routing?from=${new Date(T0 - 20 * 86_400_000).toISOString()}&to=${new Date(T0 + MINUTE).toISOString()}`,
        })
      ).json<{
        nurtured: number
        surges: { kind: string; at: number; reason: string }[]
      }>()
      expect(report.nurtured).toBe(1)
      expect(report.surges).toEqual([
        {
          kind: 'surge-started',
          at: T0,
          reason: '1 MQL today against a trailing average of 0.03 a day (surge above 0.07)',
        },
      ])
      await app.close()
    } finally {
      await database.close()
    }
  })
})
