/**
 * The HTTP API: a thin shell over the use cases in src/app. OpenAPI at /docs/json, a browsable
 * reference at /docs. Every other route needs a token or a session (access-control.ts).
 */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import Fastify from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'

import type { CrmTranslator, CrmWebhookIntake } from '../app/crm-webhook.js'
import type { LeadRepository } from '../app/lead-repository.js'
import type { LiveSettings } from '../app/live-settings.js'
import type { LiveRouting } from '../app/route-mql.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { AccessSettings } from './access-control.js'
import { registerAccessControl, SECURITY_SCHEMES } from './access-control.js'
import { registerAuditRoutes } from './audit.route.js'
import { registerClockRoutes } from './clocks.route.js'
import { registerDashboardRoutes } from './dashboard.route.js'
import { registerEscalationRoutes } from './escalations.route.js'
import { registerEventRoutes } from './events.route.js'
import { HOSTILE_INPUT_OPTIONS, registerHostileInputGuard } from './hostile-input.js'
import { registerHubspotWebhookRoute } from './hubspot-webhooks.route.js'
import { registerLeadRoutes } from './leads.route.js'
import { registerMetricsRoutes } from './metrics.route.js'
import { registerPolicyRoutes } from './policy.route.js'
import { problemForError, sendProblem } from './problem.js'
import type { RequestLimits } from './request-limits.js'
import {
  DEFAULT_REQUEST_LIMITS,
  registerRequestLimits,
  requestTimeoutOptions,
} from './request-limits.js'
import type { RequestLogging } from './request-logging.js'
import { registerSalesforceEventsRoute } from './salesforce-events.route.js'
import { loggerOptions, REQUEST_ID_HEADER, requestIdOf } from './request-logging.js'
import { registerPrivacyRoutes } from './privacy.route.js'
import { registerRoutingRoutes } from './routing.route.js'
import { registerSessionRoutes } from './session.route.js'
import { registerTaskRoutes } from './tasks.route.js'
import { registerTokenRoutes } from './tokens.route.js'

export interface ServerDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  readonly calendars: CalendarSet
  /** The system clock: every received event is stamped with it. */
  readonly now: () => number
  /** Request logging (`serve`); none when not given. */
  readonly logging?: RequestLogging
  /** Live routing of new MQLs; without it the API records owners as events say. */
  readonly routing?: LiveRouting
  /** The team: access scopes, owner calendars, intake checks (else live routing's; else none). */
  readonly roster?: () => Roster
  /**
   * The policy and roster shared with the other processes on the store. With them, `policy`,
   * `calendars` and `roster` are the ones in use at each read, refreshed before each request, and
   * /policy and /roster are served.
   */
  readonly settings?: LiveSettings
  /** The token pepper and the cookies' Secure flag; by default no pepper, Secure over HTTPS. */
  readonly access?: AccessSettings
  /** Rate limit, request timeouts, CORS origins; the defaults when not given. */
  readonly limits?: RequestLimits
  /** HubSpot's webhooks (LEADCLOCK_HUBSPOT_CLIENT_SECRET); without it the route does not exist. */
  readonly hubspot?: CrmWebhookIntake
  /** Salesforce change events a relay posts with an integration token; without it no route. */
  readonly salesforce?: CrmTranslator
  /** The built dashboard (dist/web), served at `/`; without it there is no dashboard. */
  readonly webRoot?: string
}

/** 1 MiB: a batch of 1,000 ordinary events fits; anything larger is refused with 413. */
const BODY_LIMIT_BYTES = 1024 * 1024

/**
 * `deps` reading the policy, its calendars and the roster from `settings` at each use: getters, so
 * handlers and use cases keep reading plain fields and see a change from their next read.
 */
function followingSettings(deps: ServerDependencies, settings: LiveSettings): ServerDependencies {
  return Object.defineProperties(
    { ...deps, roster: () => settings.current().roster.roster },
    {
      policy: { get: () => settings.current().policy.policy, enumerable: true },
      calendars: { get: () => settings.current().policy.calendars, enumerable: true },
    },
  )
}

export async function createServer(given: ServerDependencies): Promise<FastifyInstance> {
  const { settings } = given
  const deps = settings === undefined ? given : followingSettings(given, settings)
  const app = Fastify({
    logger: deps.logging === undefined ? false : loggerOptions(deps.logging),
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
    ...requestTimeoutOptions(deps.limits ?? DEFAULT_REQUEST_LIMITS),
    ...HOSTILE_INPUT_OPTIONS,
  })
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    // Before access control: roles come from the policy and roster another process may have
    // changed. Public and unknown routes skip it: /health stays a probe of this process alone.
    const access = request.routeOptions.config.access
    if (access !== undefined && access !== 'public') {
      await settings?.refresh()
    }
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await registerRequestLimits(app, deps.limits ?? DEFAULT_REQUEST_LIMITS)
  registerHostileInputGuard(app)
  registerAccessControl(app, deps)

  app.setErrorHandler((error, request, reply) => {
    const problem = problemForError(error)
    if (problem) {
      return sendProblem(reply, problem)
    }
    request.log.error({ err: error }, 'unexpected error')
    return sendProblem(reply, {
      status: 500,
      title: 'Internal error',
      detail: `an unexpected error occurred; it has been logged with request id ${request.id}`,
      requestId: request.id,
    })
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      title: 'Not found',
      detail: `no route ${request.method} ${request.url}`,
    }),
  )

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Leadclock API',
        description:
          'Lead-lifecycle SLAs enforced in business time: events in, leads, clocks and reports out.',
        version: '0.1.0',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })

  const typed = app.withTypeProvider<ZodTypeProvider>()
  typed.get('/health', { config: { access: 'public' }, schema: { hide: true } }, () => ({
    status: 'ok',
    policyVersion: deps.policy.version,
  }))
  registerSessionRoutes(typed, deps)
  registerTokenRoutes(typed, deps)
  registerAuditRoutes(typed, deps)
  registerEventRoutes(typed, deps)
  registerLeadRoutes(typed, deps)
  registerClockRoutes(typed, deps)
  registerMetricsRoutes(typed, deps)
  registerEscalationRoutes(typed, deps)
  registerTaskRoutes(typed, deps)
  registerPrivacyRoutes(typed, deps)
  if (deps.hubspot !== undefined) {
    await registerHubspotWebhookRoute(typed, deps, deps.hubspot)
  }
  if (deps.salesforce !== undefined) {
    registerSalesforceEventsRoute(typed, deps, deps.salesforce)
  }
  if (deps.webRoot !== undefined) {
    await registerDashboardRoutes(app, deps.webRoot)
  }
  if (settings) {
    registerRoutingRoutes(typed, deps, settings)
    registerPolicyRoutes(typed, deps, settings)
  }
  await app.ready()
  return app
}
