/**
 * Seed 002's ACV tiers through the API (policies/acv-tiers.yaml): the tier decides the MQL
 * threshold, the routing (PLG queue, AE…) and the response deadline, each decision is in the
 * routing log, and GET /leads/{id} shows Leadclock's own tier and score beside the supplied ones.
 */

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { IDEAL_PROFILE, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { packageFilePath } from '../../src/policy/load-policy-file.js'
import type { Database } from '../../src/store/create-database.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi, postDemoRequest } from './live-api.js'

/** Tuesday 09:05 New York: MQLs of T0 + 1 min are routed when received now. */
const NOW = T0 + 5 * MINUTE

interface LeadView {
  lead: {
    stage: string
    ownerId: string | null
    tier: string | null
    queues: string[]
    score: { total: number }
    supplied: unknown
    acvTier: unknown
    routingException: { queue: string; dueAt: number } | null
  }
  clocks: { itemId: string; targetAt: string | null }[]
}

for (const dialect of DIALECTS) {
  describe(`ACV-tier routing on ${dialect}`, () => {
    let database: Database
    let app: FastifyInstance
    let api: LiveApi
    beforeAll(async () => {
      api = await openLiveApi(dialect, packageFilePath('policies', 'acv-tiers.yaml'), () => NOW)
      database = api.database
      app = api.app
    })
    afterAll(async () => {
      await app?.close()
      await database?.close()
    })

    const demoRequest = (
      leadId: string,
      profile: Record<string, unknown>,
      supplied?: Record<string, unknown>,
    ) =>
      postDemoRequest<LeadView>(api, {
        leadId,
        profile,
        createdAt: T0,
        enrichedAt: T0 + 2 * MINUTE,
        ...(supplied ? { supplied } : {}),
      })

    it('queues a PLG lead for onboarding and shows the supplied tier and score beside its own', async () => {
      const view = await demoRequest(
        'acv-plg',
        { ...IDEAL_PROFILE, email: 'sam@acmesoft.com', acvEstimate: 4_000 },
        { acvTier: 'mid-market', score: 41, system: 'hubspot' },
      )
      expect(view.lead).toMatchObject({
        stage: 'mql',
        ownerId: null,
        tier: 'tier-1',
        queues: ['plg-onboarding'],
        score: { total: 95 },
        supplied: { acvTier: 'mid-market', score: 41, system: 'hubspot', at: T0 },
        acvTier: {
          tierId: 'self-serve',
          basis: 'acv-estimate',
          ownTierId: 'self-serve',
          suppliedTierId: 'mid-market',
          detail:
            "Leadclock's tier wins over supplied mid-market (hubspot): ACV estimate 4000 USD is in self-serve (0–10000 USD)",
        },
        // Routed at NOW; the PLG flow's first touch is due 5 business minutes later.
        routingException: { queue: 'plg-onboarding', dueAt: NOW + 5 * MINUTE },
      })
      // The PLG queue's clock is one GET /leads can filter on.
      const queued = await api.admin.inject({
        method: 'GET',
        url: '/leads?clock=routing-exception:plg-onboarding&status=running',
      })
      expect(
        queued.json<{ leads: { leadId: string }[] }>().leads.map((lead) => lead.leadId),
      ).toEqual(['acv-plg'])
    })

    it('gives a mid-enterprise lead straight to an AE with a 15-minute response clock', async () => {
      const view = await demoRequest('acv-mid-enterprise', {
        ...IDEAL_PROFILE,
        email: 'ari@acmesoft.com',
        acvEstimate: 120_000,
      })
      expect(view.lead).toMatchObject({
        stage: 'mql',
        ownerId: 'ae-omar-haddad',
        tier: 'mid-enterprise',
      })
      expect(view.clocks).toContainEqual(
        expect.objectContaining({
          itemId: 'ae-response-mid-enterprise',
          targetAt: new Date(NOW + 15 * MINUTE).toISOString(),
        }),
      )
    })

    it('keeps both decisions in the routing log under the acv-tier rule', async () => {
      const report = (
        await api.admin.inject({
          method: 'GET',
          url: `/reports/routing?from=${new Date(T0).toISOString()}&to=${new Date(NOW + MINUTE).toISOString()}`,
        })
      ).json<{ routed: number; exceptions: number; byRule: Record<string, number> }>()
      expect(report).toEqual(
        expect.objectContaining({ routed: 2, exceptions: 0, byRule: { 'acv-tier': 2 } }),
      )
    })
  })
}
