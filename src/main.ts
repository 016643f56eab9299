/**
 * The one place where Leadclock is wired: configuration from the environment, the policy, the
 * store (embedded PGlite by default, PostgreSQL when DATABASE_URL is set), calendars, the HTTP
 * server. Nothing runs at import time; the CLI calls these.
 */
import type { FastifyInstance } from 'fastify'

import { readFile } from 'node:fs/promises'

import { backfillLeadClocks } from './app/backfill-lead-clocks.js'
import type { LogLevel } from './http/request-logging.js'
import { isLogLevel, LOG_LEVELS } from './http/request-logging.js'
import type { AccessDependencies } from './app/api-tokens.js'
import type { DeliveryDependencies } from './app/deliver-notifications.js'
import type { SchedulerDependencies } from './app/fire-escalations.js'
import { leadDerivation } from './app/ingest-events.js'
import type { LeadRepository } from './app/lead-repository.js'
import type { RosterSource } from './app/roster-source.js'
import { openRosterSource } from './app/roster-source.js'
import type { LiveRouting } from './app/route-mql.js'
import type { CalendarSet } from './domain/sla-clock-view.js'
import type { AccessSettings } from './http/access-control.js'
import type { SecureCookies } from './http/session-cookie.js'
import type { RequestLimits } from './http/request-limits.js'
import { requestLimitsFromEnvironment } from './http/request-limits.js'
import { createCalendarSet } from './domain/sla-clock-view.js'
import { defaultPolicyPath, loadPolicyFile, packageFilePath } from './policy/load-policy-file.js'
import { channelsFromEnvironment } from './notify/channels-from-environment.js'
import type { NotificationChannel, NotificationChannelName } from './notify/notification.js'
import { formatPolicyProblem } from './policy/parse-policy.js'
import type { Policy } from './policy/policy-schema.js'
import type { Database } from './store/create-database.js'
import { createDatabase } from './store/create-database.js'
import { createLeadRepository } from './store/lead-repository.js'
import { pgliteFolderOf, runtimeDirOf } from './runtime-folders.js'

export class ConfigurationError extends Error {}

export interface RuntimeConfig {
  /** PostgreSQL connection string; unset means embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly policyPath: string
  readonly rosterPath: string
  /** Notification channels configured in the environment (Slack, SMTP, webhook). */
  readonly channels: readonly NotificationChannel[]
  /** Base URL of this Leadclock for links in notifications (LEADCLOCK_PUBLIC_URL). */
  readonly publicUrl: string | undefined
  /** What the HTTP server logs (LEADCLOCK_LOG_LEVEL, default info). */
  readonly logLevel: LogLevel
  /** LEADCLOCK_TOKEN_PEPPER and LEADCLOCK_SECURE_COOKIES. */
  readonly access: AccessSettings
  /** LEADCLOCK_RATE_LIMIT_PER_MINUTE, LEADCLOCK_REQUEST_TIMEOUT_MS, LEADCLOCK_HEADERS_TIMEOUT_MS, LEADCLOCK_CORS_ORIGINS. */
  readonly limits: RequestLimits
}

function limitsOf(env: NodeJS.ProcessEnv): RequestLimits {
  const setting = requestLimitsFromEnvironment(env)
  if (!setting.ok) {
    throw new ConfigurationError(
      `request limits are invalid:\n${setting.problems.map((problem) => `  ${problem}`).join('\n')}`,
    )
  }
  return setting.limits
}

function logLevelOf(env: NodeJS.ProcessEnv): LogLevel {
  const level = env.LEADCLOCK_LOG_LEVEL || 'info'
  if (!isLogLevel(level)) {
    throw new ConfigurationError(
      `LEADCLOCK_LOG_LEVEL is "${level}"; use one of ${LOG_LEVELS.join(', ')}`,
    )
  }
  return level
}

const SECURE_COOKIES: readonly SecureCookies[] = ['auto', 'always', 'never']

function accessFromEnvironment(env: NodeJS.ProcessEnv): AccessSettings {
  const secureCookies = env.LEADCLOCK_SECURE_COOKIES || 'auto'
  if (!(SECURE_COOKIES as readonly string[]).includes(secureCookies)) {
    throw new ConfigurationError(
      `LEADCLOCK_SECURE_COOKIES is "${secureCookies}"; use one of ${SECURE_COOKIES.join(', ')}`,
    )
  }
  return {
    pepper: env.LEADCLOCK_TOKEN_PEPPER || undefined,
    secureCookies: secureCookies as SecureCookies,
  }
}

export function configFromEnvironment(
  env: NodeJS.ProcessEnv,
  overrides: Partial<RuntimeConfig> = {},
): RuntimeConfig {
  const notification = channelsFromEnvironment(env)
  if (notification.problems.length > 0) {
    throw new ConfigurationError(
      `notification settings are invalid:\n${notification.problems.map((problem) => `  ${problem}`).join('\n')}`,
    )
  }
  return {
    access: overrides.access ?? accessFromEnvironment(env),
    limits: overrides.limits ?? limitsOf(env),
    channels: overrides.channels ?? notification.channels,
    publicUrl: overrides.publicUrl ?? (env.LEADCLOCK_PUBLIC_URL || undefined),
    logLevel: overrides.logLevel ?? logLevelOf(env),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    dataDir: runtimeDirOf(env, overrides.dataDir),
    policyPath: overrides.policyPath ?? env.LEADCLOCK_POLICY ?? defaultPolicyPath(),
    rosterPath:
      overrides.rosterPath ??
      env.LEADCLOCK_ROSTER ??
      packageFilePath('roster', 'default-roster.yaml'),
  }
}

export interface Runtime {
  readonly access: AccessSettings
  readonly policy: Policy
  readonly calendars: CalendarSet
  readonly database: Database
  readonly repository: LeadRepository
  readonly rosterSource: RosterSource
  /** Live routing for the API; imports and audits replay history without it. */
  readonly routing: LiveRouting
  /** The escalation scheduler, delivering to the configured channels. */
  readonly scheduler: SchedulerDependencies
  readonly delivery: DeliveryDependencies
  readonly now: () => number
  close(): Promise<void>
}

export async function openRuntime(config: RuntimeConfig): Promise<Runtime> {
  const loaded = await loadPolicyFile(config.policyPath)
  if (!loaded.ok) {
    throw new ConfigurationError(
      `the policy ${config.policyPath} is invalid:\n${loaded.problems.map((problem) => `  ${formatPolicyProblem(problem)}`).join('\n')}`,
    )
  }
  const calendars = createCalendarSet(loaded.policy)
  // Read before the store opens: a mistyped path must not migrate or lock anything first.
  const rosterText = await readFile(config.rosterPath, 'utf8').catch((error: unknown) => {
    throw new ConfigurationError(`cannot read the roster ${config.rosterPath}`, { cause: error })
  })
  const database = await createDatabase({
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    dataDir: pgliteFolderOf(config.dataDir),
  })
  const repository = createLeadRepository(database)
  let rosterSource: RosterSource
  try {
    await backfillLeadClocks({ repository, policy: loaded.policy }, Date.now())
    rosterSource = await openRosterSource(repository.settings, loaded.policy, {
      path: config.rosterPath,
      text: rosterText,
    }).catch((error: unknown) => {
      throw new ConfigurationError(config.rosterPath, { cause: error })
    })
  } catch (error) {
    await database.close()
    throw error
  }
  return {
    access: config.access,
    policy: loaded.policy,
    calendars,
    database,
    repository,
    rosterSource,
    routing: { roster: () => rosterSource.current(), calendars },
    scheduler: {
      repository,
      policy: loaded.policy,
      roster: () => rosterSource.current(),
      channels: config.channels.map((channel) => channel.name),
      leads: leadDerivation(loaded.policy, () => rosterSource.current()),
      ...(config.publicUrl === undefined
        ? {}
        : {
            leadUrl: (leadId: string) => `${config.publicUrl}/leads/${encodeURIComponent(leadId)}`,
          }),
    },
    delivery: {
      outbox: repository.outbox,
      channels: new Map<NotificationChannelName, NotificationChannel>(
        config.channels.map((channel) => [channel.name, channel]),
      ),
    },
    now: () => Date.now(),
    close: () => database.close(),
  }
}

/** What token commands need: the store's tokens, the roster and policy that grant roles. */
export function accessOf(runtime: Runtime): AccessDependencies {
  return {
    store: runtime.repository.access,
    policy: runtime.policy,
    roster: () => runtime.rosterSource.current(),
    pepper: runtime.access.pepper,
  }
}

/** The HTTP server is loaded only here: workers, imports and audits never need it. */
export async function startServer(
  runtime: Runtime,
  config: RuntimeConfig,
): Promise<FastifyInstance> {
  const { createServer } = await import('./http/create-server.js')
  return createServer({ ...runtime, logging: { level: config.logLevel }, limits: config.limits })
}
