/** GET/PUT /roster, GET /team and GET /reports/routing. */
import { z } from 'zod'

import { rosterAudit } from '../app/audit-trail.js'
import type { LiveSettings } from '../app/live-settings.js'
import { routingReportFor } from '../app/routing-report.js'
import { teamStatusFor } from '../app/team-status.js'
import { changeOriginOf, leadScopeFor } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import { reportWindow, windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

const DAY_MS = 86_400_000

export function registerRoutingRoutes(
  app: TypedApp,
  deps: ServerDependencies,
  settings: LiveSettings,
): void {
  app.get(
    '/roster',
    {
      config: { access: 'roster:read' },
      schema: {
        summary: 'The team roster routing uses',
        tags: ['routing'],
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    () => settings.current().roster.roster as unknown as Record<string, unknown>,
  )

  app.get(
    '/team',
    {
      config: { access: 'team:read' },
      schema: {
        summary: 'Who is out of office or at capacity: the caller’s team, read-only',
        description:
          'Each person of the caller’s scope (a manager: themselves and everyone under them; revops and admin: the whole roster), in roster order: role, availability as routing judges it now (`available`, `inactive`, `out of office`, `at capacity`), the out-of-office period in force (its bounds as the roster writes them), and the leads routing assigned them today (UTC day) against their daily capacity.',
        tags: ['routing'],
        response: {
          200: z.object({
            asOf: z.iso.datetime(),
            people: z.array(
              z.object({
                personId: z.string(),
                name: z.string(),
                role: z.string(),
                managerId: z.string().nullable(),
                availability: z.enum(['available', 'inactive', 'out of office', 'at capacity']),
                outOfOffice: z.object({ from: z.string(), to: z.string() }).nullable(),
                assignedToday: z.number().int(),
                capacityPerDay: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const now = deps.now()
      const { policy, roster } = settings.current()
      const people = await teamStatusFor(
        {
          repository: deps.repository,
          policy: policy.policy,
          calendars: policy.calendars,
          roster: roster.roster,
        },
        leadScopeFor(request, deps),
        now,
      )
      return { asOf: new Date(now).toISOString(), people }
    },
  )

  app.put(
    '/roster',
    {
      config: { access: 'roster:write' },
      schema: {
        summary: 'Replace the roster',
        description:
          'Validated first: people, roles, regions, calendars, capacity, out-of-office periods, manager chain, named accounts. A refused roster changes nothing; a replacement is recorded in the audit trail with the people and accounts it changed.',
        tags: ['routing'],
        body: z.record(z.string(), z.unknown()),
        response: {
          200: z.object({ people: z.number(), namedAccounts: z.number() }),
          400: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const at = deps.now()
      const by = changeOriginOf(request)
      const result = await settings.replaceRoster(
        JSON.stringify(request.body, null, 2),
        at,
        (before, after) => rosterAudit(by, before, after, at),
      )
      if (!result.ok) {
        return sendProblem(
          reply,
          invalidInput(
            'the roster is invalid',
            result.problems.map((problem) => ({
              field: problem.path,
              rule: 'roster',
              message: `${problem.message} (line ${problem.line})`,
            })),
          ),
        )
      }
      return {
        people: result.roster.people.length,
        namedAccounts: result.roster.namedAccounts.length,
      }
    },
  )

  app.get(
    '/reports/routing',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'Routing measures: decisions by rule, exceptions, ABM leakage, mis-routes, latency',
        tags: ['reports'],
        description:
          '`to` defaults to now, `from` to 30 days before `to`. `exceptionDecisions` lists the exception and triage decisions (lead, queue, reason, ISO 8601 instants), oldest first.',
        querystring: z.strictObject(windowQuery),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request) => {
      const { from, to } = reportWindow(request.query, deps.now(), 30 * DAY_MS)
      const report = await routingReportFor(
        deps.repository,
        settings.current().roster.roster,
        from,
        to,
      )
      const iso = (at: number) => new Date(at).toISOString()
      return {
        from,
        to,
        ...report,
        exceptionDecisions: report.exceptionDecisions.map((decision) => ({
          ...decision,
          decidedAt: iso(decision.decidedAt),
          dueAt: decision.dueAt === null ? null : iso(decision.dueAt),
        })),
      }
    },
  )
}
