/**
 * Hostile input, answered exactly: NUL characters and lone surrogates in a path, a query or a
 * body, JSON nested 10,000 levels deep, a path parameter or headers too long and broken HTTP all
 * end in a 4xx problem naming the field and the rule. A lead id the import accepts is one the API
 * reads; an instant before 1970 is refused by the API and the import with the same rule and text.
 */
import { connect } from 'node:net'

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { InvalidLine } from '../../src/app/import-records.js'
import { importJsonLines } from '../../src/app/import-jsonl.js'
import { peopleOf } from '../../src/app/event-input.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

const policy = loadDefaultPolicy()
const NOW = T0 + 10 * MINUTE

const PROBLEM_JSON = 'application/problem+json; charset=utf-8'
const NUL_MESSAGE = 'the value contains a NUL character (U+0000), which cannot be stored'
const SURROGATE_MESSAGE =
  'the value contains a lone UTF-16 surrogate (half of a character), which is not text'

/** One field refused by the guard, as the answer states it. */
function refusedField(field: string, rule: string, message: string) {
  return {
    type: 'about:blank',
    title: 'Invalid input',
    status: 400,
    detail: `${field}: ${message}`,
    problems: [{ field, rule, message }],
  }
}

/** Lines as the CLI reads them from a file. */
async function* linesOf(lines: readonly object[]): AsyncIterable<string> {
  for (const line of lines) {
    yield JSON.stringify(line)
  }
  await Promise.resolve()
}

/** Writes `request` on a new connection to the server and reads the answer until it closes. */
function rawExchange(
  app: FastifyInstance,
  request: string,
): Promise<{ statusLine: string; headers: string[]; body: unknown }> {
  const address = app.server.address()
  if (address === null || typeof address === 'string') {
    throw new Error('the server does not listen on a TCP port')
  }
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1', () => socket.end(request))
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')
      const [statusLine = '', ...headers] = head.split('\r\n')
      resolve({ statusLine, headers, body: JSON.parse(body) as unknown })
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`hostile input on ${dialect}`, () => {
    let api: LiveApi
    beforeAll(async () => {
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW)
      await api.app.listen({ port: 0, host: '127.0.0.1' })
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    const postJson = (url: string, text: string) =>
      api.admin.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: text,
      })

    it('refuses a NUL in a path parameter, naming it, before anything reads the store', async () => {
      const response = await api.admin.inject({ method: 'GET', url: '/leads/lead%00one' })
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toBe(PROBLEM_JSON)
      expect(response.json()).toEqual(refusedField('params.leadId', 'nul-character', NUL_MESSAGE))
    })

    it('refuses a NUL in the query, even from a caller not yet authenticated', async () => {
      const expected = refusedField('querystring.owner', 'nul-character', NUL_MESSAGE)
      const asAdmin = await api.admin.inject({ method: 'GET', url: '/leads?owner=sdr%00' })
      expect([asAdmin.statusCode, asAdmin.json()]).toEqual([400, expected])
      const anonymous = await api.app.inject({ method: 'GET', url: '/tasks?owner=sdr%00' })
      expect([anonymous.statusCode, anonymous.json()]).toEqual([400, expected])
    })

    it('refuses a NUL and a lone surrogate in a body by their fields, and records nothing', async () => {
      const response = await postJson(
        '/events/batch',
        JSON.stringify({
          events: [
            {
              idempotencyKey: 'hostile-1',
              leadId: 'lead-hostile-1',
              type: 'lead.created',
              payload: { profile: { ...IDEAL_PROFILE, firstName: 'Da\u0000na' }, source: 'web' },
            },
          ],
        }).replace('"lead-hostile-1"', '"lead-\\ud800"'),
      )
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toBe(PROBLEM_JSON)
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        detail: `body.events.0.leadId: ${SURROGATE_MESSAGE} (and 1 more)`,
        problems: [
          { field: 'body.events.0.leadId', rule: 'lone-surrogate', message: SURROGATE_MESSAGE },
          {
            field: 'body.events.0.payload.profile.firstName',
            rule: 'nul-character',
            message: NUL_MESSAGE,
          },
        ],
      })
      const leads = await api.admin.inject({ method: 'GET', url: '/leads' })
      expect(leads.json<{ total: number }>().total).toBe(0)
    })

    it('lists the first 20 problems of a body holding more', async () => {
      const names = Array.from({ length: 25 }, (_, index) => `n\u0000${index}`)
      const response = await postJson('/events', JSON.stringify({ names }))
      expect(response.statusCode).toBe(400)
      const problem = response.json<{ detail: string; problems: { field: string }[] }>()
      expect(problem.detail).toBe(
        `body.names.0: ${NUL_MESSAGE} (and 24 more; the first 20 are listed)`,
      )
      expect(problem.problems.map((listed) => listed.field)).toEqual(
        names.slice(0, 20).map((_, index) => `body.names.${index}`),
      )
    })

    it('refuses a PUT /roster nested 10,000 levels deep at level 33, and keeps the roster', async () => {
      const before = await api.admin.inject({ method: 'GET', url: '/roster' })
      const deep = `{"people":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
      const response = await api.admin.inject({
        method: 'PUT',
        url: '/roster',
        headers: { 'content-type': 'application/json' },
        payload: deep,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(
        refusedField(
          `body.people${'.0'.repeat(31)}`,
          'max-depth',
          'objects and arrays are nested more than 32 levels deep here',
        ),
      )
      // As deep as the body limit allows: parsed without recursion, refused the same way.
      const deepest = 500_000
      const limitDeep = await postJson('/events', `${'['.repeat(deepest)}${']'.repeat(deepest)}`)
      expect(limitDeep.statusCode).toBe(400)
      expect(limitDeep.json<{ problems: unknown[] }>().problems).toEqual([
        {
          field: `body${'.0'.repeat(32)}`,
          rule: 'max-depth',
          message: 'objects and arrays are nested more than 32 levels deep here',
        },
      ])
      const after = await api.admin.inject({ method: 'GET', url: '/roster' })
      expect(after.json()).toEqual(before.json())
    })

    it('takes a path parameter of 1,000 characters to its route; a longer one is a 414 problem', async () => {
      const longest = await api.admin.inject({
        method: 'POST',
        url: `/notifications/${'k'.repeat(1000)}/replay`,
      })
      expect(longest.statusCode).toBe(404)
      expect(longest.json()).toMatchObject({ title: 'Delivery not replayable' })
      const tooLong = await api.admin.inject({
        method: 'POST',
        url: `/notifications/${'k'.repeat(1001)}/replay`,
      })
      expect(tooLong.statusCode).toBe(414)
      expect(tooLong.headers['content-type']).toBe(PROBLEM_JSON)
      expect(tooLong.json()).toEqual({
        type: 'about:blank',
        status: 414,
        title: 'URI too long',
        detail: 'a path parameter is longer than 1000 characters',
        rule: 'max-param-length',
      })
      const malformed = await api.admin.inject({ method: 'GET', url: '/leads/%E0%A4%A' })
      expect([malformed.statusCode, malformed.json()]).toEqual([
        400,
        {
          type: 'about:blank',
          status: 400,
          title: 'Malformed URL',
          detail: 'the URL path is not percent-encoded UTF-8',
          rule: 'url-encoding',
        },
      ])
    })

    it('answers headers over 16 KiB (431) and broken HTTP (400) on the socket as problems', async () => {
      const headerOverflow = {
        statusLine: 'HTTP/1.1 431 Request Header Fields Too Large',
        headers: [
          'Content-Type: application/problem+json',
          expect.stringMatching(/^Content-Length: \d+$/),
          'Connection: close',
        ],
        body: {
          type: 'about:blank',
          title: 'Request Header Fields Too Large',
          status: 431,
          detail: 'the request headers are too large',
          rule: 'max-header-size',
        },
      }
      const bigHeader = await rawExchange(
        api.app,
        `GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`,
      )
      expect(bigHeader).toEqual(headerOverflow)
      const longUrl = await rawExchange(
        api.app,
        `GET /leads?owner=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      )
      expect(longUrl).toEqual(headerOverflow)
      const broken = await rawExchange(api.app, 'GET /health HTTP/1.1\r\nHo\u0000st: x\r\n\r\n')
      expect(broken).toEqual({
        ...headerOverflow,
        statusLine: 'HTTP/1.1 400 Bad Request',
        body: {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'the request could not be read as HTTP',
          rule: 'http-syntax',
        },
      })
    })

    it('reads a lead whose 150-character id the import accepted; 201 characters are refused by both', async () => {
      // Every character a lead id may hold, in a path as it is.
      const leadId = `lead_.:@-${'x'.repeat(141)}`
      const tooLongId = 'y'.repeat(201)
      const invalid: Omit<InvalidLine, 'text'>[] = []
      const report = await importJsonLines(
        { repository: createLeadRepository(api.database), policy },
        linesOf(
          [leadId, tooLongId].map((id, index) => ({
            idempotencyKey: `import-${index}`,
            leadId: id,
            type: 'lead.created',
            occurredAt: new Date(T0).toISOString(),
            payload: { profile: IDEAL_PROFILE, source: 'demo-request' },
          })),
        ),
        {
          now: () => NOW,
          people: peopleOf(api.settings.current().roster.roster),
          onInvalidLine: ({ line, problems }) => invalid.push({ line, problems }),
        },
      )
      expect(report).toEqual({ linesRead: 2, appended: 1, duplicates: 0, invalid: 1 })
      const tooBig = {
        rule: 'too_big',
        message: 'Too big: expected string to have <=200 characters',
      }
      expect(invalid).toEqual([{ line: 2, problems: [{ field: 'leadId', ...tooBig }] }])

      const read = await api.admin.inject({ method: 'GET', url: `/leads/${leadId}` })
      expect(read.statusCode).toBe(200)
      expect(read.json<{ lead: { leadId: string } }>().lead.leadId).toBe(leadId)
      const briefing = await api.admin.inject({ method: 'GET', url: `/leads/${leadId}/briefing` })
      expect(briefing.statusCode).toBe(200)
      const refused = await api.admin.inject({ method: 'GET', url: `/leads/${tooLongId}` })
      expect(refused.statusCode).toBe(400)
      expect(refused.json<{ problems: unknown[] }>().problems).toEqual([
        { field: 'params.leadId', ...tooBig },
      ])
    })

    it('refuses an instant before 1970 with the same rule and text through the API and the import', async () => {
      const event = {
        idempotencyKey: 'sixties-1',
        leadId: 'lead-sixties',
        type: 'lead.created',
        occurredAt: '1960-05-01T09:00:00Z',
        payload: { profile: IDEAL_PROFILE, source: 'demo-request' },
      }
      const refusal = {
        rule: 'instant-before-1970',
        message:
          '"1960-05-01T09:00:00Z" is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
      }
      const response = await api.admin.inject({ method: 'POST', url: '/events', payload: event })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        detail: 'the body does not match the schema',
        problems: [{ field: 'body.occurredAt', ...refusal }],
      })
      const invalid: Omit<InvalidLine, 'text'>[] = []
      await importJsonLines(
        { repository: createLeadRepository(api.database), policy },
        linesOf([event, { ...event, idempotencyKey: 'sixties-2', occurredAt: -1 }]),
        {
          now: () => NOW,
          people: new Set(),
          onInvalidLine: ({ line, problems }) => invalid.push({ line, problems }),
        },
      )
      expect(invalid).toEqual([
        { line: 1, problems: [{ field: 'occurredAt', ...refusal }] },
        {
          line: 2,
          problems: [
            {
              field: 'occurredAt',
              rule: 'instant-before-1970',
              message: '-1 is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
            },
          ],
        },
      ])
      const dueBefore = await api.admin.inject({
        method: 'GET',
        url: '/tasks?due_before=1969-12-31',
      })
      expect(dueBefore.json<{ problems: unknown[] }>().problems).toEqual([
        {
          field: 'querystring.due_before',
          rule: 'instant-before-1970',
          message:
            '"1969-12-31" is before 1970-01-01T00:00:00Z; Leadclock keeps instants from 1970 on',
        },
      ])
    })
  })
}
