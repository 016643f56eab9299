/**
 * What the server allows a caller: a rate limit per token (anonymous callers per address) answered
 * with 429 and Retry-After, request and header timeouts that close a stalled request, security
 * headers on every answer (the /docs page still loads), and CORS closed unless origins are given.
 */
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import { loadDefaultPolicy } from '../../src/domain/test-support.js'
import { createServer } from '../../src/http/create-server.js'
import type { RequestLimits } from '../../src/http/request-limits.js'
import { DEFAULT_REQUEST_LIMITS } from '../../src/http/request-limits.js'
import type { LeadRepository } from '../../src/app/lead-repository.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
/** The limits are the HTTP layer's own: one store is enough. */
const dialect = DIALECTS[0] ?? 'pglite'

const EXPECTED_CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'"

describe(`request limits on ${dialect}`, () => {
  let database: Database
  let repository: LeadRepository
  const servers: FastifyInstance[] = []
  const serverWith = async (limits: Partial<RequestLimits>): Promise<FastifyInstance> => {
    const app = await createServer({
      repository,
      policy,
      calendars,
      now: () => Date.now(),
      limits: { ...DEFAULT_REQUEST_LIMITS, ...limits },
    })
    servers.push(app)
    return app
  }
  const adminOf = (app: FastifyInstance): Promise<ApiCaller> =>
    apiCaller({ app, repository, policy }, 'admin')

  beforeAll(async () => {
    database = await freshDatabase(dialect)
    repository = createLeadRepository(database)
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    await database.close()
  })

  it('answers a token past its requests per minute with 429 and Retry-After; another token and anonymous callers have their own count', async () => {
    const app = await serverWith({ ratePerMinute: 3 })
    const [first, second] = [await adminOf(app), await adminOf(app)]
    const list = (caller: ApiCaller) => caller.inject({ method: 'GET', url: '/leads' })
    for (let request = 0; request < 3; request += 1) {
      expect((await list(first)).statusCode).toBe(200)
    }
    const refused = await list(first)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(refused.json()).toEqual({
      type: 'about:blank',
      title: 'Too many requests',
      status: 429,
      detail:
        'this token made more than 3 requests in a minute; retry after 1 minute (Retry-After)',
      rule: 'rate-limit',
    })
    expect((await list(second)).statusCode).toBe(200)

    const health = () => app.inject({ method: 'GET', url: '/health' })
    for (let request = 0; request < 3; request += 1) {
      expect((await health()).statusCode).toBe(200)
    }
    const anonymous = await health()
    expect(anonymous.statusCode).toBe(429)
    expect(anonymous.json<{ detail: string }>().detail).toBe(
      'this address made more than 3 requests in a minute; retry after 1 minute (Retry-After)',
    )
  })

  it('refuses an address past its failed authentications a minute before looking at its credentials; other addresses are not affected', async () => {
    const app = await serverWith({ authenticationFailuresPerMinute: 3 })
    const admin = await adminOf(app)
    const guess = (remoteAddress: string, authorization: string) =>
      app.inject({ method: 'GET', url: '/leads', remoteAddress, headers: { authorization } })
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await guess('203.0.113.7', `Bearer lct_guess-${attempt}`)).statusCode).toBe(401)
    }
    const refused = await guess('203.0.113.7', `Bearer ${admin.secret}`)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(refused.json()).toMatchObject({
      status: 429,
      rule: 'authentication-failures',
      detail: expect.stringMatching(
        /^this address failed to authenticate 3 times in a minute; retry after \d+ s \(Retry-After\)$/,
      ) as unknown,
    })
    expect((await guess('198.51.100.2', `Bearer ${admin.secret}`)).statusCode).toBe(200)
  })

  it('closes a request whose body stalls, and one whose headers stall, within the timeouts (408 problem+json)', async () => {
    const app = await serverWith({ requestTimeoutMs: 1000, headersTimeoutMs: 400 })
    const admin = await adminOf(app)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    /** Sends `text`, then nothing: what came back and when the server closed the connection. */
    const stall = (text: string) =>
      new Promise<{ answer: string; closedAfterMs: number }>((resolve, reject) => {
        const startedAt = Date.now()
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text))
        let answer = ''
        socket.setEncoding('utf8')
        socket.on('data', (chunk: string) => (answer += chunk))
        socket.on('error', reject)
        socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - startedAt }))
      })

    const halfBody = await stall(
      [
        'POST /events HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Content-Length: 200',
        `Authorization: Bearer ${admin.secret}`,
        '',
        '{"idempotencyKey":"slow",',
      ].join('\r\n'),
    )
    expect(halfBody.closedAfterMs).toBeGreaterThanOrEqual(900)
    expect(halfBody.closedAfterMs).toBeLessThan(2000)
    const [head, body] = halfBody.answer.split('\r\n\r\n')
    expect(head?.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout')
    expect(head).toContain('Content-Type: application/problem+json')
    expect(JSON.parse(body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Request Timeout',
      status: 408,
      detail: 'the request did not arrive in time (headers and body have a time limit)',
      rule: 'request-timeout',
    })

    const halfHeaders = await stall('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    expect(halfHeaders.closedAfterMs).toBeGreaterThanOrEqual(350)
    expect(halfHeaders.closedAfterMs).toBeLessThan(1000)
    expect(halfHeaders.answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout')
  })

  it('sets security headers on every answer, and /docs still loads under its policy', async () => {
    const app = await serverWith({})
    const health = await app.inject({ method: 'GET', url: '/health' })
    expect(health.headers).toMatchObject({
      'content-security-policy': EXPECTED_CSP,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    })
    expect(health.headers['x-powered-by']).toBeUndefined()
    const problem = await app.inject({ method: 'GET', url: '/leads' })
    expect(problem.statusCode).toBe(401)
    expect(problem.headers['x-content-type-options']).toBe('nosniff')

    const page = await app.inject({ method: 'GET', url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-security-policy']).toBe(EXPECTED_CSP)
    // The policy allows scripts from this origin only: the page may have no inline script.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, inline] of scripts) {
      expect(inline?.trim()).toBe('')
      const src = /src="\.\/([^"]+)"/.exec(attributes ?? '')?.[1]
      expect(src, attributes).toMatch(/^static\//)
      const script = await app.inject({ method: 'GET', url: `/docs/${src ?? ''}` })
      expect(script.statusCode, src).toBe(200)
      expect(script.headers['content-type']).toMatch(/javascript/)
    }
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200)
  })

  it('answers no other origin by default, and the configured origins only', async () => {
    const fromOrigin = (app: FastifyInstance, origin: string) =>
      app.inject({ method: 'GET', url: '/health', headers: { origin } })
    const preflight = (app: FastifyInstance, origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/events',
        headers: { origin, 'access-control-request-method': 'POST' },
      })

    const closed = await serverWith({})
    const plain = await fromOrigin(closed, 'https://dashboard.example.com')
    expect(plain.statusCode).toBe(200)
    expect(plain.headers['access-control-allow-origin']).toBeUndefined()
    const refusedPreflight = await preflight(closed, 'https://dashboard.example.com')
    expect(refusedPreflight.statusCode).toBe(401)
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined()

    const open = await serverWith({
      corsOrigins: ['https://dashboard.example.com', 'http://localhost:5173'],
    })
    const allowed = await fromOrigin(open, 'https://dashboard.example.com')
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.example.com')
    expect(allowed.headers.vary).toBe('Origin')
    expect(allowed.headers['access-control-expose-headers']).toBe('Retry-After, X-Request-Id')
    const other = await fromOrigin(open, 'https://evil.example.com')
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
    const allowedPreflight = await preflight(open, 'http://localhost:5173')
    expect(allowedPreflight.statusCode).toBe(204)
    expect(allowedPreflight.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    expect(allowedPreflight.headers['access-control-allow-methods']).toBe(
      'GET, HEAD, POST, PUT, DELETE',
    )
  })
})
