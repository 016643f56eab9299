/** GET /clocks: the open SLA clocks of the caller's leads, soonest breach first, with time left. */
import { z } from 'zod'

import { readOpenClocks } from '../app/read-lead.js'
import { clockJson } from '../app/lead-view-json.js'
import { leadScopeFor } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema } from './problem.js'
import type { TypedApp } from './typed-app.js'

const OPEN_STATUSES = ['running', 'paused', 'breached'] as const

const openClockSchema = z
  .object({
    leadId: z.string(),
    ownerId: z.string().nullable(),
    stage: z.string(),
    tier: z.string().nullable(),
    company: z.string().nullable(),
    timeZone: z.string(),
    clock: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'OpenClock',
    description:
      "An open SLA clock as the lead's view shows it (`GET /leads/{id}` clocks): status, `startedAt`, `targetAt`, `breachAt` (ISO 8601 UTC, each with an `…AtLocal` sibling in the lead's zone), `elapsedMs`, and `leftToTargetMs` / `leftToBreachMs`: the time left from now in the clock's own measure — business time in its calendar for a business-time target — negative once passed; `measure` says which (`business` or `wall-clock`, from the policy's target).",
  })

export function registerClockRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/clocks',
    {
      config: { access: 'leads:read' },
      schema: {
        summary:
          'Open SLA clocks (running, paused, breached), soonest breach first, with time left',
        description:
          'A rep sees the clocks of the leads they own, a manager their team’s; revops and admin all. `status` keeps one of the open statuses; `owner` one owner’s leads; `item` one SLA item’s clocks (e.g. `ae-sql-acceptance`: the SQLs waiting for an AE).',
        tags: ['leads'],
        querystring: z.strictObject({
          status: z.enum(OPEN_STATUSES).optional(),
          owner: z.string().min(1).max(200).optional(),
          item: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ asOf: z.iso.datetime(), clocks: z.array(openClockSchema) }),
          400: problemSchema,
        },
      },
    },
    async (request) => {
      const { status, owner, item, limit } = request.query
      const scope = leadScopeFor(request, deps)
      const now = deps.now()
      const open = await readOpenClocks(deps, {
        now,
        statuses: status === undefined ? OPEN_STATUSES : [status],
        limit,
        ...(owner === undefined ? {} : { ownerId: owner }),
        ...(item === undefined ? {} : { itemId: item }),
        ...(scope.kind === 'all' ? {} : { ownerIn: scope.ownerIds }),
      })
      return {
        asOf: new Date(now).toISOString(),
        clocks: open.map(({ lead, timeZone, clock }) => ({
          leadId: lead.leadId,
          ownerId: lead.ownerId,
          stage: lead.stage,
          tier: lead.tier,
          company: lead.profile.company ?? null,
          timeZone,
          clock: clockJson(clock, timeZone),
        })),
      }
    },
  )
}
