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
