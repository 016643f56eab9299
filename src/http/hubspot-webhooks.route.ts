/**
 * POST /connectors/hubspot/webhooks: HubSpot's batched webhook deliveries. Authenticated by their
 * signature (X-HubSpot-Signature-v3), not by a token; a refused delivery (forged, stale, too large,
 * malformed) is a problem and records nothing. Each item is translated by the connector and
 * recorded through the live intake like POST /events/batch, with source `hubspot`.
 */
import type { FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'

import type { CrmWebhookIntake, TranslatedItem } from '../app/crm-webhook.js'
import type { ParsedEventInput } from '../app/event-input.js'
import { parseEventInput } from '../app/event-input.js'
import type { IngestOutcome } from '../app/ingest-events.js'
import { ingestEvents } from '../app/ingest-events.js'
import type { ServerDependencies } from './create-server.js'
import { intakeContext } from './events.route.js'
import { checkSignatureV3 } from './hubspot-signature.js'
import { problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'

export const HUBSPOT_WEBHOOK_PATH = '/connectors/hubspot/webhooks'

/** HubSpot sends at most 100 events a request; 256 KiB holds them with room to spare. */
export const HUBSPOT_BODY_LIMIT_BYTES = 256 * 1024
const MAX_ITEMS = 1000

const itemResultSchema = z.object({
  index: z.number(),
  status: z.enum(['appended', 'duplicate', 'ignored', 'refused', 'invalid', 'conflict']),
  type: z.string().optional(),
  leadId: z.string().optional(),
  rule: z.string().optional(),
  reason: z.string().optional(),
})
type ItemResult = z.infer<typeof itemResultSchema>

const STATUSES = itemResultSchema.shape.status.options
const NOT_RECORDED: ReadonlySet<ItemResult['status']> = new Set(['refused', 'invalid', 'conflict'])
type Counts = Record<(typeof STATUSES)[number], number>

function countsOf(results: readonly ItemResult[]): Counts {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Counts
  for (const result of results) {
    counts[result.status] += 1
  }
  return counts
}

function resultOf(
  index: number,
  item: TranslatedItem,
  outcome: IngestOutcome | undefined,
): ItemResult {
  switch (item.kind) {
    case 'ignored':
      return { index, status: 'ignored', reason: item.reason }
    case 'refused':
      return { index, status: 'refused', rule: item.rule, reason: item.reason }
    case 'event': {
      const at = { index, type: item.input.type, leadId: item.input.leadId }
      if (outcome === undefined) {
        throw new Error(`no outcome for item ${index}`)
      }
      switch (outcome.status) {
        case 'invalid': {
          const [first] = outcome.problems
          return {
            ...at,
            status: 'invalid',
            rule: first?.rule ?? 'invalid',
            reason: outcome.problems
              .map((problem) => `${problem.field}: ${problem.message}`)
              .join('; '),
          }
        }
        case 'conflict':
          return {
            ...at,
            status: 'conflict',
            reason: `idempotency key ${outcome.conflict.idempotencyKey} was used for a different event`,
          }
        case 'duplicate':
          return { ...at, status: 'duplicate' }
        case 'appended':
          return {
            ...at,
            status: 'appended',
            ...(outcome.refusal === null
              ? {}
              : { rule: outcome.refusal.rule, reason: outcome.refusal.message }),
          }
      }
    }
  }
}

/** The URI HubSpot signed: the public URL it was given for us, or the request's own. */
function signedUri(request: FastifyRequest, intake: CrmWebhookIntake): string {
  const base = intake.publicUrl ?? `${request.protocol}://${request.host}`
  return `${base.replace(/\/+$/, '')}${request.url}`
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return typeof value === 'string' ? value : undefined
}

export async function registerHubspotWebhookRoute(
  app: TypedApp,
  deps: ServerDependencies,
  intake: CrmWebhookIntake,
): Promise<void> {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>()
  await app.register((scope, _options, done) => {
    // The signature covers the bytes as sent: keep them, then parse as every other route does
    // (Fastify's parser: the same 400s, prototype poisoning refused).
    const parseJson = scope.getDefaultJsonParser('error', 'error')
    scope.removeContentTypeParser('application/json')
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: HUBSPOT_BODY_LIMIT_BYTES },
      (request, body, done) => {
        const raw = body as Buffer
        rawBodies.set(request, raw)
        void parseJson(request, raw.toString('utf8'), done)
      },
    )
    scope.withTypeProvider<ZodTypeProvider>().post(
      HUBSPOT_WEBHOOK_PATH,
      {
        config: { access: 'signature' },
        schema: {
          summary: 'Receive HubSpot webhooks',
          description:
            `HubSpot's batched webhook events, signed with X-HubSpot-Signature-v3 and the app's client secret (LEADCLOCK_HUBSPOT_CLIENT_SECRET); a signature that does not match or a X-HubSpot-Request-Timestamp more than 5 minutes away is refused (401), a body over ${HUBSPOT_BODY_LIMIT_BYTES} bytes too (413), and nothing is recorded. ` +
            'Each event gets its result: appended, duplicate (HubSpot redelivered it), ignored (the mapping gives it no meaning; `leadclock connectors` prints the mapping), refused (malformed, or an owner not in the owner mapping), invalid or conflict.',
          tags: ['connectors'],
          body: z.array(z.unknown()).min(1).max(MAX_ITEMS),
          response: {
            200: z.object({
              results: z.array(itemResultSchema),
              counts: z.record(z.string(), z.number()),
            }),
            400: problemSchema,
            413: problemSchema,
          },
        },
        // Before the body is validated: an unsigned request learns nothing about its shape.
        preValidation: async (request, reply) => {
          const check = checkSignatureV3(
            intake.secret,
            {
              method: request.method,
              uri: signedUri(request, intake),
              rawBody: rawBodies.get(request) ?? Buffer.alloc(0),
              signature: headerOf(request, 'x-hubspot-signature-v3'),
              timestamp: headerOf(request, 'x-hubspot-request-timestamp'),
            },
            deps.now(),
          )
          if (!check.ok) {
            return sendProblem(reply, {
              status: 401,
              title: 'Unauthorized',
              detail: check.detail,
              rule: check.rule,
            })
          }
        },
      },
      async (request) => {
        const items = request.body.map((item) => intake.translate(item))
        const context = intakeContext(deps)
        const recorded = items.flatMap((item, index) =>
          item.kind === 'event' ? [{ index, parsed: parseEventInput(item.input, context) }] : [],
        )
        const outcomes = await ingestEvents(
          deps,
          recorded.map(({ parsed }): ParsedEventInput => parsed),
        )
        const outcomeAt = new Map(
          recorded.map(({ index }, position) => [index, outcomes[position]]),
        )
        const results = items.map((item, index) => resultOf(index, item, outcomeAt.get(index)))
        // HubSpot does not retry a 200: what was not recorded must reach a person through the log.
        const unrecorded = results.filter((result) => NOT_RECORDED.has(result.status))
        if (unrecorded.length > 0) {
          request.log.warn({ unrecorded }, 'HubSpot webhook events not recorded')
        }
        return { results, counts: countsOf(results) }
      },
    )
    done()
  })
}
