/** GET /tasks: required follow-ups across leads (AE-rejection responses, check-ins, recycles). */
import { z } from 'zod'

import { instantQuerySchema } from '../domain/instant.js'
import { leadIdSchema } from '../domain/lead-id.js'
import { leadScopeFor } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema } from './problem.js'
import type { TypedApp } from './typed-app.js'

const isoInstant = (instant: number): string => new Date(instant).toISOString()

const taskSchema = z.object({
  taskId: z.string(),
  leadId: z.string(),
  source: z.string(),
  text: z.string(),
  ownerRole: z.string(),
  ownerId: z.string().nullable(),
  openedAt: z.iso.datetime(),
  dueAt: z.iso.datetime().nullable(),
  calendarProblem: z.string().nullable(),
  state: z.enum(['open', 'done']),
  completedAt: z.iso.datetime().nullable(),
  completedBy: z.string().nullable(),
  escalateTo: z.array(z.string()),
})

export function registerTaskRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/tasks',
    {
      config: { access: 'tasks:read' },
      schema: {
        summary: 'List tasks (required follow-ups), soonest due first',
        description:
          'A rep sees the tasks of the leads they own, a manager their team’s. A task opens with an AE rejection’s required response, a recycling check-in, or a cadence that ran out; it is done with `task.completed` (POST /leads/{leadId}/transitions or /events) or the event that fulfils it. `owner` is a person id or a role (e.g. `revops`); `due_before` an instant like every date parameter (ISO 8601 with offset, a date, or epoch ms). Instants are ISO 8601 UTC. A task whose due is in business time with no calendar to run in has `dueAt` null and its `calendarProblem`.',
        tags: ['tasks'],
        querystring: z.strictObject({
          owner: z.string().min(1).max(200).optional(),
          due_before: instantQuerySchema.optional(),
          state: z.enum(['open', 'done']).optional(),
          leadId: leadIdSchema.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ tasks: z.array(taskSchema) }), 400: problemSchema },
      },
    },
    async (request) => {
      const { due_before: dueBefore, ...rest } = request.query
      const scope = leadScopeFor(request, deps)
      const tasks = await deps.repository.tasks.listTasks({
        ...rest,
        ...(dueBefore === undefined ? {} : { dueBefore }),
        ...(scope.kind === 'all' ? {} : { leadOwnerIn: scope.ownerIds }),
      })
      return {
        tasks: tasks.map((task) => ({
          ...task,
          openedAt: isoInstant(task.openedAt),
          dueAt: task.dueAt === null ? null : isoInstant(task.dueAt),
          completedAt: task.completedAt === null ? null : isoInstant(task.completedAt),
          escalateTo: [...task.escalateTo],
        })),
      }
    },
  )
}
