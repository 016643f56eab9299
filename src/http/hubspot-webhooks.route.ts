/**
 * POST /connectors/hubspot/webhooks: HubSpot's batched webhook deliveries. Authenticated by their
 * signature (X-HubSpot-Signature-v3), not by a token; a refused delivery (forged, stale, too large,
 * malformed) is a problem and records nothing. Each item is translated by the connector and
 * recorded through the live intake like POST /events/batch, with source `hubspot`.
 */
import type { FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'

import type { CrmWebhookIntake } from '../app/crm-webhook.js'
import type { ServerDependencies } from './create-server.js'
import { crmAnswerSchema, recordCrmItems } from './crm-intake.js'
import { checkSignatureV3 } from './hubspot-signature.js'
import { problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'

export const HUBSPOT_WEBHOOK_PATH = '/connectors/hubspot/webhooks'

/** HubSpot sends at most 100 events a request; 256 KiB holds them with room to spare. */
export const HUBSPOT_BODY_LIMIT_BYTES = 256 * 1024
const MAX_ITEMS = 1000

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
            200: crmAnswerSchema,
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
      (request) => recordCrmItems(deps, intake, request.body, request.log, 'HubSpot webhook'),
    )
    done()
  })
}
