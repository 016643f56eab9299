/**
 * API tokens and dashboard sessions: create, list and revoke tokens (the CLI and the admin API),
 * authenticate a request's token or session. The secret is shown once, when the token is
 * created; the store keeps its hash. A token acting for a person holds only while the roster and
 * the policy still grant that person its role.
 */
import { ulid } from 'ulid'

import type { AccessRole, Principal } from '../access/access-roles.js'
import { tokenStanding } from '../access/access-roles.js'
import type { Policy } from '../policy/policy-schema.js'
import type { Roster } from '../domain/team/roster.js'
import { hashSecret, newSecret, secretMatches, TOKEN_SECRET_PREFIX } from './access-secrets.js'
import type { AccessStore, AuditEntry, StoredToken } from './access-port.js'

export interface AccessDependencies {
  readonly store: AccessStore
  readonly policy: Policy
  /** The roster in use; undefined where there is none (then no person's standing is checked). */
  readonly roster: () => Roster | undefined
  /** LEADCLOCK_TOKEN_PEPPER: keys the hash of every secret; unset, the hash is plain SHA-256. */
  readonly pepper: string | undefined
}

/** Who made a change and from where: a token's person, or the command line on the store's host. */
export interface ChangeOrigin {
  readonly personId: string | null
  readonly tokenId: string | null
  /** An IP address, or `cli`. */
  readonly origin: string
}

export const COMMAND_LINE: ChangeOrigin = { personId: null, tokenId: null, origin: 'cli' }

export function auditEntry(
  by: ChangeOrigin,
  change: Omit<AuditEntry, 'personId' | 'tokenId' | 'origin'>,
): AuditEntry {
  return { ...change, personId: by.personId, tokenId: by.tokenId, origin: by.origin }
}

/** A token as the API and the CLI show it: instants in ISO 8601 UTC, never the secret. */
export interface TokenView {
  readonly tokenId: string
  readonly role: AccessRole
  readonly personId: string | null
  readonly label: string | null
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
  readonly lastUsedAt: string | null
}

const isoOrNull = (instant: number | null): string | null =>
  instant === null ? null : new Date(instant).toISOString()

export function tokenView(token: StoredToken): TokenView {
  return {
    tokenId: token.tokenId,
    role: token.role,
    personId: token.personId,
    label: token.label,
    createdAt: new Date(token.createdAt).toISOString(),
    expiresAt: isoOrNull(token.expiresAt),
    revokedAt: isoOrNull(token.revokedAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
  }
}

export interface TokenRequest {
  readonly role: AccessRole
  readonly personId: string | null
  readonly expiresAt: number | null
  readonly label: string | null
}

export type CreatedToken =
  | { readonly ok: true; readonly token: StoredToken; readonly secret: string }
  | { readonly ok: false; readonly field: 'person' | 'expires'; readonly message: string }

export async function createApiToken(
  deps: AccessDependencies,
  request: TokenRequest,
  now: number,
  by: ChangeOrigin,
): Promise<CreatedToken> {
  const standing = tokenStanding(deps.roster(), deps.policy, request)
  if (standing !== undefined) {
    return { ok: false, field: 'person', message: standing }
  }
  if (request.expiresAt !== null && request.expiresAt <= now) {
    return {
      ok: false,
      field: 'expires',
      message: `${new Date(request.expiresAt).toISOString()} is not in the future`,
    }
  }
  const token: StoredToken = {
    tokenId: `tok_${ulid(now)}`,
    ...request,
    createdAt: now,
    revokedAt: null,
    lastUsedAt: null,
  }
  const secret = newSecret(TOKEN_SECRET_PREFIX)
  await deps.store.insertToken(
    {
      ...request,
      tokenId: token.tokenId,
      secretHash: hashSecret(secret, deps.pepper),
      createdAt: now,
    },
    auditEntry(by, {
      at: now,
      action: 'token.created',
      subject: token.tokenId,
      before: null,
      after: { ...request },
      detail: null,
    }),
  )
  return { ok: true, token, secret }
}

/** The token as it now stands; undefined when there is no such token. */
export function revokeApiToken(
  deps: AccessDependencies,
  tokenId: string,
  now: number,
  by: ChangeOrigin,
): Promise<StoredToken | undefined> {
  return deps.store.revokeToken(
    tokenId,
    now,
    auditEntry(by, {
      at: now,
      action: 'token.revoked',
      subject: tokenId,
      before: { revokedAt: null },
      after: { revokedAt: now },
      detail: null,
    }),
  )
}

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string }

/** `last_used_at` is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000

function standingOf(deps: AccessDependencies, token: StoredToken, now: number): Authentication {
  if (token.revokedAt !== null) {
    return { ok: false, reason: 'the token was revoked' }
  }
  if (token.expiresAt !== null && token.expiresAt <= now) {
    return {
      ok: false,
      reason: `the token expired at ${new Date(token.expiresAt).toISOString()}`,
    }
  }
  const standing = tokenStanding(deps.roster(), deps.policy, token)
  if (standing !== undefined) {
    return { ok: false, reason: `the token no longer holds: ${standing}` }
  }
  return {
    ok: true,
    principal: { tokenId: token.tokenId, role: token.role, personId: token.personId },
  }
}

export async function authenticateToken(
  deps: AccessDependencies,
  secret: string,
  now: number,
): Promise<Authentication> {
  const token = await deps.store.findTokenBySecretHash(hashSecret(secret, deps.pepper))
  if (token === undefined) {
    return { ok: false, reason: 'unknown token' }
  }
  const authentication = standingOf(deps, token, now)
  if (
    authentication.ok &&
    (token.lastUsedAt === null || token.lastUsedAt <= now - LAST_USED_RESOLUTION_MS)
  ) {
    await deps.store.markTokenUsed(token.tokenId, now)
  }
  return authentication
}

/** A dashboard session lasts this long at most (and never beyond its token). */
export const SESSION_LIFETIME_MS = 12 * 3_600_000

export type OpenedSession =
  | {
      readonly ok: true
      readonly principal: Principal
      /** The cookie's value; the store keeps its hash. */
      readonly sessionId: string
      /** Sent back in `x-csrf-token` with every unsafe request of the session. */
      readonly csrfToken: string
      readonly expiresAt: number
    }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string }

/** Exchanges a token (and, if given, the person it must belong to) for a dashboard session. */
export async function openSession(
  deps: AccessDependencies,
  secret: string,
  personId: string | undefined,
  now: number,
): Promise<OpenedSession> {
  const token = await deps.store.findTokenBySecretHash(hashSecret(secret, deps.pepper))
  if (token === undefined) {
    return { ok: false, status: 401, reason: 'unknown token' }
  }
  const authentication = standingOf(deps, token, now)
  if (!authentication.ok) {
    return { ok: false, status: 401, reason: authentication.reason }
  }
  if (personId !== undefined && token.personId !== personId) {
    return { ok: false, status: 401, reason: `the token does not belong to ${personId}` }
  }
  if (token.role === 'integration') {
    return { ok: false, status: 403, reason: 'an integration token cannot open a session' }
  }
  const sessionId = newSecret()
  const csrfToken = newSecret()
  const expiresAt = Math.min(now + SESSION_LIFETIME_MS, token.expiresAt ?? Number.POSITIVE_INFINITY)
  await deps.store.startSession({
    sessionHash: hashSecret(sessionId, deps.pepper),
    tokenId: token.tokenId,
    csrfHash: hashSecret(csrfToken, deps.pepper),
    createdAt: now,
    expiresAt,
  })
  return { ok: true, principal: authentication.principal, sessionId, csrfToken, expiresAt }
}

export type SessionAuthentication =
  | {
      readonly ok: true
      readonly principal: Principal
      readonly expiresAt: number
      /** Whether `csrfToken` is the one bound to the session. */
      readonly csrfMatches: (csrfToken: string | undefined) => boolean
    }
  | { readonly ok: false; readonly reason: string }

export async function authenticateSession(
  deps: AccessDependencies,
  sessionId: string,
  now: number,
): Promise<SessionAuthentication> {
  const session = await deps.store.findSession(hashSecret(sessionId, deps.pepper))
  if (session === undefined) {
    return { ok: false, reason: 'unknown or ended session' }
  }
  if (session.expiresAt <= now) {
    return { ok: false, reason: 'the session expired; log in again' }
  }
  const authentication = standingOf(deps, session.token, now)
  return authentication.ok
    ? {
        ok: true,
        principal: authentication.principal,
        expiresAt: session.expiresAt,
        csrfMatches: (csrfToken) =>
          csrfToken !== undefined && secretMatches(csrfToken, session.csrfHash, deps.pepper),
      }
    : authentication
}

export function closeSession(deps: AccessDependencies, sessionId: string): Promise<void> {
  return deps.store.endSession(hashSecret(sessionId, deps.pepper))
}
