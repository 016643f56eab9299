/** POST /tokens, GET /tokens, DELETE /tokens/:tokenId: API tokens, for admins. */
import { z } from 'zod'

import { ACCESS_ROLES } from '../access/access-roles.js'
import { createApiToken, revokeApiToken, tokenView } from '../app/api-tokens.js'
import { instantSchema } from '../domain/instant.js'
import { accessDependencies, changeOriginOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'

const tokenSchema = z
  .object({
    tokenId: z.string(),
    role: z.enum(ACCESS_ROLES),
    personId: z.string().nullable(),
    label: z.string().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken', description: 'An API token; its secret is shown only when created.' })

export function registerTokenRoutes(app: TypedApp, deps: ServerDependencies): void {
  const access = accessDependencies(deps)

  app.post(
    '/tokens',
    {
      config: { access: 'tokens:manage' },
      schema: {
        summary: 'Create an API token; its secret is in this answer only',
        description:
          'rep, manager, revops and leadership tokens act for a roster person whose role the policy grants that access; admin and integration tokens may act for a person or for none. Without `expiresAt` the token does not expire.',
        tags: ['access'],
        body: z.strictObject({
          role: z.enum(ACCESS_ROLES),
          personId: z.string().min(1).max(200).optional(),
          expiresAt: instantSchema.optional(),
          label: z.string().trim().min(1).max(200).optional(),
        }),
        response: {
          201: z.object({ token: tokenSchema, secret: z.string() }),
          400: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { role, personId, expiresAt, label } = request.body
      const created = await createApiToken(
        access,
        { role, personId: personId ?? null, expiresAt: expiresAt ?? null, label: label ?? null },
        deps.now(),
        changeOriginOf(request),
      )
      if (!created.ok) {
        const field = created.field === 'person' ? 'body.personId' : 'body.expiresAt'
        return sendProblem(
          reply,
          invalidInput(created.message, [
            { field, rule: `token-${created.field}`, message: created.message },
          ]),
        )
      }
      return reply.code(201).send({ token: tokenView(created.token), secret: created.secret })
    },
  )

  app.get(
    '/tokens',
    {
      config: { access: 'tokens:manage' },
      schema: {
        summary: 'List API tokens (never their secrets)',
        tags: ['access'],
        response: { 200: z.object({ tokens: z.array(tokenSchema) }) },
      },
    },
    async () => ({ tokens: (await access.store.listTokens()).map(tokenView) }),
  )

  app.delete(
    '/tokens/:tokenId',
    {
      config: { access: 'tokens:manage' },
      schema: {
        summary: 'Revoke an API token and end its sessions',
        tags: ['access'],
        params: z.object({ tokenId: z.string().min(1).max(100) }),
        response: { 200: z.object({ token: tokenSchema }), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const token = await revokeApiToken(
        access,
        request.params.tokenId,
        deps.now(),
        changeOriginOf(request),
      )
      if (token === undefined) {
        return sendProblem(reply, {
          status: 404,
          title: 'Token not found',
          detail: `no token ${request.params.tokenId}`,
        })
      }
      return reply.send({ token: tokenView(token) })
    },
  )
}
