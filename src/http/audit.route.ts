/** GET /audit: the audit trail of manual changes. */
import { z } from 'zod'

import type { RecordedAuditEntry } from '../app/access-port.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema } from './problem.js'
import { windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

const auditEntrySchema = z
  .object({
    seq: z.number(),
    at: z.iso.datetime(),
    action: z.string(),
    subject: z.string(),
    personId: z.string().nullable(),
    tokenId: z.string().nullable(),
    origin: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' })

function auditEntryJson(entry: RecordedAuditEntry): z.infer<typeof auditEntrySchema> {
  return {
    ...entry,
    at: new Date(entry.at).toISOString(),
    before: entry.before && { ...entry.before },
    after: entry.after && { ...entry.after },
    detail: entry.detail && { ...entry.detail },
  }
}

export function registerAuditRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        summary: 'The audit trail: who changed what, when, from where, before and after',
        description:
          'Newest first. Every transition asked for (reassignments and manager actions included), roster and policy replacement, notification replayed and token created or revoked, with the person and token that did it and the IP address it came from (`cli` for the command line). `from` (inclusive) and `to` (exclusive) bound the instant; `person` keeps one person’s changes, `action` one kind (e.g. `policy.replaced`: the policy versions, each with its changes).',
        tags: ['access'],
        querystring: z.strictObject({
          ...windowQuery,
          person: z.string().min(1).max(200).optional(),
          action: z.string().min(1).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ entries: z.array(auditEntrySchema) }), 400: problemSchema },
      },
    },
    async (request) => {
      const { person, action, limit, from, to } = request.query
      const entries = await deps.repository.access.listAudit({
        from: from ?? Number.NEGATIVE_INFINITY,
        to: to ?? Number.POSITIVE_INFINITY,
        ...(person === undefined ? {} : { personId: person }),
        ...(action === undefined ? {} : { action }),
        limit,
      })
      return { entries: entries.map(auditEntryJson) }
    },
  )
}
