/**
 * The role matrix: every route the app registers, called by an anonymous caller and by a token of
 * each role, is let through or refused exactly as the table below says. The routes come from the
 * app itself, so a route added without a row here fails the suite. "Refused" is the access check's
 * own answer (401 `authentication`, 403 `capability`); anything else means the route was reached.
 * A route authenticated by a signature (a CRM's webhook) refuses every caller without one, token
 * or not (401 `signature-timestamp`, the first thing it checks).
 * Object-level checks follow: a lead outside the caller's scope is not found.
 */
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { AccessRole } from '../../src/access/access-roles.js'
import { ACCESS_ROLES } from '../../src/access/access-roles.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { hubspotWebhookIntake } from '../../src/connectors/hubspot/hubspot-intake.js'
import { defaultHubspotMapping } from '../../src/connectors/hubspot/test-support.js'
import { salesforceChangeEvents } from '../../src/connectors/salesforce/salesforce-intake.js'
import { defaultSalesforceMapping } from '../../src/connectors/salesforce/test-support.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

const policy = loadDefaultPolicy()
const NOW = T0 + 10 * MINUTE

const PUBLIC = 'public'
/** Authenticated by the caller's signature alone: no token opens it, for any role. */
const SIGNED = 'signature'
const LEADS: readonly AccessRole[] = ['rep', 'manager', 'revops', 'admin']
const REPORTS: readonly AccessRole[] = ['revops', 'leadership', 'admin']
const OPERATIONS: readonly AccessRole[] = ['revops', 'admin']

/** Who may call each route ("METHOD url" as registered); HEAD follows its GET unless listed. */
const MATRIX: Readonly<Record<string, typeof PUBLIC | typeof SIGNED | readonly AccessRole[]>> = {
  'GET /docs': PUBLIC,
  'HEAD /docs/': PUBLIC,
  'GET /docs/json': PUBLIC,
  'GET /docs/yaml': PUBLIC,
  'GET /docs/static/index.html': PUBLIC,
  'GET /docs/static/swagger-initializer.js': PUBLIC,
  'GET /docs/static/*': PUBLIC,
  'GET /health': PUBLIC,
  'POST /auth/session': PUBLIC,
  'GET /auth/session': ACCESS_ROLES,
  'DELETE /auth/session': ACCESS_ROLES,
  'POST /tokens': ['admin'],
  'GET /tokens': ['admin'],
  'DELETE /tokens/:tokenId': ['admin'],
  'GET /audit': OPERATIONS,
  'POST /events': ['integration', 'admin'],
  'POST /events/batch': ['integration', 'admin'],
  'GET /leads': LEADS,
  'GET /leads/:leadId': LEADS,
  'GET /leads/:leadId/briefing': LEADS,
  'GET /leads/:leadId/export': LEADS,
  'GET /clocks': LEADS,
  'POST /leads/:leadId/transitions': LEADS,
  'GET /escalations': LEADS,
  'GET /tasks': LEADS,
  'GET /notifications': OPERATIONS,
  'POST /notifications/:deliveryKey/replay': OPERATIONS,
  'GET /scheduler': OPERATIONS,
  'GET /roster': OPERATIONS,
  'PUT /roster': OPERATIONS,
  'GET /policy': OPERATIONS,
  'PUT /policy': OPERATIONS,
  'GET /reports/handoffs': REPORTS,
  'GET /reports/escalations': REPORTS,
  'GET /reports/routing': REPORTS,
  'GET /reports/metrics': REPORTS,
  'GET /reports/metrics/mine': LEADS,
  'GET /team': ['manager', 'revops', 'admin'],
  'GET /reports/metrics/trends': REPORTS,
  'POST /privacy/erase': OPERATIONS,
  'POST /connectors/hubspot/webhooks': SIGNED,
  'POST /connectors/salesforce/events': ['integration', 'admin'],
}

/** Who each role's token acts for: the rep owns lead-ana, the manager is her manager. */
const PEOPLE: Readonly<Record<AccessRole, string | null>> = {
  rep: 'sdr-ana-lopez',
  manager: 'mgr-carla-reyes',
  revops: 'revops-mei-tanaka',
  leadership: 'vp-grace-okafor',
  admin: 'revops-mei-tanaka',
  integration: null,
}

type Caller = AccessRole | 'anonymous'
type Outcome = 'reached' | 'unauthorized' | 'forbidden' | 'unsigned'

function expectedOutcome(route: string, caller: Caller): Outcome {
  const [method, url] = route.split(' ')
  const allowed = MATRIX[route] ?? (method === 'HEAD' ? MATRIX[`GET ${url}`] : undefined)
  if (allowed === undefined) {
    throw new Error(`${route} has no row in the role matrix`)
  }
  if (allowed === PUBLIC) {
    return 'reached'
  }
  if (allowed === SIGNED) {
    return 'unsigned'
  }
  if (caller === 'anonymous') {
    return 'unauthorized'
  }
  return allowed.includes(caller) ? 'reached' : 'forbidden'
}

/** A HEAD answer has no body to name its rule; no GET handler answers 401 or 403 itself. */
function outcomeOf(method: string, response: LightMyRequestResponse): Outcome {
  const refused = response.statusCode === 401 || response.statusCode === 403
  const rule =
    refused && method !== 'HEAD'
      ? response.json<{ rule?: string }>().rule
      : { 401: 'authentication', 403: 'capability' }[response.statusCode]
  if (response.statusCode === 401 && rule === 'authentication') {
    return 'unauthorized'
  }
  if (response.statusCode === 401 && rule === 'signature-timestamp') {
    return 'unsigned'
  }
  return response.statusCode === 403 && rule === 'capability' ? 'forbidden' : 'reached'
}

let calls = 0

/** A request to `route` that does not change what other requests see (or only adds an event). */
function requestFor(method: string, url: string, caller: Caller) {
  calls += 1
  const key = `matrix-${calls}`
  const path = url
    .replace(':leadId', 'lead-ana')
    .replace(':tokenId', 'tok_none')
    .replace(':deliveryKey', 'none')
    .replace('*', 'swagger-ui.css')
  const activity = {
    idempotencyKey: key,
    leadId: 'lead-ana',
    type: 'activity.logged',
    payload: { activityType: 'email' },
  }
  const bodies: Readonly<Record<string, unknown>> = {
    'POST /auth/session': { token: 'lct_unknown' },
    'POST /tokens': { role: 'admin', personId: `${caller}-nobody` },
    'POST /events': activity,
    'POST /events/batch': { events: [activity] },
    'POST /leads/:leadId/transitions': {
      type: 'sal.rejected',
      idempotencyKey: key,
      payload: { reasonCode: 'NOPE' },
    },
    'PUT /roster': {},
    // Refused as a policy (422): nothing changes.
    'PUT /policy': 'version: not-semantic',
    // A lead that does not exist: nothing is erased (404 once through the access check).
    'POST /privacy/erase': { leadId: 'lead-none' },
    // Unsigned: refused before anything is read.
    'POST /connectors/hubspot/webhooks': [],
    // An Account change: acknowledged and ignored, nothing recorded.
    'POST /connectors/salesforce/events': {
      ChangeEventHeader: {
        entityName: 'Account',
        recordIds: ['0015f00002JUX1JAAX'],
        changeType: 'UPDATE',
        changedFields: ['Phone'],
        commitTimestamp: T0,
        transactionKey: `matrix-${calls}`,
        sequenceNumber: 1,
      },
      Phone: '+1 555 0100',
    },
  }
  const body = bodies[`${method} ${url}`]
  return {
    method: method as 'GET',
    url: path,
    ...(body === undefined ? {} : { payload: body as object | string }),
  }
}

for (const dialect of DIALECTS) {
  describe(`role matrix on ${dialect}`, () => {
    let api: LiveApi
    const callers = new Map<
      Caller,
      (request: ReturnType<typeof requestFor>) => Promise<LightMyRequestResponse>
    >()
    let outsider: ApiCaller

    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW, {
        hubspot: hubspotWebhookIntake('matrix-client-secret', undefined, defaultHubspotMapping()),
        salesforce: salesforceChangeEvents(defaultSalesforceMapping()),
      })
      const setting = { app: api.app, repository: createLeadRepository(api.database), policy }
      callers.set('anonymous', (request) => api.app.inject(request))
      for (const role of ACCESS_ROLES) {
        const caller = await apiCaller(
          { ...setting, roster: api.settings.current().roster.roster },
          role,
          PEOPLE[role],
        )
        callers.set(role, (request) => caller.inject(request))
      }
      outsider = await api.callerFor('manager', 'mgr-david-chen')
      const created = await api.admin.inject({
        method: 'POST',
        url: '/events/batch',
        payload: {
          events: [
            {
              idempotencyKey: 'ana-created',
              leadId: 'lead-ana',
              type: 'lead.created',
              occurredAt: T0,
              payload: { source: 'demo-request', profile: IDEAL_PROFILE },
            },
            {
              idempotencyKey: 'ana-owner',
              leadId: 'lead-ana',
              type: 'owner.assigned',
              occurredAt: T0 + MINUTE,
              payload: { ownerId: 'sdr-ana-lopez', reason: 'round robin' },
            },
          ],
        },
      })
      expect(created.statusCode).toBe(200)
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    it('lets every role through exactly the routes of its row, on every route registered', async () => {
      const routes = api.app.registeredRoutes.map((route) => `${route.method} ${route.url}`)
      expect(routes.length).toBeGreaterThanOrEqual(Object.keys(MATRIX).length)
      // Every row names a route that exists.
      expect(Object.keys(MATRIX).filter((route) => !routes.includes(route))).toEqual([])
      const mismatches: string[] = []
      for (const route of routes) {
        const [method = '', url = ''] = route.split(' ')
        for (const [caller, call] of callers) {
          const response = await call(requestFor(method, url, caller))
          expect(response.statusCode, `${route} as ${caller}: ${response.body}`).toBeLessThan(500)
          const expected = expectedOutcome(route, caller)
          const actual = outcomeOf(method, response)
          if (actual !== expected) {
            mismatches.push(
              `${route} as ${caller}: expected ${expected}, got ${actual} (${response.statusCode})`,
            )
          }
        }
      }
      expect(mismatches).toEqual([])
    })

    it('answers 404 for a lead outside the caller’s scope, on every route that names one', async () => {
      const leadRoutes = api.app.registeredRoutes
        .filter((route) => route.url.includes(':leadId') && route.method !== 'HEAD')
        .map((route) => `${route.method} ${route.url}`)
      expect(leadRoutes.sort()).toEqual([
        'GET /leads/:leadId',
        'GET /leads/:leadId/briefing',
        'GET /leads/:leadId/export',
        'POST /leads/:leadId/transitions',
      ])
      const statuses = async (
        call: (request: ReturnType<typeof requestFor>) => Promise<LightMyRequestResponse>,
      ) =>
        Promise.all(
          leadRoutes.map(async (route) => {
            const [method = '', url = ''] = route.split(' ')
            return (await call(requestFor(method, url, 'rep'))).statusCode
          }),
        )
      // David manages the AEs, not Ana: her lead is not found, as one that does not exist.
      expect(await statuses((request) => outsider.inject(request))).toEqual([404, 404, 404, 404])
      const ana = callers.get('rep')
      const carla = callers.get('manager')
      const mei = callers.get('revops')
      if (!ana || !carla || !mei) {
        throw new Error('callers missing')
      }
      // Her own lead, her manager's team, RevOps: found (the transition is refused by its gate).
      for (const call of [ana, carla, mei]) {
        expect(await statuses(call)).toEqual([200, 200, 200, 422])
      }
    })
  })
}
