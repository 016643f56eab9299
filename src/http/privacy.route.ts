/** POST /privacy/erase (the right to erasure) and GET /leads/:leadId/export (the right of access). */
import { z } from 'zod'

import { scopeIncludes } from '../access/access-roles.js'
import { erasePersonalData } from '../app/erase-personal-data.js'
import { exportLead } from '../app/export-lead.js'
import { leadIdSchema } from '../domain/lead-id.js'
import { changeOriginOf, leadScopeFor, rosterOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { leadNotFound } from './leads.route.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'

const erasureSchema = z.object({
  leadIds: z.array(z.string()),
  events: z.number(),
  auditEntries: z.number(),
  fields: z.array(z.string()),
})

export function registerPrivacyRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.post(
    '/privacy/erase',
    {
      config: { access: 'privacy:erase' },
      schema: {
        summary: 'Erase a person’s personal data',
        description:
          'Erases the personal data of one lead (`leadId`), of every lead with an email address (`email`, compared lower-cased), or both: the profile’s name, email address (its domain stays), phone, company and LinkedIn, and the free text written about the lead, in the event log, the audit trail, the notifications and every derived row. ' +
          'Erased fields become tombstones that keep what rules and reports are computed from, so stages, clocks and reports do not change. ' +
          'The erasure is recorded in the audit trail (`privacy.erased`, per lead: the fields, never the values). Erasing again changes nothing more.',
        tags: ['privacy'],
        body: z.strictObject({
          leadId: leadIdSchema.optional(),
          email: z.string().trim().min(1).max(320).optional(),
        }),
        response: {
          200: z.object({ erased: erasureSchema }),
          400: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { leadId, email } = request.body
      if (leadId === undefined && email === undefined) {
        return sendProblem(
          reply,
          invalidInput('say whose data to erase', [
            { field: 'body', rule: 'required', message: 'give leadId, email or both' },
          ]),
        )
      }
      const scope = leadScopeFor(request, deps)
      const outcome = await erasePersonalData(
        { repository: deps.repository, policy: deps.policy, roster: () => rosterOf(deps) },
        { ...(leadId === undefined ? {} : { leadId }), ...(email === undefined ? {} : { email }) },
        { mayErase: (lead) => scopeIncludes(scope, lead.ownerId), by: changeOriginOf(request) },
        deps.now(),
      )
      if (outcome.status === 'not-found') {
        return sendProblem(reply, {
          status: 404,
          title: 'Nothing to erase',
          detail: 'no lead matches the leadId or email given',
        })
      }
      const { status: _status, ...erased } = outcome
      return { erased: { ...erased, leadIds: [...erased.leadIds], fields: [...erased.fields] } }
    },
  )

  app.get(
    '/leads/:leadId/export',
    {
      config: { access: 'leads:read' },
      schema: {
        summary: 'Export everything held about a lead (a data-subject access request)',
        description:
          'The person’s personal data (`personalData`), the lead as GET /leads/{leadId} shows it (state, clocks, tasks, escalations, events with their payloads) and the notifications sent about it. Who may read the lead may export it; after an erasure the export shows the tombstones.',
        tags: ['privacy'],
        params: z.object({ leadId: leadIdSchema }),
        response: { 200: z.record(z.string(), z.unknown()), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const { leadId } = request.params
      const scope = leadScopeFor(request, deps)
      const exported = await exportLead(deps, leadId, deps.now(), (ownerId) =>
        scopeIncludes(scope, ownerId),
      )
      if (exported === undefined) {
        return sendProblem(reply, leadNotFound(leadId))
      }
      return exported as unknown as Record<string, unknown>
    },
  )
}
