/**
 * Secrets of tokens and sessions: 256 random bits each, kept in the store only as a hash. With a
 * pepper (LEADCLOCK_TOKEN_PEPPER) the hash is an HMAC keyed by it, so a copy of the database
 * alone cannot even confirm a guessed secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** API tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_SECRET_PREFIX = 'lct_'

export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

export function hashSecret(secret: string, pepper: string | undefined): string {
  return pepper === undefined
    ? createHash('sha256').update(secret).digest('hex')
    : createHmac('sha256', pepper).update(secret).digest('hex')
}

/** Whether `secret` hashes to `hash`, in time that does not depend on where they differ. */
export function secretMatches(secret: string, hash: string, pepper: string | undefined): boolean {
  const given = Buffer.from(hashSecret(secret, pepper), 'hex')
  const kept = Buffer.from(hash, 'hex')
  return given.length === kept.length && timingSafeEqual(given, kept)
}
