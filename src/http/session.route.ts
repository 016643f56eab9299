/** POST /auth/session (log in with a token), GET /auth/session (who am I), DELETE (log out). */
import { z } from 'zod'

import { ACCESS_ROLES } from '../access/access-roles.js'
import { closeSession, openSession } from '../app/api-tokens.js'
import { accessDependencies, DEFAULT_ACCESS_SETTINGS, principalOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema, sendProblem } from './problem.js'
import {
  clearSessionCookies,
  cookieOf,
  CSRF_HEADER,
  SESSION_COOKIE,
  setSessionCookies,
} from './session-cookie.js'
import type { TypedApp } from './typed-app.js'

const principalSchema = z.object({
  tokenId: z.string(),
  role: z.enum(ACCESS_ROLES),
  personId: z.string().nullable(),
})

export function registerSessionRoutes(app: TypedApp, deps: ServerDependencies): void {
  const access = accessDependencies(deps)
  const { secureCookies } = deps.access ?? DEFAULT_ACCESS_SETTINGS

  app.post(
    '/auth/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in to the dashboard with an API token',
        description: `Exchanges a token (with \`personId\`, the token must be that person's) for a session: an HttpOnly, SameSite=Strict cookie \`${SESSION_COOKIE}\` (Secure over HTTPS) that lasts 12 hours at most and never beyond the token. Every POST, PUT, PATCH or DELETE of the session must send the returned \`csrfToken\` in the \`${CSRF_HEADER}\` header (it is also in the readable cookie \`leadclock_csrf\`).`,
        tags: ['access'],
        body: z.strictObject({
          token: z.string().min(1).max(200),
          personId: z.string().min(1).max(200).optional(),
        }),
        response: {
          201: principalSchema.extend({ csrfToken: z.string(), expiresAt: z.iso.datetime() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const now = deps.now()
      const session = await openSession(access, request.body.token, request.body.personId, now)
      if (!session.ok) {
        return sendProblem(reply, {
          status: session.status,
          title: session.status === 401 ? 'Unauthorized' : 'Forbidden',
          detail: session.reason,
        })
      }
      setSessionCookies(request, reply, session, now, secureCookies)
      return reply.code(201).send({
        ...session.principal,
        csrfToken: session.csrfToken,
        expiresAt: new Date(session.expiresAt).toISOString(),
      })
    },
  )

  app.get(
    '/auth/session',
    {
      config: { access: 'session:own' },
      schema: {
        summary: 'Who is calling: the token (directly or through the session), its role and person',
        tags: ['access'],
        response: { 200: principalSchema },
      },
    },
    (request) => principalOf(request),
  )

  app.delete(
    '/auth/session',
    {
      config: { access: 'session:own' },
      schema: {
        summary: 'Log out: ends the session of the cookie and clears the cookies',
        tags: ['access'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const sessionId = cookieOf(request, SESSION_COOKIE)
      if (sessionId !== undefined && sessionId !== '') {
        await closeSession(access, sessionId)
      }
      clearSessionCookies(request, reply, secureCookies)
      return reply.code(204).send(null)
    },
  )
}
