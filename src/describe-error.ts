/**
 * An error as a person can act on it: what failed, then why, down its `cause` chain
 * ("cannot connect to PostgreSQL at 127.0.0.1:5432: connection refused"). System errors are put
 * in words, wrappers that repeat their cause's message are not repeated, and a thrown value that
 * is not an Error is shown as it is, never as "[object Object]".
 */
import { inspect } from 'node:util'

/** Node's system error codes a person meets when starting Leadclock, in words. */
const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the other side',
  EEXIST: 'already exists',
  EHOSTUNREACH: 'host unreachable',
  EISDIR: 'is a directory, not a file',
  ENETUNREACH: 'network unreachable',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is not a directory',
  ENOTFOUND: 'host not found',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ETIMEDOUT: 'timed out',
}

function stringProperty(value: object, key: string): string | undefined {
  const property = (value as Record<string, unknown>)[key]
  return typeof property === 'string' && property !== '' ? property : undefined
}

/** Where a system error happened (a path, an address), unless the text before already says. */
function placeOf(error: Error, before: string): string | undefined {
  const port = (error as { port?: unknown }).port
  const address = stringProperty(error, 'address')
  const place =
    stringProperty(error, 'path') ??
    (address !== undefined && typeof port === 'number' ? `${address}:${port}` : address) ??
    stringProperty(error, 'hostname')
  return place === undefined || before.includes(place) ? undefined : place
}

function describeOne(error: unknown, before: string): string {
  if (typeof error === 'string') {
    return error
  }
  if (!(error instanceof Error)) {
    return inspect(error, { depth: 3, breakLength: Infinity })
  }
  const code = stringProperty(error, 'code')
  const words = code === undefined ? undefined : SYSTEM_ERRORS[code]
  if (words !== undefined) {
    const place = placeOf(error, before)
    return place === undefined ? words : `${words} (${place})`
  }
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map((inner) => describeError(inner)).join('; ')
  }
  // PostgreSQL errors carry the specifics and a way out beside the message.
  const detail = stringProperty(error, 'detail')
  const hint = stringProperty(error, 'hint')
  return [
    error.message === '' ? error.name : error.message,
    detail === undefined ? '' : ` (${detail})`,
    hint === undefined ? '' : `; hint: ${hint}`,
  ].join('')
}

export function describeError(error: unknown): string {
  const parts: string[] = []
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current)
    const text = describeOne(current, parts.join(': '))
    if (text !== '' && !parts.some((part) => part.includes(text))) {
      parts.push(text)
    }
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.length === 0 ? String(error) : parts.join(': ')
}
