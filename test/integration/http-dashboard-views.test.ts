/**
 * What the dashboard's views read beyond the lead routes: a rep's own measures
 * (GET /reports/metrics/mine, the owner cut of /reports/metrics for exactly their leads), the
 * team a manager assigns to (GET /team: out of office, at capacity, today's load), the measure
 * each clock counts in (GET /clocks `measure`), the routing exceptions to handle
 * (/reports/routing `exceptionDecisions`) and the policy versions with their changes
 * (GET /audit?action=policy.replaced).
 */
import { readFileSync } from 'node:fs'

import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { IDEAL_PROFILE, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { defaultPolicyPath, packageFilePath } from '../../src/policy/load-policy-file.js'
import type { ApiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi, postDemoRequest } from './live-api.js'

const DAY = 86_400_000
/** Tuesday 3 March 2026, 09:05 New York: the demo requests arrive and are routed. */
const ROUTED_AT = T0 + 5 * MINUTE
/** 09:20: the Tier 1 response target (5 business minutes) has passed untouched. */
const LATER = T0 + 20 * MINUTE

function json<T>(response: LightMyRequestResponse): T {
  expect(response.statusCode, response.body).toBe(200)
  return response.json<T>()
}

interface Ratio {
  readonly id: string
  readonly numerator: number
  readonly denominator: number
  readonly value: number | null
  readonly status: string | null
}

for (const dialect of DIALECTS) {
  describe(`the dashboard's reads on ${dialect}`, () => {
    let now = ROUTED_AT
    let api: LiveApi
    let ana: ApiCaller
    let carla: ApiCaller
    let mei: ApiCaller
    let grace: ApiCaller

    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => now)
      ana = await api.callerFor('rep', 'sdr-ana-lopez')
      carla = await api.callerFor('manager', 'mgr-carla-reyes')
      mei = await api.callerFor('revops', 'revops-mei-tanaka')
      grace = await api.callerFor('leadership', 'vp-grace-okafor')
      // Jake (US) is at capacity (none a day) and Maya (US enterprise) too; Tom is away today.
      const roster = parse(
        readFileSync(packageFilePath('roster', 'default-roster.yaml'), 'utf8'),
      ) as { people: Record<string, unknown>[] }
      const edits: Record<string, Record<string, unknown>> = {
        'sdr-jake-turner': { capacityPerDay: 0 },
        'sdr-maya-brooks': { capacityPerDay: 0 },
        'sdr-tom-baker': { outOfOffice: [{ from: '2026-03-02', to: '2026-03-04' }] },
      }
      const edited = await mei.inject({
        method: 'PUT',
        url: '/roster',
        payload: {
          ...roster,
          people: roster.people.map((person) => ({
            ...person,
            ...edits[String(person.id)],
          })),
        },
      })
      expect(edited.statusCode, edited.body).toBe(200)
      for (const [leadId, profile] of [
        ['views-us-1', { ...IDEAL_PROFILE, email: 'dana@acmesoft.com' }],
        ['views-us-2', { ...IDEAL_PROFILE, email: 'lee@acmesoft.com' }],
        // Only Tom covers Britain, and he is away: an exception for revops.
        [
          'views-gb-1',
          { ...IDEAL_PROFILE, email: 'rui@acmesoft.com', country: 'GB', phone: '+44 20 7946 0018' },
        ],
      ] as const) {
        await postDemoRequest(api, { leadId, profile, createdAt: T0, enrichedAt: T0 + MINUTE })
      }
      now = LATER
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    it('lists the team with who is out of office or at capacity and today’s load', async () => {
      const team = json<{ asOf: string; people: Record<string, unknown>[] }>(
        await carla.inject({ method: 'GET', url: '/team' }),
      )
      expect(team.asOf).toBe(new Date(LATER).toISOString())
      const sdrs = team.people.filter((person) => person.role === 'sdr')
      expect(team.people.map((person) => person.personId)).toEqual([
        'mgr-carla-reyes',
        ...sdrs.map((person) => person.personId),
      ])
      expect(sdrs.slice(0, 4)).toEqual([
        {
          personId: 'sdr-ana-lopez',
          name: 'Ana Lopez',
          role: 'sdr',
          managerId: 'mgr-carla-reyes',
          availability: 'available',
          outOfOffice: null,
          assignedToday: 2,
          capacityPerDay: 15,
        },
        {
          personId: 'sdr-jake-turner',
          name: 'Jake Turner',
          role: 'sdr',
          managerId: 'mgr-carla-reyes',
          availability: 'at capacity',
          outOfOffice: null,
          assignedToday: 0,
          capacityPerDay: 0,
        },
        {
          personId: 'sdr-maya-brooks',
          name: 'Maya Brooks',
          role: 'sdr',
          managerId: 'mgr-carla-reyes',
          availability: 'at capacity',
          outOfOffice: null,
          assignedToday: 0,
          capacityPerDay: 0,
        },
        {
          personId: 'sdr-tom-baker',
          name: 'Tom Baker',
          role: 'sdr',
          managerId: 'mgr-carla-reyes',
          availability: 'out of office',
          outOfOffice: { from: '2026-03-02', to: '2026-03-04' },
          assignedToday: 0,
          capacityPerDay: 15,
        },
      ])
      // Revops sees everyone; a rep or leadership may not read it.
      const everyone = json<{ people: unknown[] }>(
        await mei.inject({ method: 'GET', url: '/team' }),
      )
      expect(everyone.people).toHaveLength(api.settings.current().roster.roster.people.length)
      expect((await ana.inject({ method: 'GET', url: '/team' })).statusCode).toBe(403)
      expect((await grace.inject({ method: 'GET', url: '/team' })).statusCode).toBe(403)
    })

    it('gives a rep the measures of their own leads: the owner cut of /reports/metrics', async () => {
      const mine = json<{
        window: { from: string; to: string }
        slaCompliance: { items: Ratio[]; overall: Ratio }
        cohort: { mql: number }
      }>(await ana.inject({ method: 'GET', url: '/reports/metrics/mine' }))
      // The last 7 days by default.
      expect(mine.window).toEqual({
        from: new Date(LATER - 7 * DAY).toISOString(),
        to: new Date(LATER).toISOString(),
      })
      const cut = json<{ cut: { values: { value: string | null; metrics: unknown }[] } }>(
        await mei.inject({
          method: 'GET',
          url: `/reports/metrics?cut=owner&from=${mine.window.from}&to=${mine.window.to}`,
        }),
      )
      expect(mine).toEqual(cut.cut.values.find((value) => value.value === 'sdr-ana-lopez')?.metrics)
      expect(mine.cohort.mql).toBe(2)
      const item = (id: string) => {
        const found = mine.slaCompliance.items.find((ratio) => ratio.id === id)
        return found && [found.numerator, found.denominator, found.value, found.status]
      }
      // Routed at once (15 wall minutes allowed); the 5 business minutes to respond have passed.
      expect(item('crm-routing-speed')).toEqual([2, 2, 100, 'green'])
      expect(item('sdr-response-tier-1')).toEqual([0, 2, 0, 'red'])
      // Her manager's are the team's: the same two leads; leadership has no leads of its own.
      expect(json(await carla.inject({ method: 'GET', url: '/reports/metrics/mine' }))).toEqual(
        mine,
      )
      expect((await grace.inject({ method: 'GET', url: '/reports/metrics/mine' })).statusCode).toBe(
        403,
      )
      const backwards = await ana.inject({
        method: 'GET',
        url: '/reports/metrics/mine?from=2026-03-04&to=2026-03-03',
      })
      expect(backwards.statusCode).toBe(400)
      expect(backwards.json<{ problems: { field: string; rule: string }[] }>().problems).toEqual([
        expect.objectContaining({ field: 'querystring.from', rule: 'before-to' }),
      ])
    })

    it('says which clocks count business time and which the wall clock', async () => {
      const clocks = json<{
        clocks: { leadId: string; clock: { itemId: string; measure: string } }[]
      }>(await mei.inject({ method: 'GET', url: '/clocks?limit=200' }))
      expect(
        clocks.clocks.map(({ leadId, clock }) => [leadId, clock.itemId, clock.measure]).sort(),
      ).toEqual([
        ['views-gb-1', 'crm-routing-speed', 'wall-clock'],
        ['views-gb-1', 'routing-exception:revops-exceptions', 'wall-clock'],
        ['views-us-1', 'sal-accept-reject', 'business'],
        ['views-us-1', 'sdr-response-tier-1', 'business'],
        ['views-us-1', 'sequence-enrollment', 'business'],
        ['views-us-2', 'sal-accept-reject', 'business'],
        ['views-us-2', 'sdr-response-tier-1', 'business'],
        ['views-us-2', 'sequence-enrollment', 'business'],
      ])
    })

    it('lists one SLA item’s open clocks: the backlog of that item', async () => {
      const { clocks } = json<{ clocks: { leadId: string; clock: { itemId: string } }[] }>(
        await ana.inject({ method: 'GET', url: '/clocks?item=sdr-response-tier-1' }),
      )
      expect(clocks.map(({ leadId, clock }) => [leadId, clock.itemId]).sort()).toEqual([
        ['views-us-1', 'sdr-response-tier-1'],
        ['views-us-2', 'sdr-response-tier-1'],
      ])
      const none = json<{ clocks: unknown[] }>(
        await ana.inject({ method: 'GET', url: '/clocks?item=ae-sql-acceptance' }),
      )
      expect(none.clocks).toEqual([])
    })

    it('lists the routing exceptions with their reasons', async () => {
      const report = json<{ exceptions: number; exceptionDecisions: unknown[] }>(
        await mei.inject({ method: 'GET', url: `/reports/routing?from=2026-03-03` }),
      )
      expect(report.exceptions).toBe(1)
      const [decision, ...others] = report.exceptionDecisions as { reason: string; dueAt: string }[]
      expect(others).toEqual([])
      // Only Tom covers Britain, and he is away.
      expect(decision?.reason).toMatch(/GB are out of office or at capacity$/)
      expect(decision).toEqual({
        kind: 'exception',
        leadId: 'views-gb-1',
        mqlNumber: 1,
        decidedAt: new Date(ROUTED_AT).toISOString(),
        ownerId: null,
        rule: null,
        queue: 'revops-exceptions',
        reason: decision?.reason,
        dueAt: decision?.dueAt,
      })
      expect(Date.parse(decision?.dueAt ?? '')).toBeGreaterThan(ROUTED_AT)
    })

    it('lists the policy versions replaced, each with its changes', async () => {
      const yaml = readFileSync(defaultPolicyPath(), 'utf8')
      const { version } = api.settings.current().policy.policy
      const replaced = await mei.inject({
        method: 'PUT',
        url: '/policy',
        headers: { 'content-type': 'application/yaml' },
        payload: yaml
          .replace(/^version: .+$/m, 'version: 2.2.0')
          .replace('target: 2 business hours', 'target: 90 business minutes'),
      })
      expect(replaced.statusCode, replaced.body).toBe(200)
      const { entries } = json<{ entries: Record<string, unknown>[] }>(
        await mei.inject({ method: 'GET', url: '/audit?action=policy.replaced' }),
      )
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({
        action: 'policy.replaced',
        personId: 'revops-mei-tanaka',
        before: { version },
        after: { version: '2.2.0' },
        detail: { changes: replaced.json<{ changes: string[] }>().changes },
      })
      expect(replaced.json<{ changes: string[] }>().changes).toEqual([
        `~ version: ${version} → 2.2.0`,
        '~ SLA item “SDR Response — Tier 2” › target: 2 business hours → 90 business minutes',
      ])
    })
  })
}
