/**
 * The HTTP API as `serve` wires it for live intake — the default roster loaded, new MQLs routed
 * at once — on a fresh database of one dialect, with the clock the test gives.
 */
import { readFileSync } from 'node:fs'

import type { FastifyInstance } from 'fastify'

import type { AccessRole } from '../../src/access/access-roles.js'
import type { RosterSource } from '../../src/app/roster-source.js'
import { openRosterSource } from '../../src/app/roster-source.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import { createServer } from '../../src/http/create-server.js'
import type { RequestLimits } from '../../src/http/request-limits.js'
import { packageFilePath } from '../../src/policy/load-policy-file.js'
import type { Policy } from '../../src/policy/policy-schema.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import type { Dialect } from './dialects.js'
import { freshDatabase } from './dialects.js'

export interface LiveApi {
  readonly database: Database
  readonly app: FastifyInstance
  readonly rosterSource: RosterSource
  /** An admin token of no person. */
  readonly admin: ApiCaller
  /** A new token of `role` acting for `personId`. */
  callerFor(role: AccessRole, personId: string): Promise<ApiCaller>
}

export async function openLiveApi(
  dialect: Dialect,
  policy: Policy,
  now: () => number,
  limits?: RequestLimits,
): Promise<LiveApi> {
  const database = await freshDatabase(dialect)
  const repository = createLeadRepository(database)
  const rosterPath = packageFilePath('roster', 'default-roster.yaml')
  const rosterSource = await openRosterSource(repository.settings, policy, {
    path: rosterPath,
    text: readFileSync(rosterPath, 'utf8'),
  })
  const calendars = createCalendarSet(policy)
  const app = await createServer({
    repository,
    policy,
    calendars,
    now,
    rosterSource,
    routing: { roster: () => rosterSource.current(), calendars },
    ...(limits === undefined ? {} : { limits }),
  })
  const setting = { app, repository, policy, roster: rosterSource.current() }
  return {
    database,
    app,
    rosterSource,
    admin: await apiCaller(setting, 'admin'),
    callerFor: (role, personId) => apiCaller(setting, role, personId),
  }
}
