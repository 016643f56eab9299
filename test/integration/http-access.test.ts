/**
 * Who may do what, through the API: no route but /health and /docs answers an anonymous caller;
 * expired and revoked tokens are refused; a rep sees their own leads, a manager their team's (a
 * lead outside answers 404, lists leave it out); an integration cannot forge the events Leadclock
 * records; the actor of a transition is the caller; every manual change lands in the audit trail
 * with who, when, from where, before and after; dashboard sessions use HttpOnly, SameSite=Strict
 * cookies and a CSRF token on unsafe methods.
 */
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createServer } from '../../src/http/create-server.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

const policy = loadDefaultPolicy()
const NOW = T0 + 10 * MINUTE

/** The leads of this suite and who owns them (Carla manages the SDRs, David the AEs). */
const OWNERS = {
  'lead-ana': 'sdr-ana-lopez',
  'lead-tom': 'sdr-tom-baker',
  'lead-omar': 'ae-omar-haddad',
  'lead-queued': null,
} as const

interface Problem {
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly problems?: readonly { field: string; rule: string; message: string }[]
}

function expectProblem(response: LightMyRequestResponse, status: number): Problem {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  return response.json<Problem>()
}

const leadIdsOf = (response: LightMyRequestResponse): string[] =>
  response.json<{ leads: { leadId: string }[] }>().leads.map((lead) => lead.leadId)

function firedEscalation(leadId: string, stepKey: string) {
  return {
    idempotencyKey: `fired-${stepKey}`,
    leadId,
    type: 'escalation.fired',
    occurredAt: T0 + MINUTE,
    payload: {
      stepKey,
      kind: 'chain-step',
      subjectId: 'sdr-response-tier-1',
      stepId: 'formal-breach',
      title: 'SDR response breached',
      severity: 'formal-breach',
      repId: OWNERS[leadId as keyof typeof OWNERS],
      recipientIds: ['mgr-carla-reyes'],
      graced: false,
      dueAt: T0 + MINUTE,
      actionDueAt: null,
      managerActions: ['coaching-action'],
      rootCauseDueAt: null,
    },
  }
}

for (const dialect of DIALECTS) {
  describe(`who may do what on ${dialect}`, () => {
    let api: LiveApi
    let ana: ApiCaller
    let carla: ApiCaller
    let mei: ApiCaller
    let grace: ApiCaller
    let hubspot: ApiCaller

    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW)
      ana = await api.callerFor('rep', 'sdr-ana-lopez')
      carla = await api.callerFor('manager', 'mgr-carla-reyes')
      mei = await api.callerFor('revops', 'revops-mei-tanaka')
      grace = await api.callerFor('leadership', 'vp-grace-okafor')
      hubspot = await apiCaller(
        { app: api.app, repository: createLeadRepository(api.database), policy },
        'integration',
      )
      const events = Object.entries(OWNERS).flatMap(([leadId, ownerId]) => [
        {
          idempotencyKey: `${leadId}-created`,
          leadId,
          type: 'lead.created',
          occurredAt: T0,
          payload: {
            source: 'webinar',
            profile: { ...IDEAL_PROFILE, email: `${leadId}@acmesoft.com` },
          },
        },
        ...(ownerId === null
          ? []
          : [
              {
                idempotencyKey: `${leadId}-owner`,
                leadId,
                type: 'owner.assigned',
                occurredAt: T0 + MINUTE,
                payload: { ownerId, reason: 'round robin' },
              },
            ]),
      ])
      const recorded = await api.admin.inject({
        method: 'POST',
        url: '/events/batch',
        payload: {
          events: [
            ...events,
            {
              idempotencyKey: 'lead-ana-demo',
              leadId: 'lead-ana',
              type: 'intent.recorded',
              occurredAt: T0 + 2 * MINUTE,
              payload: { action: 'demo-request' },
            },
            {
              idempotencyKey: 'lead-omar-not-ready',
              leadId: 'lead-omar',
              type: 'lead.recycled',
              occurredAt: T0 + 2 * MINUTE,
              payload: { scenario: 'not-ready' },
            },
            firedEscalation('lead-ana', 'ana-breach'),
            firedEscalation('lead-tom', 'tom-breach'),
          ],
        },
      })
      expect(
        recorded.json<{ results: { status: string }[] }>().results.map((result) => result.status),
      ).toEqual(Array.from({ length: 11 }, () => 'appended'))
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    it('answers an anonymous caller 401 problem+json everywhere but /health and /docs', async () => {
      const anonymous = await api.app.inject({ method: 'GET', url: '/leads' })
      expect(expectProblem(anonymous, 401)).toEqual({
        type: 'about:blank',
        status: 401,
        title: 'Unauthorized',
        detail: 'this route needs Authorization: Bearer <token> or a session (POST /auth/session)',
        rule: 'authentication',
      })
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="leadclock"')
      // Also an event post, the route an anonymous caller could use to forge events before.
      const forged = await api.app.inject({
        method: 'POST',
        url: '/events',
        payload: { idempotencyKey: 'x', leadId: 'lead-ana', type: 'lead.suppressed', payload: {} },
      })
      expectProblem(forged, 401)
      // An unknown URL needs a caller too, then is not found.
      expectProblem(await api.app.inject({ method: 'GET', url: '/nowhere' }), 401)
      expectProblem(await api.admin.inject({ method: 'GET', url: '/nowhere' }), 404)
      expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
      const docs = await api.app.inject({ method: 'GET', url: '/docs/json' })
      expect(docs.statusCode).toBe(200)
      const openapi = docs.json<{
        components: { securitySchemes: Record<string, { type: string }> }
        paths: Record<string, Record<string, { security?: unknown; responses: object }>>
      }>()
      expect(openapi.components.securitySchemes).toMatchObject({
        bearerToken: { type: 'http', scheme: 'bearer' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'leadclock_session' },
      })
      expect(openapi.paths['/leads']?.get?.security).toEqual([
        { bearerToken: [] },
        { sessionCookie: [] },
      ])
      expect(Object.keys(openapi.paths['/leads']?.get?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '401', '403']),
      )
      expect(openapi.paths['/auth/session']?.post?.security).toEqual([])
    })

    it('refuses an unknown, malformed, expired or revoked token with 401 naming why', async () => {
      const as = (authorization: string) =>
        api.app.inject({ method: 'GET', url: '/leads', headers: { authorization } })
      expect(expectProblem(await as('Bearer lct_nope'), 401).detail).toBe('unknown token')
      expect(expectProblem(await as('Basic YWxhZGRpbjpvcGVu'), 401).detail).toBe(
        'send the token as Authorization: Bearer <token>',
      )
      const setting = { app: api.app, repository: createLeadRepository(api.database), policy }
      // The API's clock is NOW: a token that expired a minute before is refused.
      const expired = await apiCaller(setting, 'admin', null, {
        createdAt: T0,
        expiresAt: NOW - MINUTE,
      })
      expect(
        expectProblem(await expired.inject({ method: 'GET', url: '/scheduler' }), 401).detail,
      ).toBe(`the token expired at ${new Date(NOW - MINUTE).toISOString()}`)
      const fresh = await apiCaller(setting, 'admin', null, { createdAt: T0, expiresAt: NOW + 1 })
      expect((await fresh.inject({ method: 'GET', url: '/scheduler' })).statusCode).toBe(200)
      const revoked = await apiCaller(setting, 'rep', 'sdr-jake-turner')
      expect((await revoked.inject({ method: 'GET', url: '/leads' })).statusCode).toBe(200)
      const revocation = await api.admin.inject({
        method: 'DELETE',
        url: `/tokens/${revoked.tokenId}`,
      })
      expect(revocation.json()).toMatchObject({ token: { revokedAt: new Date(NOW).toISOString() } })
      expect(
        expectProblem(await revoked.inject({ method: 'GET', url: '/leads' }), 401).detail,
      ).toBe('the token was revoked')
    })

    it('shows a rep their leads and a manager their team’s; another lead is not found', async () => {
      const list = (caller: ApiCaller) => caller.inject({ method: 'GET', url: '/leads' })
      expect(leadIdsOf(await list(ana))).toEqual(['lead-ana'])
      expect((await list(ana)).json()).toMatchObject({ total: 1 })
      expect(leadIdsOf(await list(carla)).sort()).toEqual(['lead-ana', 'lead-tom'])
      expect(leadIdsOf(await list(mei)).sort()).toEqual([
        'lead-ana',
        'lead-omar',
        'lead-queued',
        'lead-tom',
      ])
      // Asking for someone else's leads by owner does not widen the scope.
      const others = await ana.inject({ method: 'GET', url: '/leads?owner=sdr-tom-baker' })
      expect(others.json()).toEqual({ total: 0, nextCursor: null, leads: [] })

      const missing = expectProblem(
        await ana.inject({ method: 'GET', url: '/leads/lead-none' }),
        404,
      )
      for (const url of ['/leads/lead-tom', '/leads/lead-tom/briefing']) {
        expect(expectProblem(await ana.inject({ method: 'GET', url }), 404)).toEqual({
          ...missing,
          detail: 'no lead lead-tom',
        })
      }
      expectProblem(await carla.inject({ method: 'GET', url: '/leads/lead-omar' }), 404)
      expect((await carla.inject({ method: 'GET', url: '/leads/lead-tom' })).statusCode).toBe(200)
      expect((await ana.inject({ method: 'GET', url: '/leads/lead-ana' })).statusCode).toBe(200)
      const transition = await ana.inject({
        method: 'POST',
        url: '/leads/lead-tom/transitions',
        payload: { type: 'sal.accepted', idempotencyKey: 'ana-takes-tom' },
      })
      expect(expectProblem(transition, 404).detail).toBe('no lead lead-tom')

      const escalations = async (caller: ApiCaller) =>
        (await caller.inject({ method: 'GET', url: '/escalations' }))
          .json<{ escalations: { leadId: string }[] }>()
          .escalations.map((row) => row.leadId)
          .sort()
      expect(await escalations(ana)).toEqual(['lead-ana'])
      expect(await escalations(carla)).toEqual(['lead-ana', 'lead-tom'])
      expect(await escalations(mei)).toEqual(['lead-ana', 'lead-tom'])
      // The check-in task of Omar's recycled lead: David's team, not Carla's.
      const tasks = async (caller: ApiCaller) =>
        (await caller.inject({ method: 'GET', url: '/tasks' }))
          .json<{ tasks: { leadId: string; source: string }[] }>()
          .tasks.map((task) => `${task.leadId} ${task.source}`)
      const david = await api.callerFor('manager', 'mgr-david-chen')
      expect(await tasks(mei)).toEqual(['lead-omar check-in:not-ready'])
      expect(await tasks(david)).toEqual(['lead-omar check-in:not-ready'])
      expect(await tasks(carla)).toEqual([])
      expect(await tasks(ana)).toEqual([])
      // Leadership reads reports, not leads.
      expectProblem(await grace.inject({ method: 'GET', url: '/leads' }), 403)
      expect((await grace.inject({ method: 'GET', url: '/reports/escalations' })).statusCode).toBe(
        200,
      )
    })

    it('lists the open clocks of the caller’s scope with the business time left, as the lead page shows them', async () => {
      const clocks = async (caller: ApiCaller, query = '') =>
        (await caller.inject({ method: 'GET', url: `/clocks${query}` })).json<{
          asOf: string
          clocks: { leadId: string; clock: Record<string, unknown> }[]
        }>()
      const rows = async (caller: ApiCaller, query = '') =>
        (await clocks(caller, query)).clocks.map(({ leadId, clock }) => [
          leadId,
          clock.itemId,
          clock.status,
          clock.leftToTargetMs,
          clock.leftToBreachMs,
        ])
      // At 09:10 New York: routing (15 wall minutes, breach 1 h) started 09:02, so 7 and 52
      // minutes are left; sequence enrollment is due by the end of the day, 8 h 50 min of
      // business time (open until 18:00) though 14 h 50 min of wall time.
      expect(await rows(ana)).toEqual([
        ['lead-ana', 'crm-routing-speed', 'running', 7 * MINUTE, 52 * MINUTE],
        ['lead-ana', 'sequence-enrollment', 'running', 530 * MINUTE, 530 * MINUTE],
      ])
      const mine = await clocks(ana)
      expect(mine.asOf).toBe(new Date(NOW).toISOString())
      const page = (await ana.inject({ method: 'GET', url: '/leads/lead-ana' })).json<{
        clocks: Record<string, unknown>[]
      }>()
      expect(mine.clocks.map((row) => row.clock)).toEqual(
        mine.clocks.map((row) => page.clocks.find((clock) => clock.itemId === row.clock.itemId)),
      )
      expect(await rows(carla)).toEqual([
        ['lead-ana', 'crm-routing-speed', 'running', 7 * MINUTE, 52 * MINUTE],
        ['lead-ana', 'sequence-enrollment', 'running', 530 * MINUTE, 530 * MINUTE],
        ['lead-tom', 'sequence-enrollment', 'running', 530 * MINUTE, 530 * MINUTE],
      ])
      expect(await rows(mei, '?status=breached')).toEqual([])
      // Asking for someone else's clocks does not widen the scope.
      expect(await rows(ana, '?owner=sdr-tom-baker')).toEqual([])
      expect((await rows(carla, '?owner=sdr-tom-baker&limit=1')).map((row) => row[0])).toEqual([
        'lead-tom',
      ])
      expectProblem(await grace.inject({ method: 'GET', url: '/clocks' }), 403)
    })

    it('records the caller as the actor, and refuses a body naming another', async () => {
      const accepted = await ana.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: { type: 'sal.accepted', idempotencyKey: 'ana-accepts' },
      })
      expect(accepted.statusCode, accepted.body).toBe(200)
      expect(accepted.json()).toMatchObject({ status: 'applied', lead: { stage: 'sal' } })
      const view = (await ana.inject({ method: 'GET', url: '/leads/lead-ana' })).json<{
        timeline: { idempotencyKey: string; actor: unknown }[]
      }>()
      expect(view.timeline.find((event) => event.idempotencyKey === 'ana-accepts')?.actor).toEqual({
        id: 'sdr-ana-lopez',
        role: 'sdr',
      })
      const impersonating = await ana.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: {
          type: 'clock.resumed',
          idempotencyKey: 'ana-as-vp',
          actor: { id: 'vp-grace-okafor', role: 'vp-sales' },
          payload: { item: 'sdr-response-tier-1' },
        },
      })
      expect(expectProblem(impersonating, 422).problems).toEqual([
        {
          field: 'body.actor.id',
          rule: 'authenticated-actor',
          message:
            'the actor is the authenticated person (sdr-ana-lopez), not "vp-grace-okafor"; leave actor out',
        },
      ])
      const wrongRole = await ana.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: {
          type: 'clock.resumed',
          idempotencyKey: 'ana-as-manager',
          actor: { id: 'sdr-ana-lopez', role: 'sdr-manager' },
          payload: { item: 'sdr-response-tier-1' },
        },
      })
      expect(expectProblem(wrongRole, 422).problems?.[0]?.field).toBe('body.actor.role')
      // A rep does not take decisions that are a manager's.
      const resolved = await ana.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: {
          type: 'escalation.resolved',
          idempotencyKey: 'ana-resolves-own-breach',
          payload: { stepKey: 'ana-breach', action: 'coaching-action', note: 'all good' },
        },
      })
      expect(expectProblem(resolved, 403).detail).toBe(
        "escalation.resolved is a manager's decision: a manager, revops or admin records it",
      )
      // An admin token of no person cannot act as anyone.
      const nobody = await api.admin.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: { type: 'sal.accepted', idempotencyKey: 'admin-accepts' },
      })
      expect(expectProblem(nobody, 403).detail).toMatch(/^this token acts for no person/)
    })

    it('lets an integration post what happened, never what Leadclock records itself', async () => {
      const post = (url: string, payload: object) =>
        hubspot.inject({ method: 'POST', url, payload })
      const suppressed = await post('/events', {
        idempotencyKey: 'forged-1',
        leadId: 'lead-ana',
        type: 'lead.suppressed',
        payload: { domain: 'a.io' },
      })
      expect(expectProblem(suppressed, 403)).toEqual({
        type: 'about:blank',
        status: 403,
        title: 'Event not allowed',
        detail: 'lead.suppressed is recorded by Leadclock itself, never by an integration',
        rule: 'integration-event',
        problems: [
          {
            field: 'body.type',
            rule: 'integration-event',
            message: 'lead.suppressed is recorded by Leadclock itself, never by an integration',
          },
        ],
      })
      const batch = await post('/events/batch', {
        events: [
          {
            idempotencyKey: 'fine-1',
            leadId: 'lead-ana',
            type: 'activity.logged',
            payload: { activityType: 'email' },
          },
          firedEscalation('lead-ana', 'forged-step'),
          {
            idempotencyKey: 'forged-route',
            leadId: 'lead-queued',
            type: 'owner.assigned',
            actor: { id: 'leadclock-router' },
            payload: { ownerId: 'sdr-ana-lopez', reason: 'R1' },
          },
          {
            idempotencyKey: 'forged-source',
            leadId: 'lead-queued',
            type: 'activity.logged',
            source: 'system',
            payload: { activityType: 'email' },
          },
          {
            idempotencyKey: 'forged-resolution',
            leadId: 'lead-tom',
            type: 'escalation.resolved',
            payload: { stepKey: 'tom-breach', action: 'coaching-action', note: 'done' },
          },
        ],
      })
      expect(expectProblem(batch, 403).problems).toEqual([
        {
          field: 'body.events.1.type',
          rule: 'integration-event',
          message: 'escalation.fired is recorded by Leadclock itself, never by an integration',
        },
        {
          field: 'body.events.2.actor.id',
          rule: 'integration-event',
          message:
            'owner.assigned claims to come from Leadclock itself, which an integration cannot',
        },
        {
          field: 'body.events.3.source',
          rule: 'integration-event',
          message:
            'activity.logged claims to come from Leadclock itself, which an integration cannot',
        },
        {
          field: 'body.events.4.type',
          rule: 'integration-event',
          message:
            "escalation.resolved is a manager's action on an escalation, not an integration's",
        },
      ])
      // Nothing of the refused batch was recorded.
      const timeline = (await mei.inject({ method: 'GET', url: '/leads/lead-ana' })).json<{
        timeline: { idempotencyKey: string }[]
      }>().timeline
      expect(timeline.map((event) => event.idempotencyKey)).not.toContain('fine-1')
      const logged = await post('/events', {
        idempotencyKey: 'hubspot-call-1',
        leadId: 'lead-ana',
        type: 'activity.logged',
        payload: { activityType: 'call', outcome: 'connected' },
      })
      expect(logged.statusCode).toBe(201)
      expectProblem(await hubspot.inject({ method: 'GET', url: '/leads' }), 403)
    })

    it('audits reassignments, manager actions and roster changes: who, when, where, before, after', async () => {
      const reassigned = await carla.inject({
        method: 'POST',
        url: '/leads/lead-tom/transitions',
        payload: {
          type: 'owner.assigned',
          idempotencyKey: 'carla-moves-tom',
          payload: {
            ownerId: 'sdr-lena-fischer',
            reason: 'speaks German',
            reassignment: 'manager-decision',
          },
        },
      })
      expect(reassigned.statusCode, reassigned.body).toBe(200)
      const resolved = await carla.inject({
        method: 'POST',
        url: '/leads/lead-ana/transitions',
        payload: {
          type: 'escalation.resolved',
          idempotencyKey: 'carla-coaches-ana',
          payload: { stepKey: 'ana-breach', action: 'coaching-action', note: 'Coached Ana' },
        },
      })
      expect(resolved.statusCode, resolved.body).toBe(200)
      const roster = (await mei.inject({ method: 'GET', url: '/roster' })).json<{
        people: { id: string; capacityPerDay?: number }[]
      }>()
      const replaced = await mei.inject({
        method: 'PUT',
        url: '/roster',
        payload: {
          ...roster,
          people: roster.people.map((person) =>
            person.id === 'sdr-ana-lopez' ? { ...person, capacityPerDay: 10 } : person,
          ),
        },
      })
      expect(replaced.statusCode, replaced.body).toBe(200)

      const audit = await mei.inject({ method: 'GET', url: '/audit' })
      expect(audit.statusCode).toBe(200)
      const entries = audit.json<{ entries: Record<string, unknown>[] }>().entries
      const at = new Date(NOW).toISOString()
      expect(entries.find((entry) => entry.action === 'owner.assigned')).toMatchObject({
        at,
        subject: 'lead-tom',
        personId: 'mgr-carla-reyes',
        tokenId: carla.tokenId,
        origin: '127.0.0.1',
        before: { stage: 'inquiry', ownerId: 'sdr-tom-baker' },
        after: { stage: 'inquiry', ownerId: 'sdr-lena-fischer' },
        detail: {
          idempotencyKey: 'carla-moves-tom',
          payload: {
            ownerId: 'sdr-lena-fischer',
            reason: 'speaks German',
            reassignment: 'manager-decision',
          },
        },
      })
      expect(entries.find((entry) => entry.action === 'escalation.resolved')).toMatchObject({
        subject: 'lead-ana',
        personId: 'mgr-carla-reyes',
        detail: {
          payload: { stepKey: 'ana-breach', action: 'coaching-action', note: 'Coached Ana' },
        },
      })
      const rosterEntry = entries.find((entry) => entry.action === 'roster.replaced')
      expect(rosterEntry).toMatchObject({
        subject: 'roster',
        personId: 'revops-mei-tanaka',
        tokenId: mei.tokenId,
        origin: '127.0.0.1',
        before: { people: { 'sdr-ana-lopez': { id: 'sdr-ana-lopez' } }, namedAccounts: {} },
        after: {
          people: { 'sdr-ana-lopez': { id: 'sdr-ana-lopez', capacityPerDay: 10 } },
          namedAccounts: {},
        },
      })
      expect(
        Object.keys((rosterEntry?.before as { people: object } | undefined)?.people ?? {}),
      ).toEqual(['sdr-ana-lopez'])
      const carlas = (
        await mei.inject({ method: 'GET', url: '/audit?person=mgr-carla-reyes' })
      ).json<{ entries: { action: string }[] }>().entries
      expect(carlas.map((entry) => entry.action)).toEqual(['escalation.resolved', 'owner.assigned'])
      const before = await mei.inject({
        method: 'GET',
        url: `/audit?to=${encodeURIComponent(at)}`,
      })
      // Before NOW: only the two tokens the expiry test created at T0.
      expect(
        before
          .json<{ entries: { action: string; at: string }[] }>()
          .entries.map((entry) => `${entry.action} ${entry.at}`),
      ).toEqual([
        `token.created ${new Date(T0).toISOString()}`,
        `token.created ${new Date(T0).toISOString()}`,
      ])
      expectProblem(await carla.inject({ method: 'GET', url: '/audit' }), 403)
      // Lena is in Carla's team too: the lead stays in her view.
      expect(leadIdsOf(await carla.inject({ method: 'GET', url: '/leads' })).sort()).toEqual([
        'lead-ana',
        'lead-tom',
      ])
    })

    it('logs in to a session: HttpOnly SameSite=Strict cookie, CSRF on unsafe methods, logout', async () => {
      const refused = await api.app.inject({
        method: 'POST',
        url: '/auth/session',
        payload: { token: ana.secret, personId: 'sdr-tom-baker' },
      })
      expect(expectProblem(refused, 401).detail).toBe('the token does not belong to sdr-tom-baker')
      expectProblem(
        await api.app.inject({
          method: 'POST',
          url: '/auth/session',
          payload: { token: hubspot.secret },
        }),
        403,
      )
      const login = await api.app.inject({
        method: 'POST',
        url: '/auth/session',
        payload: { token: ana.secret, personId: 'sdr-ana-lopez' },
      })
      expect(login.statusCode, login.body).toBe(201)
      const session = login.json<{ csrfToken: string; expiresAt: string }>()
      expect(login.json()).toEqual({
        tokenId: ana.tokenId,
        role: 'rep',
        personId: 'sdr-ana-lopez',
        csrfToken: session.csrfToken,
        expiresAt: new Date(NOW + 12 * 60 * MINUTE).toISOString(),
      })
      const cookies = login.headers['set-cookie'] as string[]
      const sessionCookie = cookies.find((cookie) => cookie.startsWith('leadclock_session='))
      expect(sessionCookie).toMatch(
        /^leadclock_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; SameSite=Strict; HttpOnly$/,
      )
      expect(cookies).toContain(
        `leadclock_csrf=${session.csrfToken}; Path=/; Max-Age=43200; SameSite=Strict`,
      )
      const cookie = (sessionCookie ?? '').split(';')[0] ?? ''
      const inSession = (method: 'GET' | 'POST' | 'DELETE', url: string, csrf?: string) =>
        api.app.inject({
          method,
          url,
          headers: { cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
          ...(method === 'POST'
            ? {
                payload: {
                  type: 'clock.paused',
                  idempotencyKey: `session-pause-${csrf ?? 'none'}`,
                  payload: { item: 'sal-resolution-window', reason: 'prospect-out-of-office' },
                },
              }
            : {}),
        })
      expect(leadIdsOf(await inSession('GET', '/leads'))).toEqual(['lead-ana'])
      expect((await inSession('GET', '/auth/session')).json()).toEqual({
        tokenId: ana.tokenId,
        role: 'rep',
        personId: 'sdr-ana-lopez',
      })
      const transitions = '/leads/lead-ana/transitions'
      expect(expectProblem(await inSession('POST', transitions), 403).detail).toBe(
        "a POST in a session needs the session's CSRF token in the x-csrf-token header",
      )
      expectProblem(await inSession('POST', transitions, 'not-the-token'), 403)
      const paused = await inSession('POST', transitions, session.csrfToken)
      expect(paused.statusCode, paused.body).toBe(200)
      expectProblem(await inSession('DELETE', '/auth/session'), 403)
      const logout = await inSession('DELETE', '/auth/session', session.csrfToken)
      expect(logout.statusCode).toBe(204)
      expect(logout.headers['set-cookie']).toEqual([
        'leadclock_session=; Path=/; Max-Age=0; SameSite=Strict; HttpOnly',
        'leadclock_csrf=; Path=/; Max-Age=0; SameSite=Strict',
      ])
      expect(expectProblem(await inSession('GET', '/leads'), 401).detail).toBe(
        'unknown or ended session',
      )
    })

    it('marks the cookies Secure when configured to (always), as over HTTPS', async () => {
      const repository = createLeadRepository(api.database)
      const secureApp = await createServer({
        repository,
        policy,
        calendars: createCalendarSet(policy),
        now: () => NOW,
        access: { pepper: undefined, secureCookies: 'always' },
      })
      try {
        const login = await secureApp.inject({
          method: 'POST',
          url: '/auth/session',
          payload: { token: mei.secret },
        })
        expect(login.statusCode, login.body).toBe(201)
        expect(
          (login.headers['set-cookie'] as string[]).map((cookie) => cookie.split('; ').slice(2)),
        ).toEqual([
          ['Max-Age=43200', 'SameSite=Strict', 'HttpOnly', 'Secure'],
          ['Max-Age=43200', 'SameSite=Strict', 'Secure'],
        ])
      } finally {
        await secureApp.close()
      }
    })
  })
}
