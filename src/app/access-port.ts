/**
 * What authentication and the audit trail need from storage: API tokens (a hash of each secret,
 * never the secret), dashboard sessions and the append-only audit log.
 */
import type { AccessRole } from '../access/access-roles.js'

export interface StoredToken {
  readonly tokenId: string
  readonly role: AccessRole
  readonly personId: string | null
  readonly label: string | null
  readonly createdAt: number
  readonly expiresAt: number | null
  readonly revokedAt: number | null
  readonly lastUsedAt: number | null
}

export interface NewToken {
  readonly tokenId: string
  readonly secretHash: string
  readonly role: AccessRole
  readonly personId: string | null
  readonly label: string | null
  readonly createdAt: number
  readonly expiresAt: number | null
}

export interface NewSession {
  readonly sessionHash: string
  readonly tokenId: string
  readonly csrfHash: string
  readonly createdAt: number
  readonly expiresAt: number
}

export interface StoredSession {
  readonly sessionHash: string
  readonly csrfHash: string
  readonly expiresAt: number
  readonly token: StoredToken
}

/** One manual change: who (person, token), when, from where, what it was before and after. */
export interface AuditEntry {
  readonly at: number
  /** What was done: an event type (`owner.assigned`), `roster.replaced`, `token.created`… */
  readonly action: string
  /** What it was done to: a lead id, `roster`, a token id. */
  readonly subject: string
  readonly personId: string | null
  readonly tokenId: string | null
  /** The caller's IP address, or `cli` for the command line on the store's machine. */
  readonly origin: string
  readonly before: Readonly<Record<string, unknown>> | null
  readonly after: Readonly<Record<string, unknown>> | null
  readonly detail: Readonly<Record<string, unknown>> | null
}

export interface RecordedAuditEntry extends AuditEntry {
  readonly seq: number
}

export interface AuditFilter {
  /** Inclusive. */
  readonly from: number
  /** Exclusive. */
  readonly to: number
  readonly personId?: string
  /** Only entries of this action (e.g. `policy.replaced`). */
  readonly action?: string
  readonly limit: number
}

export interface AccessStore {
  /** Stores a new token and records its creation, in one transaction. */
  insertToken(token: NewToken, audit: AuditEntry): Promise<void>
  findTokenBySecretHash(secretHash: string): Promise<StoredToken | undefined>
  listTokens(): Promise<StoredToken[]>
  countTokens(): Promise<number>
  /**
   * Revokes a token (and ends its sessions) and records it, in one transaction; the token as it
   * now stands, undefined when there is none. A token revoked before keeps its first revocation.
   */
  revokeToken(tokenId: string, at: number, audit: AuditEntry): Promise<StoredToken | undefined>
  markTokenUsed(tokenId: string, at: number): Promise<void>
  /** Stores a session; sessions expired before `createdAt` are removed on the way. */
  startSession(session: NewSession): Promise<void>
  findSession(sessionHash: string): Promise<StoredSession | undefined>
  endSession(sessionHash: string): Promise<void>
  appendAudit(entry: AuditEntry): Promise<void>
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<RecordedAuditEntry[]>
}
