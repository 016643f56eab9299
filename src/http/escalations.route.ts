/** GET /escalations, /notifications (+ replay), /reports/escalations, /scheduler. */
import { z } from 'zod'

import { auditEntry } from '../app/api-tokens.js'
import { escalationReportFor } from '../app/lead-reports.js'
import { leadIdSchema } from '../domain/lead-id.js'
import { changeOriginOf, leadScopeFor } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema, sendProblem } from './problem.js'
import { echoOf, reportWindow, windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

const limit = z.coerce.number().int().min(1).max(1000).default(100)

export function registerEscalationRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/escalations',
    {
      config: { access: 'escalations:read' },
      schema: {
        summary: 'List fired escalation steps',
        description:
          'Newest first; a rep sees the escalations of the leads they own, a manager their team’s. `open=true`: formal breaches without a documented manager action and critical breaches without a root cause. Record one with POST /leads/{leadId}/transitions (escalation.resolved, escalation.root-caused).',
        tags: ['escalations'],
        querystring: z.strictObject({
          open: z.enum(['true', 'false']).optional(),
          repId: z.string().min(1).max(200).optional(),
          ...windowQuery,
          limit,
        }),
        response: {
          200: z.object({
            escalations: z.array(
              z.object({
                stepKey: z.string(),
                leadId: z.string(),
                open: z.boolean(),
                record: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
          400: problemSchema,
        },
      },
    },
    async (request) => {
      const { open, ...rest } = request.query
      const scope = leadScopeFor(request, deps)
      const rows = await deps.repository.escalations.listEscalations({
        ...rest,
        ...(open === undefined ? {} : { open: open === 'true' }),
        ...(scope.kind === 'all' ? {} : { leadOwnerIn: scope.ownerIds }),
      })
      return {
        escalations: rows.map((row) => ({
          ...row,
          record: row.record as unknown as Record<string, unknown>,
        })),
      }
    },
  )

  app.get(
    '/notifications',
    {
      config: { access: 'notifications:read' },
      schema: {
        summary: 'List notification deliveries (the outbox)',
        description:
          'pending: waiting for its (next) attempt; sending: claimed by a worker; delivered; dead: every attempt failed — replay it with POST /notifications/{deliveryKey}/replay.',
        tags: ['escalations'],
        querystring: z.strictObject({
          state: z.enum(['pending', 'sending', 'delivered', 'dead']).optional(),
          leadId: leadIdSchema.optional(),
          limit,
        }),
        response: {
          200: z.object({ deliveries: z.array(z.record(z.string(), z.unknown())) }),
          400: problemSchema,
        },
      },
    },
    async (request) => ({
      deliveries: (await deps.repository.outbox.listDeliveries(request.query)).map((delivery) => ({
        ...delivery,
      })),
    }),
  )

  app.post(
    '/notifications/:deliveryKey/replay',
    {
      config: { access: 'notifications:replay' },
      schema: {
        summary: 'Send a dead (or delivered) notification again',
        tags: ['escalations'],
        params: z.object({ deliveryKey: z.string().min(1).max(1000) }),
        response: { 200: z.object({ status: z.literal('queued') }), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const at = deps.now()
      const by = changeOriginOf(request)
      const { deliveryKey } = request.params
      const replayed = await deps.repository.outbox.replay(deliveryKey, at, (was) =>
        auditEntry(by, {
          at,
          action: 'notification.replayed',
          subject: deliveryKey,
          before: { state: was },
          after: { state: 'pending' },
          detail: null,
        }),
      )
      if (replayed) {
        return reply.send({ status: 'queued' as const })
      }
      return sendProblem(reply, {
        status: 404,
        title: 'Delivery not replayable',
        detail: `no dead or delivered notification ${request.params.deliveryKey}`,
      })
    },
  )

  app.get(
    '/reports/escalations',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'Escalations fired, open, per rep, repeat offenders, firing lag, CRM-reality flags',
        description:
          'Escalations fired (and activities logged) from `from` to `to`; `to` defaults to now, `from` to the beginning.',
        tags: ['reports'],
        querystring: z.strictObject(windowQuery),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request) => {
      const window = reportWindow(request.query, deps.now())
      const report = await escalationReportFor(deps.repository, deps.policy, window)
      return { ...echoOf(window), ...report }
    },
  )

  app.get(
    '/scheduler',
    {
      config: { access: 'scheduler:read' },
      schema: {
        summary: 'Escalation timers by state',
        tags: ['escalations'],
        response: { 200: z.object({ timers: z.record(z.string(), z.number()) }) },
      },
    },
    async () => ({ timers: await deps.repository.escalations.timerCounts() }),
  )
}
