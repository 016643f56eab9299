/**
 * The dashboard session's cookies. `leadclock_session` carries the session id: HttpOnly, so page
 * scripts never see it. `leadclock_csrf` carries the CSRF token bound to the session, readable by
 * the dashboard's own script, which sends it back in `x-csrf-token` (double submit); a page on
 * another site can neither read it nor, with SameSite=Strict, make the browser send the session.
 * Secure over HTTPS, or always/never as configured (LEADCLOCK_SECURE_COOKIES).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'

export const SESSION_COOKIE = 'leadclock_session'
export const CSRF_COOKIE = 'leadclock_csrf'
export const CSRF_HEADER = 'x-csrf-token'

export type SecureCookies = 'auto' | 'always' | 'never'

/** The value of cookie `name` in the request's Cookie header, if there is one. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at > 0 && pair.slice(0, at).trim() === name) {
      return pair.slice(at + 1).trim()
    }
  }
  return undefined
}

function isSecure(request: FastifyRequest, secure: SecureCookies): boolean {
  return secure === 'always' || (secure === 'auto' && request.protocol === 'https')
}

function cookie(
  name: string,
  value: string,
  maxAgeSeconds: number,
  options: { httpOnly: boolean; secure: boolean },
): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'SameSite=Strict',
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ')
}

/** Sets both cookies until `expiresAt`; a past `expiresAt` clears them. */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { readonly sessionId: string; readonly csrfToken: string; readonly expiresAt: number },
  now: number,
  secure: SecureCookies,
): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - now) / 1000))
  const flags = { secure: isSecure(request, secure) }
  void reply.header('set-cookie', [
    cookie(SESSION_COOKIE, session.sessionId, maxAge, { ...flags, httpOnly: true }),
    cookie(CSRF_COOKIE, session.csrfToken, maxAge, { ...flags, httpOnly: false }),
  ])
}

export function clearSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  secure: SecureCookies,
): void {
  setSessionCookies(request, reply, { sessionId: '', csrfToken: '', expiresAt: 0 }, 0, secure)
}
