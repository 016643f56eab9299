/** API tokens and dashboard sessions: hashes of their secrets, never the secrets. */
import type { Selectable } from 'kysely'

import type {
  AccessStore,
  AuditEntry,
  NewSession,
  NewToken,
  StoredToken,
} from '../app/access-port.js'
import type { AccessRole } from '../access/access-roles.js'
import { ACCESS_ROLES } from '../access/access-roles.js'
import { appendAuditEntry, listAuditEntries } from './audit-log.js'
import { checkInteger, checkText, int8ToNumber } from './column-values.js'
import type { Database } from './create-database.js'
import type { ApiTokensTable } from './database-schema.js'
import { StoreError } from './store-error.js'
import { withTransaction } from './transaction.js'

const nullableInt8 = (value: Selectable<ApiTokensTable>['expires_at'], column: string) =>
  value === null ? null : int8ToNumber(value, column)

function accessRole(value: string): AccessRole {
  if (!(ACCESS_ROLES as readonly string[]).includes(value)) {
    throw new StoreError(`api_tokens.role: unknown role "${value}"`)
  }
  return value as AccessRole
}

function toStoredToken(row: Selectable<ApiTokensTable>): StoredToken {
  return {
    tokenId: row.token_id,
    role: accessRole(row.role),
    personId: row.person_id,
    label: row.label,
    createdAt: int8ToNumber(row.created_at, 'api_tokens.created_at'),
    expiresAt: nullableInt8(row.expires_at, 'api_tokens.expires_at'),
    revokedAt: nullableInt8(row.revoked_at, 'api_tokens.revoked_at'),
    lastUsedAt: nullableInt8(row.last_used_at, 'api_tokens.last_used_at'),
  }
}

const TOKEN_COLUMNS = [
  'api_tokens.token_id',
  'api_tokens.role',
  'api_tokens.person_id',
  'api_tokens.label',
  'api_tokens.created_at',
  'api_tokens.expires_at',
  'api_tokens.revoked_at',
  'api_tokens.last_used_at',
  'api_tokens.secret_hash',
] as const

export function createAccessStore(database: Database): AccessStore {
  const { db } = database
  return {
    insertToken: (token: NewToken, audit: AuditEntry) =>
      withTransaction(database, async (tx) => {
        await tx
          .insertInto('api_tokens')
          .values({
            token_id: checkText(token.tokenId, 'tokenId'),
            secret_hash: checkText(token.secretHash, 'secretHash'),
            role: token.role,
            person_id: token.personId,
            label: token.label,
            created_at: checkInteger(token.createdAt, 'createdAt'),
            expires_at: token.expiresAt,
          })
          .execute()
        await appendAuditEntry(tx, audit)
      }),

    async findTokenBySecretHash(secretHash) {
      const row = await db
        .selectFrom('api_tokens')
        .select(TOKEN_COLUMNS)
        .where('secret_hash', '=', secretHash)
        .executeTakeFirst()
      return row === undefined ? undefined : toStoredToken(row)
    },

    async listTokens() {
      const rows = await db
        .selectFrom('api_tokens')
        .select(TOKEN_COLUMNS)
        .orderBy('created_at')
        .orderBy('token_id')
        .execute()
      return rows.map(toStoredToken)
    },

    async countTokens() {
      const row = await db
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
        .executeTakeFirstOrThrow()
      return int8ToNumber(row.count, 'count(api_tokens)')
    },

    revokeToken: (tokenId, at, audit) =>
      withTransaction(database, async (tx) => {
        const revoked = await tx
          .updateTable('api_tokens')
          .set({ revoked_at: checkInteger(at, 'revokedAt') })
          .where('token_id', '=', tokenId)
          .where('revoked_at', 'is', null)
          .returning(TOKEN_COLUMNS)
          .executeTakeFirst()
        if (revoked === undefined) {
          const row = await tx
            .selectFrom('api_tokens')
            .select(TOKEN_COLUMNS)
            .where('token_id', '=', tokenId)
            .executeTakeFirst()
          return row === undefined ? undefined : toStoredToken(row)
        }
        await tx.deleteFrom('sessions').where('token_id', '=', tokenId).execute()
        await appendAuditEntry(tx, audit)
        return toStoredToken(revoked)
      }),

    async markTokenUsed(tokenId, at) {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: checkInteger(at, 'lastUsedAt') })
        .where('token_id', '=', tokenId)
        .execute()
    },

    startSession: (session: NewSession) =>
      withTransaction(database, async (tx) => {
        await tx.deleteFrom('sessions').where('expires_at', '<=', session.createdAt).execute()
        await tx
          .insertInto('sessions')
          .values({
            session_hash: checkText(session.sessionHash, 'sessionHash'),
            token_id: checkText(session.tokenId, 'tokenId'),
            csrf_hash: checkText(session.csrfHash, 'csrfHash'),
            created_at: checkInteger(session.createdAt, 'createdAt'),
            expires_at: checkInteger(session.expiresAt, 'expiresAt'),
          })
          .execute()
      }),

    async findSession(sessionHash) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('api_tokens', 'api_tokens.token_id', 'sessions.token_id')
        .select([
          ...TOKEN_COLUMNS,
          'sessions.session_hash',
          'sessions.csrf_hash',
          'sessions.expires_at as session_expires_at',
        ])
        .where('sessions.session_hash', '=', sessionHash)
        .executeTakeFirst()
      return row === undefined
        ? undefined
        : {
            sessionHash: row.session_hash,
            csrfHash: row.csrf_hash,
            expiresAt: int8ToNumber(row.session_expires_at, 'sessions.expires_at'),
            token: toStoredToken(row),
          }
    },

    async endSession(sessionHash) {
      await db.deleteFrom('sessions').where('session_hash', '=', sessionHash).execute()
    },

    appendAudit: (entry) => appendAuditEntry(db, entry),
    listAudit: (filter) => listAuditEntries(db, filter),
  }
}
