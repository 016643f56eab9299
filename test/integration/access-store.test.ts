/**
 * API tokens, sessions and the audit trail in the store: secrets kept only as hashes (HMAC with a
 * pepper), expiry, revocation ending sessions at once, `last_used_at` written at most once a
 * minute, and an audit log nothing can rewrite.
 */
import { createHash, createHmac } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { AccessDependencies } from '../../src/app/api-tokens.js'
import {
  authenticateSession,
  authenticateToken,
  COMMAND_LINE,
  createApiToken,
  openSession,
  revokeApiToken,
} from '../../src/app/api-tokens.js'
import {
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'
import { createAccessStore } from '../../src/store/access-store.js'
import type { Database } from '../../src/store/create-database.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
const DAY = 24 * 60 * MINUTE

for (const dialect of DIALECTS) {
  describe(`API tokens, sessions and the audit trail on ${dialect}`, () => {
    let database: Database
    let access: AccessDependencies
    beforeAll(async () => {
      database = await freshDatabase(dialect)
      access = {
        store: createAccessStore(database),
        policy,
        roster: () => roster,
        pepper: undefined,
      }
    })
    afterAll(async () => {
      await database?.close()
    })

    const create = async (
      deps: AccessDependencies,
      role: 'rep' | 'admin',
      personId: string | null,
      expiresAt: number | null = null,
    ) => {
      const created = await createApiToken(
        deps,
        { role, personId, expiresAt, label: null },
        T0,
        COMMAND_LINE,
      )
      if (!created.ok) {
        throw new Error(created.message)
      }
      return created
    }

    it('keeps only the SHA-256 of a secret, and records who created the token', async () => {
      const { token, secret } = await create(access, 'rep', 'sdr-ana-lopez')
      expect(token).toEqual({
        tokenId: expect.stringMatching(/^tok_[0-9A-Z]{26}$/) as string,
        role: 'rep',
        personId: 'sdr-ana-lopez',
        label: null,
        createdAt: T0,
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
      })
      const row = await database.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_id', '=', token.tokenId)
        .executeTakeFirstOrThrow()
      expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'))
      const stored = JSON.stringify(
        await database.db.selectFrom('api_tokens').selectAll().execute(),
      )
      expect(stored).not.toContain(secret)
      expect(stored).not.toContain(secret.slice(4))
      const [audit] = await access.store.listAudit({
        from: T0,
        to: T0 + 1,
        limit: 10,
      })
      expect(audit).toMatchObject({
        action: 'token.created',
        subject: token.tokenId,
        personId: null,
        tokenId: null,
        origin: 'cli',
        before: null,
        after: { role: 'rep', personId: 'sdr-ana-lopez', expiresAt: null, label: null },
      })
    })

    it('hashes with HMAC-SHA-256 when a pepper is set; without it the secret is unknown', async () => {
      const peppered = { ...access, pepper: 'kitchen-pepper' }
      const { token, secret } = await create(peppered, 'admin', null)
      const row = await database.db
        .selectFrom('api_tokens')
        .select('secret_hash')
        .where('token_id', '=', token.tokenId)
        .executeTakeFirstOrThrow()
      expect(row.secret_hash).toBe(
        createHmac('sha256', 'kitchen-pepper').update(secret).digest('hex'),
      )
      expect(await authenticateToken(peppered, secret, T0)).toEqual({
        ok: true,
        principal: { tokenId: token.tokenId, role: 'admin', personId: null },
      })
      expect(await authenticateToken(access, secret, T0)).toEqual({
        ok: false,
        reason: 'unknown token',
      })
    })

    it('refuses a token for a person the roster does not grant the role, or an expiry in the past', async () => {
      expect(
        await createApiToken(
          access,
          { role: 'manager', personId: 'sdr-ana-lopez', expiresAt: null, label: null },
          T0,
          COMMAND_LINE,
        ),
      ).toEqual({
        ok: false,
        field: 'person',
        message: 'sdr-ana-lopez is sdr, which the policy grants rep access, not manager',
      })
      expect(
        await createApiToken(
          access,
          { role: 'admin', personId: null, expiresAt: T0, label: null },
          T0,
          COMMAND_LINE,
        ),
      ).toEqual({
        ok: false,
        field: 'expires',
        message: '2026-03-03T14:00:00.000Z is not in the future',
      })
    })

    it('expires tokens, and notes their use at most once a minute', async () => {
      const { token, secret } = await create(access, 'rep', 'sdr-jake-turner', T0 + DAY)
      const lastUsed = async () =>
        (await access.store.listTokens()).find((t) => t.tokenId === token.tokenId)?.lastUsedAt
      expect((await authenticateToken(access, secret, T0 + MINUTE)).ok).toBe(true)
      expect(await lastUsed()).toBe(T0 + MINUTE)
      expect((await authenticateToken(access, secret, T0 + MINUTE + 59_000)).ok).toBe(true)
      expect(await lastUsed()).toBe(T0 + MINUTE)
      expect((await authenticateToken(access, secret, T0 + 2 * MINUTE)).ok).toBe(true)
      expect(await lastUsed()).toBe(T0 + 2 * MINUTE)
      expect(await authenticateToken(access, secret, T0 + DAY)).toEqual({
        ok: false,
        reason: 'the token expired at 2026-03-04T14:00:00.000Z',
      })
    })

    it('stops honouring a token whose person the roster no longer grants the role', async () => {
      const { secret } = await create(access, 'rep', 'sdr-maya-brooks')
      const promoted = {
        ...roster,
        people: roster.people.map((person) =>
          person.id === 'sdr-maya-brooks' ? { ...person, role: 'sdr-manager' as const } : person,
        ),
      }
      expect(await authenticateToken({ ...access, roster: () => promoted }, secret, T0)).toEqual({
        ok: false,
        reason:
          'the token no longer holds: sdr-maya-brooks is sdr-manager, which the policy grants manager access, not rep',
      })
    })

    it('opens sessions bound to a CSRF token, ends them with a revocation, and audits it', async () => {
      const { token, secret } = await create(access, 'rep', 'sdr-tom-baker', T0 + 2 * DAY)
      expect(await openSession(access, secret, 'sdr-ana-lopez', T0)).toEqual({
        ok: false,
        status: 401,
        reason: 'the token does not belong to sdr-ana-lopez',
      })
      const session = await openSession(access, secret, 'sdr-tom-baker', T0)
      if (!session.ok) {
        throw new Error(session.reason)
      }
      expect(session.expiresAt).toBe(T0 + 12 * 60 * MINUTE)
      const rows = JSON.stringify(await database.db.selectFrom('sessions').selectAll().execute())
      expect(rows).not.toContain(session.sessionId)
      expect(rows).not.toContain(session.csrfToken)
      const found = await authenticateSession(access, session.sessionId, T0 + MINUTE)
      if (!found.ok) {
        throw new Error(found.reason)
      }
      expect(found.principal).toEqual({
        tokenId: token.tokenId,
        role: 'rep',
        personId: 'sdr-tom-baker',
      })
      expect(found.csrfMatches(session.csrfToken)).toBe(true)
      expect(found.csrfMatches(session.sessionId)).toBe(false)
      expect(found.csrfMatches(undefined)).toBe(false)
      expect(await authenticateSession(access, session.sessionId, T0 + 12 * 60 * MINUTE)).toEqual({
        ok: false,
        reason: 'the session expired; log in again',
      })

      const by = { personId: 'revops-mei-tanaka', tokenId: 'tok_x', origin: '10.0.0.7' }
      const revoked = await revokeApiToken(access, token.tokenId, T0 + 2 * MINUTE, by)
      expect(revoked?.revokedAt).toBe(T0 + 2 * MINUTE)
      expect(await authenticateSession(access, session.sessionId, T0 + 3 * MINUTE)).toEqual({
        ok: false,
        reason: 'unknown or ended session',
      })
      expect(await authenticateToken(access, secret, T0 + 3 * MINUTE)).toEqual({
        ok: false,
        reason: 'the token was revoked',
      })
      // A second revocation keeps the first instant and records nothing.
      expect((await revokeApiToken(access, token.tokenId, T0 + 5 * MINUTE, by))?.revokedAt).toBe(
        T0 + 2 * MINUTE,
      )
      expect(await revokeApiToken(access, 'tok_none', T0, by)).toBe(undefined)
      expect(await access.store.listAudit({ from: T0 + MINUTE, to: T0 + DAY, limit: 10 })).toEqual([
        {
          seq: expect.any(Number) as number,
          at: T0 + 2 * MINUTE,
          action: 'token.revoked',
          subject: token.tokenId,
          personId: 'revops-mei-tanaka',
          tokenId: 'tok_x',
          origin: '10.0.0.7',
          before: { revokedAt: null },
          after: { revokedAt: T0 + 2 * MINUTE },
          detail: null,
        },
      ])
      expect(
        await access.store.listAudit({
          from: Number.NEGATIVE_INFINITY,
          to: Number.POSITIVE_INFINITY,
          personId: 'revops-mei-tanaka',
          limit: 10,
        }),
      ).toHaveLength(1)
    })

    it('refuses to update or delete an audit entry', async () => {
      await expect(
        database.db
          .updateTable('audit_log')
          .set({ origin: 'nowhere' } as never)
          .execute(),
      ).rejects.toThrow(/audit_log is append-only: UPDATE refused/)
      await expect(database.db.deleteFrom('audit_log').execute()).rejects.toThrow(
        /audit_log is append-only: DELETE refused/,
      )
    })
  })
}
