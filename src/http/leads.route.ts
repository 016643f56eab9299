/** GET /leads, GET /leads/:leadId, POST /leads/:leadId/transitions. */
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'

import type { Principal } from '../access/access-roles.js'
import { scopeIncludes, transitionRefusal } from '../access/access-roles.js'
import { parseEventInput } from '../app/event-input.js'
import { requestTransition } from '../app/ingest-events.js'
import { handoffReportFor } from '../app/lead-reports.js'
import { readBriefing } from '../app/read-briefing.js'
import { leadViewJson } from '../app/lead-view-json.js'
import { readLead } from '../app/read-lead.js'
import { instantSchema } from '../domain/instant.js'
import { leadIdSchema } from '../domain/lead-id.js'
import type { SlaClockStatus } from '../domain/sla-clock-view.js'
import { clockedItems, routingExceptionClockId } from '../domain/sla-clock-view.js'
import type { Policy } from '../policy/policy-schema.js'
import type { RoutingDecision } from '../routing/route-lead.js'
import type { LeadEventType } from '../domain/lead-events.js'
import type { Roster } from '../domain/team/roster.js'
import { findPerson } from '../domain/team/roster.js'
import { changeOriginOf, leadScopeFor, principalOf, rosterOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import {
  idempotencyConflictSchema,
  intakeContext,
  sendIdempotencyConflict,
} from './events.route.js'
import type { Problem } from './problem.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import { echoOf, reportWindow, windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

/** The lifecycle moves a person asks for; each is checked against the gates before it is recorded. */
const TRANSITION_TYPES = [
  'review.decided',
  'owner.assigned',
  'sal.accepted',
  'sal.rejected',
  'sql.promoted',
  'ae.accepted',
  'ae.rejected',
  'opportunity.created',
  'opportunity.stage-changed',
  'opportunity.updated',
  'opportunity.closed',
  'escalation.resolved',
  'escalation.root-caused',
  'lead.recycled',
  'lead.disqualified',
  'clock.paused',
  'clock.resumed',
  'task.completed',
] as const satisfies readonly LeadEventType[]

/** Every clock status, as `deriveSlaClocks` judges it (a record, so a new status must be listed). */
const CLOCK_STATUSES: Readonly<Record<SlaClockStatus, string>> = {
  running: 'started, not stopped, breach not reached',
  paused: 'in a pause the policy allows, until it resumes',
  met: 'stopped by its target (or it has none)',
  missed: 'stopped after its target',
  breached: 'not stopped and its breach instant has come',
  'unable-to-run': 'no calendar can be chosen (unknown zone, no calendar for the country…)',
}

const EXCEPTION_QUEUES: Readonly<
  Record<Extract<RoutingDecision, { kind: 'exception' }>['queue'], true>
> = { 'revops-exceptions': true, triage: true }

/**
 * The clock ids `GET /leads?clock=` accepts: the policy's clocked items, then the routing
 * queues with their own SLA (the exception queues and the queues ACV tiers route to).
 */
function clockIds(policy: Policy): string[] {
  const tierQueues = (policy.acvTiers?.tiers ?? []).flatMap((tier) =>
    tier.queue ? [tier.queue] : [],
  )
  return [
    ...clockedItems(policy).map((item) => item.id),
    ...[...new Set([...Object.keys(EXCEPTION_QUEUES), ...tierQueues])].map(routingExceptionClockId),
  ]
}

const leadIdParams = z.object({ leadId: leadIdSchema })

/** A lead the caller may not see is answered as one that does not exist. */
export const leadNotFound = (leadId: string) => ({
  status: 404,
  title: 'Lead not found',
  detail: `no lead ${leadId}`,
})

async function mayRead(
  request: FastifyRequest,
  deps: ServerDependencies,
  leadId: string,
): Promise<boolean> {
  const scope = leadScopeFor(request, deps)
  if (scope.kind === 'all') {
    return true
  }
  const lead = await deps.repository.getLead(leadId)
  return lead !== undefined && scopeIncludes(scope, lead.ownerId)
}

type ActorCheck =
  | { readonly ok: true; readonly actor: { id: string; role?: string } }
  | { readonly ok: false; readonly problem: Omit<Problem, 'type'> }

/**
 * The actor of a transition is the person the token acts for, with their roster role. A body
 * actor naming anyone else (or another role) is refused; a token of no person cannot act.
 */
function authenticatedActor(
  principal: Principal,
  claimed: { readonly id: string; readonly role?: string | undefined } | undefined,
  roster: Roster | undefined,
): ActorCheck {
  if (principal.personId === null) {
    return {
      ok: false,
      problem: {
        status: 403,
        title: 'Forbidden',
        detail:
          'this token acts for no person, and a transition is a person’s act: use a token created with --person',
      },
    }
  }
  const role = roster === undefined ? undefined : findPerson(roster, principal.personId)?.role
  const actor = { id: principal.personId, ...(role === undefined ? {} : { role }) }
  const mismatch =
    claimed === undefined
      ? undefined
      : claimed.id !== actor.id
        ? { field: 'body.actor.id', claimed: claimed.id, actual: actor.id }
        : claimed.role !== undefined && claimed.role !== actor.role
          ? { field: 'body.actor.role', claimed: claimed.role, actual: actor.role ?? '(none)' }
          : undefined
  if (mismatch === undefined) {
    return { ok: true, actor }
  }
  const message = `the actor is the authenticated person (${mismatch.actual}), not "${mismatch.claimed}"; leave actor out`
  return {
    ok: false,
    problem: {
      status: 422,
      title: 'Actor is not the caller',
      detail: message,
      rule: 'authenticated-actor',
      problems: [{ field: mismatch.field, rule: 'authenticated-actor', message }],
    },
  }
}

const leadSummarySchema = z.object({
  leadId: z.string(),
  stage: z.string(),
  ownerId: z.string().nullable(),
  tier: z.string().nullable(),
  score: z.number().nullable(),
  source: z.string(),
  country: z.string().nullable(),
  policyVersion: z.string(),
  updatedAt: z.number(),
})

const leadViewSchema = z
  .object({
    lead: z.record(z.string(), z.unknown()),
    timeZone: z.string(),
    scoreNow: z.record(z.string(), z.unknown()),
    clocks: z.array(z.record(z.string(), z.unknown())),
    clockWaits: z.array(
      z.object({
        itemId: z.string(),
        name: z.string(),
        startsOn: z.string(),
        waitsFor: z.string(),
        missing: z.array(z.string()),
        reason: z.string(),
      }),
    ),
    upcomingEscalations: z.array(z.record(z.string(), z.unknown())),
    tasks: z.array(z.record(z.string(), z.unknown())),
    cadence: z.record(z.string(), z.unknown()).nullable(),
    firedEscalations: z.array(z.record(z.string(), z.unknown())),
    timeline: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({
    id: 'LeadView',
    description:
      'A lead: derived state, score now, SLA clocks and why others have not started, escalation steps fired and still ahead, tasks (required follow-ups with owner and due instant), outreach cadence and its event timeline. ' +
      "Every top-level `…At` field of the lead, a clock (and its `pausedSince.at`), an escalation step, a task, the cadence or a timeline event is an ISO 8601 UTC instant with a `…AtLocal` sibling in the lead's zone (`timeZone`); null stays null.",
  })

export function registerLeadRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/leads',
    {
      config: { access: 'leads:read' },
      schema: {
        summary: 'List leads',
        description: 'A rep sees the leads they own, a manager their team’s; revops and admin all.',
        tags: ['leads'],
        querystring: z.strictObject({
          stage: z.string().max(50).optional(),
          owner: z.string().max(200).optional(),
          tier: z.string().max(50).optional(),
          source: z.string().max(100).optional(),
          queue: z.string().max(100).optional(),
          clock: z
            .string()
            .max(200)
            .optional()
            .describe('an SLA clock id (e.g. sdr-response-tier-1): leads whose clock has started'),
          status: z
            .enum(Object.keys(CLOCK_STATUSES) as [SlaClockStatus, ...SlaClockStatus[]])
            .optional()
            .describe(
              `with clock: its status now — ${Object.entries(CLOCK_STATUSES)
                .map(([status, meaning]) => `${status}: ${meaning}`)
                .join('; ')}`,
            ),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          after: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({
            total: z.number(),
            leads: z.array(leadSummarySchema),
            nextCursor: z.string().nullable(),
          }),
          400: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { limit, after, owner, clock, status, ...rest } = request.query
      const allowedClocks = clockIds(deps.policy)
      if (clock !== undefined && !allowedClocks.includes(clock)) {
        return sendProblem(
          reply,
          invalidInput(`unknown clock "${clock}"`, [
            {
              field: 'querystring.clock',
              rule: 'enum',
              message: `unknown clock "${clock}"; one of: ${allowedClocks.join(', ')}`,
            },
          ]),
        )
      }
      if (status !== undefined && clock === undefined) {
        return sendProblem(
          reply,
          invalidInput('status needs a clock', [
            {
              field: 'querystring.status',
              rule: 'requires',
              message: 'status filters a clock: add clock=<clock id>',
            },
          ]),
        )
      }
      const scope = leadScopeFor(request, deps)
      const filter = {
        ...rest,
        ...(owner === undefined ? {} : { ownerId: owner }),
        ...(scope.kind === 'all' ? {} : { ownerIn: scope.ownerIds }),
        ...(clock === undefined
          ? {}
          : {
              clock: {
                itemId: clock,
                now: deps.now(),
                ...(status === undefined ? {} : { status }),
              },
            }),
      }
      const [page, total] = await Promise.all([
        deps.repository.listLeads(filter, { limit, ...(after === undefined ? {} : { after }) }),
        deps.repository.countLeads(filter),
      ])
      return {
        total,
        nextCursor: page.nextCursor,
        leads: page.leads.map(
          ({ leadId, stage, ownerId, tier, score, source, country, policyVersion, updatedAt }) => ({
            leadId,
            stage,
            ownerId,
            tier,
            score,
            source,
            country,
            policyVersion,
            updatedAt,
          }),
        ),
      }
    },
  )

  app.get(
    '/leads/:leadId',
    {
      config: { access: 'leads:read' },
      schema: {
        summary:
          'Read one lead: state, score breakdown now, SLA clocks, upcoming escalations, timeline',
        tags: ['leads'],
        params: leadIdParams,
        response: { 200: leadViewSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const view = await readLead(deps, request.params.leadId, deps.now())
      if (!view || !scopeIncludes(leadScopeFor(request, deps), view.lead.ownerId)) {
        return sendProblem(reply, leadNotFound(request.params.leadId))
      }
      return reply.send(leadViewJson(view) as unknown as z.infer<typeof leadViewSchema>)
    },
  )

  app.get(
    '/reports/handoffs',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'AE rejection rates by code per AE and per SDR; SQL → Opportunity 4–6 weeks after SQL',
        description:
          'Rejection rates of the SQLs created from `from` to `to` (default: the beginning to now); conversion of the SQLs created 4–6 weeks before `to`.',
        tags: ['reports'],
        querystring: z.strictObject(windowQuery),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request) => {
      const window = reportWindow(request.query, deps.now())
      const report = await handoffReportFor(deps.repository, deps.policy, window)
      return { ...echoOf(window), ...report }
    },
  )

  app.get(
    '/leads/:leadId/briefing',
    {
      config: { access: 'leads:read' },
      schema: {
        summary: 'The SQL briefing document (appendix C) with the SQL gate completeness',
        description:
          'format=markdown or html returns the document itself; json (default) returns it with its completeness.',
        tags: ['leads'],
        params: leadIdParams,
        querystring: z.strictObject({
          format: z.enum(['json', 'markdown', 'html']).default('json'),
        }),
        response: { 200: z.unknown(), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const { leadId } = request.params
      const view = (await mayRead(request, deps, leadId))
        ? await readBriefing(deps, leadId)
        : undefined
      if (!view) {
        return sendProblem(reply, leadNotFound(leadId))
      }
      switch (request.query.format) {
        case 'markdown':
          return reply.type('text/markdown; charset=utf-8').send(view.markdown)
        case 'html':
          return reply.type('text/html; charset=utf-8').send(view.html)
        case 'json':
          return { briefing: view.briefing, completeness: view.completeness }
      }
    },
  )

  app.post(
    '/leads/:leadId/transitions',
    {
      config: { access: 'leads:transition' },
      schema: {
        summary: 'Request a lifecycle transition',
        description:
          'Checked against the policy gates first. A refused transition answers 422 with the rule that refused it and is not recorded. ' +
          'The actor is the person the token acts for: leave `actor` out (an actor naming anyone else answers 422). ' +
          'A rep may ask for transitions on the leads they own, a manager on their team’s; reassignments (owner.assigned) and escalation actions are for managers, revops and admins. ' +
          'Every applied transition is recorded in the audit trail (GET /audit). ' +
          'The idempotencyKey is shared with POST /events (source "api"): the same request again answers `duplicate`, a different one under a used key 409.',
        tags: ['leads'],
        params: leadIdParams,
        body: z.strictObject({
          type: z.enum(TRANSITION_TYPES),
          idempotencyKey: z.string().min(1).max(200),
          actor: z
            .strictObject({
              id: z.string().min(1).max(200),
              role: z.string().max(100).optional(),
            })
            .optional()
            .describe('the authenticated person; may be left out'),
          occurredAt: instantSchema.optional(),
          payload: z.record(z.string(), z.unknown()).default({}),
        }),
        response: {
          200: z.object({ status: z.string(), lead: z.record(z.string(), z.unknown()).optional() }),
          400: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: idempotencyConflictSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const actor = authenticatedActor(principal, request.body.actor, rosterOf(deps))
      if (!actor.ok) {
        return sendProblem(reply, actor.problem)
      }
      const refusal = transitionRefusal(principal.role, request.body.type)
      if (refusal !== undefined) {
        return sendProblem(reply, {
          status: 403,
          title: 'Forbidden',
          detail: refusal,
          rule: 'manager-decision',
        })
      }
      const parsed = parseEventInput(
        { ...request.body, actor: actor.actor, leadId: request.params.leadId },
        intakeContext(deps),
      )
      if (!parsed.ok) {
        return sendProblem(
          reply,
          invalidInput('the transition request is invalid', parsed.problems),
        )
      }
      const scope = leadScopeFor(request, deps)
      const outcome = await requestTransition(deps, parsed.event, {
        mayActOn: (lead) => scopeIncludes(scope, lead.ownerId),
        by: changeOriginOf(request),
      })
      switch (outcome.status) {
        case 'not-found':
          return sendProblem(reply, leadNotFound(request.params.leadId))
        case 'refused':
          return sendProblem(reply, {
            status: 422,
            title: 'Transition refused',
            detail: outcome.refusal.message,
            rule: outcome.refusal.rule,
          })
        case 'duplicate':
          return reply.send({ status: 'duplicate' })
        case 'conflict':
          return sendIdempotencyConflict(reply, outcome.conflict)
        case 'applied':
          return reply.send({
            status: 'applied',
            lead: outcome.lead as unknown as Record<string, unknown>,
          })
      }
    },
  )
}
