/**
 * The one place where Leadclock is wired: configuration from the environment, the policy, the
 * store (embedded PGlite by default, PostgreSQL when DATABASE_URL is set), calendars, the HTTP
 * server. Nothing runs at import time; the CLI calls these.
 */
import type { FastifyInstance } from 'fastify'

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { hostname, userInfo } from 'node:os'
import { dirname, join } from 'node:path'

import { backfillLeadClocks } from './app/backfill-lead-clocks.js'
import type { LogLevel } from './http/request-logging.js'
import { isLogLevel, LOG_LEVELS } from './http/request-logging.js'
import type { AccessDependencies, ChangeOrigin } from './app/api-tokens.js'
import type { DeliveryDependencies } from './app/deliver-notifications.js'
import type { SchedulerDependencies } from './app/fire-escalations.js'
import { leadDerivation } from './app/ingest-events.js'
import type { LeadRepository } from './app/lead-repository.js'
import type { ReadDependencies } from './app/read-lead.js'
import type { LiveSettings } from './app/live-settings.js'
import { liveRoutingOf, openLiveSettings } from './app/live-settings.js'
import type { LiveRouting } from './app/route-mql.js'
import type { AccessSettings } from './http/access-control.js'
import type { SecureCookies } from './http/session-cookie.js'
import type { RequestLimits } from './http/request-limits.js'
import { requestLimitsFromEnvironment } from './http/request-limits.js'
import { defaultPolicyPath, packageFilePath } from './policy/load-policy-file.js'
import { channelsFromEnvironment } from './notify/channels-from-environment.js'
import {
  hubspotMappingPathOf,
  hubspotWebhookIntake,
  loadHubspotMapping,
} from './connectors/hubspot/hubspot-intake.js'
import {
  loadSalesforceMapping,
  salesforceChangeEvents,
  salesforceMappingPathOf,
} from './connectors/salesforce/salesforce-intake.js'
import type { CrmTranslator, CrmWebhookIntake } from './app/crm-webhook.js'
import type { LoadedMapping } from './connectors/connector-mapping.js'
import type { CrmTaskSettings } from './connectors/crm-task-settings.js'
import { crmTaskSettingsFromEnvironment } from './connectors/crm-task-settings.js'
import type { CrmTaskTarget } from './connectors/crm-task-target.js'
import { routeCrmTasks } from './connectors/crm-task-target.js'
import { createHubspotTaskSink } from './connectors/hubspot/hubspot-tasks.js'
import { createSalesforceTaskSink } from './connectors/salesforce/salesforce-tasks.js'
import { createCrmTaskChannel } from './notify/crm-task-channel.js'
import type { NotificationChannel, NotificationChannelName } from './notify/notification.js'
import { formatPolicyProblem, parsePolicy } from './policy/parse-policy.js'
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
  /** The CRM-task channel's HubSpot and Salesforce settings; it is built with their mappings. */
  readonly crmTasks: CrmTaskSettings
  /** Base URL of this Leadclock for links in notifications (LEADCLOCK_PUBLIC_URL). */
  readonly publicUrl: string | undefined
  /** What the HTTP server logs (LEADCLOCK_LOG_LEVEL, default info). */
  readonly logLevel: LogLevel
  /** LEADCLOCK_TOKEN_PEPPER and LEADCLOCK_SECURE_COOKIES. */
  readonly access: AccessSettings
  /** LEADCLOCK_RATE_LIMIT_PER_MINUTE, LEADCLOCK_REQUEST_TIMEOUT_MS, LEADCLOCK_HEADERS_TIMEOUT_MS, LEADCLOCK_CORS_ORIGINS. */
  readonly limits: RequestLimits
  /** HubSpot's webhooks: on when LEADCLOCK_HUBSPOT_CLIENT_SECRET is set. */
  readonly hubspot: HubspotSettings | undefined
  /** LEADCLOCK_SALESFORCE_MAPPING, else connectors/salesforce.default.yaml (the route is always on). */
  readonly salesforceMappingPath: string
}

export interface HubspotSettings {
  /** The HubSpot app's client secret, which signs its webhook deliveries. */
  readonly clientSecret: string
  /** LEADCLOCK_HUBSPOT_MAPPING, else connectors/hubspot.default.yaml. */
  readonly mappingPath: string
}

function hubspotOf(env: NodeJS.ProcessEnv): HubspotSettings | undefined {
  const clientSecret = env.LEADCLOCK_HUBSPOT_CLIENT_SECRET
  return clientSecret ? { clientSecret, mappingPath: hubspotMappingPathOf(env) } : undefined
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
  const crmTasks = crmTaskSettingsFromEnvironment(env)
  const problems = [...notification.problems, ...crmTasks.problems]
  if (problems.length > 0) {
    throw new ConfigurationError(
      `notification settings are invalid:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    )
  }
  return {
    access: overrides.access ?? accessFromEnvironment(env),
    limits: overrides.limits ?? limitsOf(env),
    hubspot: 'hubspot' in overrides ? overrides.hubspot : hubspotOf(env),
    salesforceMappingPath: overrides.salesforceMappingPath ?? salesforceMappingPathOf(env),
    channels: overrides.channels ?? notification.channels,
    crmTasks: overrides.crmTasks ?? crmTasks.settings,
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
  readonly database: Database
  readonly repository: LeadRepository
  /** The policy and roster in use, shared with every process on the store. */
  readonly settings: LiveSettings
  /** Live routing for the API; imports and audits replay history without it. */
  readonly routing: LiveRouting
  /**
   * The escalation scheduler, delivering to the configured channels. Its `policy` is read from
   * `settings` at each use (a spread copy keeps the one in use at that moment).
   */
  readonly scheduler: SchedulerDependencies
  readonly delivery: DeliveryDependencies
  readonly now: () => number
  close(): Promise<void>
}

/** The person at the keyboard of a process started here: who and where, for the audit trail. */
function localOperator(): ChangeOrigin {
  let user: string
  try {
    user = userInfo().username
  } catch {
    // No passwd entry for the uid (some containers).
    user = process.env.USER ?? `uid ${process.getuid?.() ?? '?'}`
  }
  return { personId: null, tokenId: null, origin: `cli:${user}@${hostname()}` }
}

/** The policy this process uses now. */
export function policyOf(runtime: Runtime): Policy {
  return runtime.settings.current().policy.policy
}

export async function openRuntime(config: RuntimeConfig): Promise<Runtime> {
  const policyText = await readFile(config.policyPath, 'utf8').catch((error: unknown) => {
    throw new ConfigurationError(`cannot read the policy ${config.policyPath}`, { cause: error })
  })
  // Checked even when a policy saved through the API wins: a broken file is reported at once.
  const loaded = parsePolicy(policyText, config.policyPath)
  if (!loaded.ok) {
    throw new ConfigurationError(
      `the policy ${config.policyPath} is invalid:\n${loaded.problems.map((problem) => `  ${formatPolicyProblem(problem)}`).join('\n')}`,
    )
  }
  // Read before the store opens: a mistyped path must not migrate or lock anything first.
  const rosterText = await readFile(config.rosterPath, 'utf8').catch((error: unknown) => {
    throw new ConfigurationError(`cannot read the roster ${config.rosterPath}`, { cause: error })
  })
  const crmTaskChannel = await crmTaskChannelOf(config)
  const channels =
    crmTaskChannel === undefined ? config.channels : [...config.channels, crmTaskChannel]
  const database = await createDatabase({
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    dataDir: pgliteFolderOf(config.dataDir),
  })
  const repository = createLeadRepository(database)
  let settings: LiveSettings
  try {
    settings = await openLiveSettings(repository.settings, {
      policyFile: { path: config.policyPath, text: policyText },
      rosterFile: { path: config.rosterPath, text: rosterText },
      at: Date.now(),
      operator: localOperator(),
    })
    await backfillLeadClocks({ repository, policy: settings.current().policy.policy }, Date.now())
  } catch (error) {
    await database.close()
    throw error
  }
  const roster = () => settings.current().roster.roster
  return {
    access: config.access,
    database,
    repository,
    settings,
    routing: liveRoutingOf(settings),
    scheduler: {
      repository,
      get policy() {
        return settings.current().policy.policy
      },
      roster,
      channels: channels.map((channel) => channel.name),
      leads: leadDerivation(() => settings.current().policy.policy, roster),
      ...(config.publicUrl === undefined
        ? {}
        : {
            leadUrl: (leadId: string) => `${config.publicUrl}/leads/${encodeURIComponent(leadId)}`,
          }),
    },
    delivery: {
      outbox: repository.outbox,
      channels: new Map<NotificationChannelName, NotificationChannel>(
        channels.map((channel) => [channel.name, channel]),
      ),
    },
    now: () => Date.now(),
    close: () => database.close(),
  }
}

/** What reading a lead needs: the policy, its calendars and the roster in use. */
export function readDependenciesOf(runtime: Runtime): ReadDependencies {
  const { policy, roster } = runtime.settings.current()
  return {
    repository: runtime.repository,
    policy: policy.policy,
    calendars: policy.calendars,
    roster: () => roster.roster,
  }
}

/** What token commands need: the store's tokens, the roster and policy that grant roles. */
export function accessOf(runtime: Runtime): AccessDependencies {
  return {
    store: runtime.repository.access,
    policy: policyOf(runtime),
    roster: () => runtime.settings.current().roster.roster,
    pepper: runtime.access.pepper,
  }
}

/** A connector's mapping, or the start stops naming its problems. */
function mappingOrStop<T>(loaded: LoadedMapping<T>, vendor: string): T {
  if (!loaded.ok) {
    throw new ConfigurationError(
      `the ${vendor} mapping is invalid:\n${loaded.problems.map((problem) => `  ${problem}`).join('\n')}`,
    )
  }
  return loaded.mapping
}

/** The HubSpot webhook intake when its secret is set; an invalid mapping stops the start. */
export async function hubspotIntakeOf(
  config: RuntimeConfig,
): Promise<CrmWebhookIntake | undefined> {
  if (config.hubspot === undefined) {
    return undefined
  }
  const mapping = mappingOrStop(await loadHubspotMapping(config.hubspot.mappingPath), 'HubSpot')
  return hubspotWebhookIntake(config.hubspot.clientSecret, config.publicUrl, mapping)
}

/**
 * The CRM-task channel when HubSpot or Salesforce tasks are configured: each task goes to the CRM
 * whose connector created its lead, assigned through that CRM's owner mapping. An invalid mapping
 * stops the start.
 */
export async function crmTaskChannelOf(
  config: RuntimeConfig,
): Promise<NotificationChannel | undefined> {
  const { hubspot, salesforce } = config.crmTasks
  const targets: CrmTaskTarget[] = []
  if (hubspot !== undefined) {
    const mapping = mappingOrStop(await loadHubspotMapping(hubspot.mappingPath), 'HubSpot')
    targets.push(createHubspotTaskSink({ ...hubspot, owners: mapping.owners }))
  }
  if (salesforce !== undefined) {
    const loaded = await loadSalesforceMapping(salesforce.mappingPath)
    const mapping = mappingOrStop(loaded, 'Salesforce')
    targets.push(createSalesforceTaskSink({ ...salesforce, owners: mapping.owners }))
  }
  return targets.length === 0 ? undefined : createCrmTaskChannel(routeCrmTasks(targets))
}

/** The Salesforce change-event translator; an invalid mapping stops the start. */
export async function salesforceTranslatorOf(config: RuntimeConfig): Promise<CrmTranslator> {
  const loaded = await loadSalesforceMapping(config.salesforceMappingPath)
  return salesforceChangeEvents(mappingOrStop(loaded, 'Salesforce'))
}

/** The dashboard `npm run build` made (dist/web of the package), if it did. */
function builtDashboard(): string | undefined {
  const webRoot = join(dirname(packageFilePath('package.json')), 'dist', 'web')
  return existsSync(join(webRoot, 'index.html')) ? webRoot : undefined
}

/** The HTTP server is loaded only here: workers, imports and audits never need it. */
export async function startServer(
  runtime: Runtime,
  config: RuntimeConfig,
): Promise<FastifyInstance> {
  const hubspot = await hubspotIntakeOf(config)
  const salesforce = await salesforceTranslatorOf(config)
  const { createServer } = await import('./http/create-server.js')
  const webRoot = builtDashboard()
  return createServer({
    repository: runtime.repository,
    policy: policyOf(runtime),
    calendars: runtime.settings.current().policy.calendars,
    now: runtime.now,
    routing: runtime.routing,
    settings: runtime.settings,
    access: runtime.access,
    logging: { level: config.logLevel },
    limits: config.limits,
    ...(hubspot === undefined ? {} : { hubspot }),
    salesforce,
    ...(webRoot === undefined ? {} : { webRoot }),
  })
}
