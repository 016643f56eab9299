/**
 * Every request but /health and /docs must authenticate — with `Authorization: Bearer <token>`,
 * or a dashboard session cookie plus its CSRF token on unsafe methods — and its role must hold the
 * capability its route declares. Every route declares one (`config.access`); a route without is
 * refused when it is registered, so none is left open by omission. Anonymous: 401 (rule
 * `authentication`); a role without the capability: 403 (rule `capability`); a session's unsafe
 * request without its CSRF token: 403 (rule `csrf`); all as problem details.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'

import type { Capability, LeadScope, Principal } from '../access/access-roles.js'
import { holdersOf, leadScopeOf, mayUse } from '../access/access-roles.js'
import type { AccessDependencies, ChangeOrigin } from '../app/api-tokens.js'
import { authenticateSession, authenticateToken } from '../app/api-tokens.js'
import type { Roster } from '../domain/team/roster.js'
import type { ServerDependencies } from './create-server.js'
import { AuthenticationFailures } from './authentication-failures.js'
import { problemSchema, sendProblem } from './problem.js'
import { DEFAULT_REQUEST_LIMITS } from './request-limits.js'
import type { SecureCookies } from './session-cookie.js'
import { cookieOf, CSRF_HEADER, SESSION_COOKIE } from './session-cookie.js'

/**
 * Who may call a route: anyone, a role holding the capability, or (`signature`) a system whose
 * request the route itself verifies with a shared secret (a CRM's webhook): no token is asked.
 */
export type RouteAccess = 'public' | 'signature' | Capability

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
  }
  interface FastifyRequest {
    /** Set for every route that is not public, before its handler runs. */
    principal: Principal | null
  }
  interface FastifyInstance {
    /** Every route registered, with who may call it (the role-matrix test reads it). */
    readonly registeredRoutes: readonly RegisteredRoute[]
  }
}

export interface AccessSettings {
  /** LEADCLOCK_TOKEN_PEPPER. */
  readonly pepper: string | undefined
  /** LEADCLOCK_SECURE_COOKIES: Secure cookies over HTTPS (auto), always or never. */
  readonly secureCookies: SecureCookies
}

export const DEFAULT_ACCESS_SETTINGS: AccessSettings = { pepper: undefined, secureCookies: 'auto' }

/** A route as registered, with who may call it. */
export interface RegisteredRoute {
  readonly method: string
  readonly url: string
  readonly access: RouteAccess
}

/** The OpenAPI security requirement of every authenticated route: a token or a session. */
export const SECURITY_SCHEMES = {
  bearerToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`leadclock token create`), as `Authorization: Bearer lct_…`.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `A dashboard session (POST /auth/session); unsafe methods also need the \`${CSRF_HEADER}\` header.`,
  },
} as const
const AUTHENTICATED: readonly Readonly<Record<string, readonly string[]>>[] = [
  { bearerToken: [] },
  { sessionCookie: [] },
]

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function rosterOf(deps: ServerDependencies): Roster | undefined {
  return (deps.roster ?? deps.routing?.roster)?.()
}

export function accessDependencies(deps: ServerDependencies): AccessDependencies {
  return {
    store: deps.repository.access,
    // Read at each use: the policy in use may change while the server runs (live-settings.ts).
    get policy() {
      return deps.policy
    },
    roster: () => rosterOf(deps),
    pepper: (deps.access ?? DEFAULT_ACCESS_SETTINGS).pepper,
  }
}

/** The caller of a route that is not public (set by the access check before any handler). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) {
    throw new Error(`${request.method} ${request.url}: no principal (is the route public?)`)
  }
  return request.principal
}

export function leadScopeFor(request: FastifyRequest, deps: ServerDependencies): LeadScope {
  return leadScopeOf(principalOf(request), rosterOf(deps))
}

/** The audit trail's origin of a change made through this request. */
export function changeOriginOf(request: FastifyRequest): ChangeOrigin {
  const principal = principalOf(request)
  return { personId: principal.personId, tokenId: principal.tokenId, origin: request.ip }
}

/**
 * A public route's schema says so; a signed one gains the 401 it may answer, the others the 401
 * and 403.
 */
function withAccessSchema(route: RouteOptions, access: RouteAccess): RouteOptions['schema'] {
  if (route.schema === undefined) {
    return undefined
  }
  if (access === 'public') {
    return { ...route.schema, security: [] }
  }
  const response = (route.schema.response ?? {}) as Record<string, unknown>
  if (access === 'signature') {
    return { ...route.schema, security: [], response: { ...response, 401: problemSchema } }
  }
  return {
    ...route.schema,
    security: AUTHENTICATED,
    response: { ...response, 401: problemSchema, 403: problemSchema },
  }
}

function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return match?.[1]
}

type RequestAuthentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly status: 401 | 403; readonly detail: string }

async function authenticate(
  request: FastifyRequest,
  deps: AccessDependencies,
  now: number,
): Promise<RequestAuthentication> {
  if (request.headers.authorization !== undefined) {
    const secret = bearerOf(request)
    if (secret === undefined) {
      return { ok: false, status: 401, detail: 'send the token as Authorization: Bearer <token>' }
    }
    const authentication = await authenticateToken(deps, secret, now)
    return authentication.ok
      ? authentication
      : { ok: false, status: 401, detail: authentication.reason }
  }
  const sessionId = cookieOf(request, SESSION_COOKIE)
  if (sessionId === undefined || sessionId === '') {
    return {
      ok: false,
      status: 401,
      detail: `this route needs Authorization: Bearer <token> or a session (POST /auth/session)`,
    }
  }
  const session = await authenticateSession(deps, sessionId, now)
  if (!session.ok) {
    return { ok: false, status: 401, detail: session.reason }
  }
  if (UNSAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER]
    if (!session.csrfMatches(typeof header === 'string' ? header : undefined)) {
      return {
        ok: false,
        status: 403,
        detail: `a ${request.method} in a session needs the session's CSRF token in the ${CSRF_HEADER} header`,
      }
    }
  }
  return { ok: true, principal: session.principal }
}

/** Installs the access check. Call before registering any route. */
export function registerAccessControl(app: FastifyInstance, deps: ServerDependencies): void {
  const routes: RegisteredRoute[] = []
  const access = accessDependencies(deps)
  const failures = new AuthenticationFailures(
    (deps.limits ?? DEFAULT_REQUEST_LIMITS).authenticationFailuresPerMinute,
  )
  app.decorate('registeredRoutes', routes)
  app.decorateRequest('principal', null)
  app.addHook('onRoute', (route) => {
    // The OpenAPI document and its browsable reference are public.
    const declared = route.url.startsWith('/docs') ? 'public' : route.config?.access
    if (declared === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no config.access`)
    }
    route.config = { ...route.config, access: declared }
    route.schema = withAccessSchema(route, declared)
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, access: declared })
    }
  })
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Unset for an unknown URL: it needs a caller like any route, then answers 404.
    const required = request.routeOptions.config.access
    if (required === 'public' || required === 'signature') {
      return
    }
    const retryAfter = failures.retryAfterSeconds(request.ip, deps.now())
    if (retryAfter !== undefined) {
      void reply.header('retry-after', String(retryAfter))
      return sendProblem(reply, {
        status: 429,
        title: 'Too many requests',
        detail: `this address failed to authenticate ${failures.limitPerMinute} times in a minute; retry after ${retryAfter} s (Retry-After)`,
        rule: 'authentication-failures',
      })
    }
    const authentication = await authenticate(request, access, deps.now())
    if (!authentication.ok) {
      if (authentication.status === 401) {
        failures.record(request.ip, deps.now())
        void reply.header('www-authenticate', 'Bearer realm="leadclock"')
      }
      return sendProblem(reply, {
        status: authentication.status,
        title: authentication.status === 401 ? 'Unauthorized' : 'Forbidden',
        detail: authentication.detail,
        rule: authentication.status === 401 ? 'authentication' : 'csrf',
      })
    }
    const { principal } = authentication
    if (required !== undefined && !mayUse(principal.role, required)) {
      return sendProblem(reply, {
        status: 403,
        title: 'Forbidden',
        detail: `${request.method} ${request.routeOptions.url ?? request.url} needs ${required}, which ${holdersOf(required)} hold; this token is ${principal.role}`,
        rule: 'capability',
      })
    }
    request.principal = principal
  })
}
