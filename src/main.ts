/**
 * The one place where Leadclock is wired: configuration from the environment, the policy, the
 * store (embedded PGlite by default, PostgreSQL when DATABASE_URL is set), calendars, the HTTP
 * server. Nothing runs at import time; the CLI calls these.
 */
import type { FastifyInstance } from 'fastify'

import type { LeadRepository } from './app/lead-repository.js'
import type { CalendarSet } from './domain/sla-clock-view.js'
import { createCalendarSet } from './domain/sla-clock-view.js'
import { createServer } from './http/create-server.js'
import { defaultPolicyPath, loadPolicyFile } from './policy/load-policy-file.js'
import { formatPolicyProblem } from './policy/parse-policy.js'
import type { Policy } from './policy/policy-schema.js'
import type { Database } from './store/create-database.js'
import { createDatabase } from './store/create-database.js'
import { createLeadRepository } from './store/lead-repository.js'

export interface RuntimeConfig {
  /** PostgreSQL connection string; unset means embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly policyPath: string
}

export function configFromEnvironment(
  env: NodeJS.ProcessEnv,
  overrides: Partial<RuntimeConfig> = {},
): RuntimeConfig {
  return {
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    dataDir: overrides.dataDir ?? env.LEADCLOCK_DATA_DIR ?? '.leadclock-data',
    policyPath: overrides.policyPath ?? env.LEADCLOCK_POLICY ?? defaultPolicyPath(),
  }
}

export interface Runtime {
  readonly policy: Policy
  readonly calendars: CalendarSet
  readonly database: Database
  readonly repository: LeadRepository
  readonly now: () => number
  close(): Promise<void>
}

export class ConfigurationError extends Error {}

export async function openRuntime(config: RuntimeConfig): Promise<Runtime> {
  const loaded = await loadPolicyFile(config.policyPath)
  if (!loaded.ok) {
    throw new ConfigurationError(
      `the policy ${config.policyPath} is invalid:\n${loaded.problems.map((problem) => `  ${formatPolicyProblem(problem)}`).join('\n')}`,
    )
  }
  const database = await createDatabase({
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
    dataDir: `${config.dataDir}/pglite`,
  })
  return {
    policy: loaded.policy,
    calendars: createCalendarSet(loaded.policy),
    database,
    repository: createLeadRepository(database),
    now: () => Date.now(),
    close: () => database.close(),
  }
}

export function startServer(runtime: Runtime, logger: boolean): Promise<FastifyInstance> {
  return createServer({ ...runtime, logger })
}
