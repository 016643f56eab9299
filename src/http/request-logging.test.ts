import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { LeadRepository } from '../app/lead-repository.js'
import { createCalendarSet } from '../domain/sla-clock-view.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  REFERENCE_TIMESTAMP as T0,
} from '../domain/test-support.js'
import { configFromEnvironment } from '../main.js'
import { createServer } from './create-server.js'

const policy = loadDefaultPolicy()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * A store that fails every call the way PostgreSQL does: quoting a value, with the row in
 * `detail`. Its access store too, so the token lookup every request starts with fails first.
 */
const failingRepository: LeadRepository = new Proxy({} as LeadRepository, {
  get: (_target, name) =>
    name === 'access'
      ? failingRepository
      : () =>
          Promise.reject(
            Object.assign(
              new Error('duplicate key value violates unique constraint: ann.lee@example.com'),
              { code: '23505', detail: 'Key (email)=(ann.lee@example.com) already exists.' },
            ),
          ),
})

/** What must never reach a log line. */
const PERSONAL_OR_SECRET = [
  'ann.lee@example.com',
  'ann.lee%40example.com',
  '555 0142',
  '5550142',
  '"Ann"',
  'Dana',
  'Reyes',
  'lc_secret_token',
  's3cr3t',
  'already exists',
]

describe('serve request logging', () => {
  const lines: string[] = []
  let app: FastifyInstance
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)

  beforeAll(async () => {
    app = await createServer({
      repository: failingRepository,
      policy,
      calendars: createCalendarSet(policy),
      now: () => T0,
      logging: { level: 'info', stream: { write: (line) => lines.push(line) } },
    })
  })
  afterAll(() => app.close())

  it('logs a 500 under the request id it answers with, without personal data or secrets', async () => {
    lines.length = 0
    const response = await app.inject({
      method: 'POST',
      url: '/events?email=ann.lee%40example.com&phone=%2B12125550142',
      headers: {
        authorization: 'Bearer lc_secret_token',
        cookie: 'session=s3cr3t',
        'content-type': 'application/json',
      },
      payload: {
        idempotencyKey: 'k-1',
        leadId: 'lead-1',
        type: 'lead.created',
        occurredAt: new Date(T0).toISOString(),
        payload: {
          source: 'demo-request',
          profile: { ...IDEAL_PROFILE, email: 'ann.lee@example.com', firstName: 'Ann' },
        },
      },
    })
    const requestId = response.headers['x-request-id']
    expect(requestId).toMatch(UUID)
    expect(response.statusCode).toBe(500)
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: `an unexpected error occurred; it has been logged with request id ${String(requestId)}`,
      requestId,
    })

    const logged = entries()
    expect(logged.map((entry) => [entry.level, entry.reqId, entry.msg])).toEqual([
      [30, requestId, 'incoming request'],
      [50, requestId, 'unexpected error'],
      [30, requestId, 'request completed'],
    ])
    expect(logged[0]?.req).toEqual({ method: 'POST', route: '/events' })
    expect(logged[1]?.err).toEqual({
      type: 'Error',
      code: '23505',
      message: 'duplicate key value violates unique constraint: [email]',
      stack: expect.stringMatching(
        /^Error: duplicate key value violates unique constraint: \[email\]\n {4}at /,
      ) as unknown,
    })
    expect(logged[2]?.res).toEqual({ statusCode: 500 })
    const text = lines.join('')
    expect(PERSONAL_OR_SECRET.filter((secret) => text.includes(secret))).toEqual([])
  })

  it("keeps a caller's plausible X-Request-Id, logs the route not the path, and replaces an id that is not plausible", async () => {
    lines.length = 0
    const quoted = await app.inject({
      method: 'GET',
      url: '/leads/ann.lee@example.com',
      headers: { 'x-request-id': 'trace-42.a:b', authorization: 'Bearer lc_secret_token' },
    })
    expect(quoted.headers['x-request-id']).toBe('trace-42.a:b')
    expect(entries().map((entry) => [entry.reqId, entry.req])).toEqual([
      ['trace-42.a:b', { method: 'GET', route: '/leads/:leadId' }],
      ['trace-42.a:b', undefined],
      ['trace-42.a:b', undefined],
    ])

    lines.length = 0
    const unknown = await app.inject({
      method: 'GET',
      url: '/nowhere?name=Ann',
      headers: { 'x-request-id': 'ann.lee@example.com' },
    })
    // No route and no caller: refused before anything is looked up.
    expect(unknown.statusCode).toBe(401)
    expect(unknown.headers['x-request-id']).toMatch(UUID)
    expect(entries().map((entry) => [entry.reqId, entry.req])).toEqual([
      [unknown.headers['x-request-id'], { method: 'GET', route: '(no route)' }],
      [unknown.headers['x-request-id'], undefined],
    ])
    expect(PERSONAL_OR_SECRET.filter((secret) => lines.join('').includes(secret))).toEqual([])
  })

  it('redacts credentials in headers that anything logs', () => {
    lines.length = 0
    app.log.info(
      {
        headers: {
          authorization: 'Bearer lc_secret_token',
          cookie: 'session=s3cr3t',
          'x-csrf-token': 'csrf-s3cr3t',
          'set-cookie': 'session=s3cr3t',
          accept: '*/*',
        },
      },
      'headers',
    )
    expect(entries()[0]?.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-csrf-token': '[redacted]',
      'set-cookie': '[redacted]',
      accept: '*/*',
    })
  })
})

describe('LEADCLOCK_LOG_LEVEL', () => {
  it('sets the level, info by default; another word is a configuration error', () => {
    expect(configFromEnvironment({}).logLevel).toBe('info')
    expect(configFromEnvironment({ LEADCLOCK_LOG_LEVEL: 'debug' }).logLevel).toBe('debug')
    expect(() => configFromEnvironment({ LEADCLOCK_LOG_LEVEL: 'loud' })).toThrow(
      'LEADCLOCK_LOG_LEVEL is "loud"; use one of fatal, error, warn, info, debug, trace, silent',
    )
  })
})
