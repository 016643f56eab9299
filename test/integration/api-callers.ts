/**
 * Callers of the HTTP API in the suites: a token created in the store as `leadclock token create`
 * does it, and requests that carry it as `Authorization: Bearer`.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

import type { AccessRole } from '../../src/access/access-roles.js'
import { COMMAND_LINE, createApiToken } from '../../src/app/api-tokens.js'
import type { LeadRepository } from '../../src/app/lead-repository.js'
import type { Policy } from '../../src/policy/policy-schema.js'
import type { Roster } from '../../src/domain/team/roster.js'
import type { CalendarSet } from '../../src/domain/sla-clock-view.js'
import { createServer } from '../../src/http/create-server.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { Dialect } from './dialects.js'
import { freshDatabase } from './dialects.js'

export interface ApiCaller {
  readonly tokenId: string
  readonly secret: string
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
}

export interface CallerSetting {
  readonly app: FastifyInstance
  readonly repository: LeadRepository
  readonly policy: Policy
  readonly roster?: Roster
}

/**
 * A new token of `role` (acting for `personId`, if given) and requests that carry it. By default
 * it is created now and does not expire.
 */
export async function apiCaller(
  setting: CallerSetting,
  role: AccessRole,
  personId: string | null = null,
  lifetime: { readonly createdAt: number; readonly expiresAt: number } | undefined = undefined,
): Promise<ApiCaller> {
  const created = await createApiToken(
    {
      store: setting.repository.access,
      policy: setting.policy,
      roster: () => setting.roster,
      pepper: undefined,
    },
    { role, personId, expiresAt: lifetime?.expiresAt ?? null, label: null },
    lifetime?.createdAt ?? Date.now(),
    COMMAND_LINE,
  )
  if (!created.ok) {
    throw new Error(
      `cannot create a ${role} token for ${personId ?? 'no person'}: ${created.message}`,
    )
  }
  const { secret } = created
  return {
    tokenId: created.token.tokenId,
    secret,
    inject: (options) =>
      setting.app.inject({
        ...options,
        headers: { authorization: `Bearer ${secret}`, ...options.headers },
      }),
  }
}

/** An API without a roster on a fresh database, and an admin token of it acting for a person. */
export interface AdminApi {
  readonly admin: ApiCaller
  close(): Promise<void>
}

export async function openAdminApi(
  dialect: Dialect,
  setting: { readonly policy: Policy; readonly calendars: CalendarSet; readonly now: () => number },
  personId: string,
): Promise<AdminApi> {
  const database = await freshDatabase(dialect)
  const repository = createLeadRepository(database)
  const app = await createServer({ repository, ...setting })
  const admin = await apiCaller({ app, repository, policy: setting.policy }, 'admin', personId)
  return {
    admin,
    async close() {
      await app.close()
      await database.close()
    },
  }
}
