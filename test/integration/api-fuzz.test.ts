/**
 * 10,000 requests across every route the OpenAPI document (/docs/json) lists — right and wrong
 * methods, path parameters, queries and bodies built from its parameters and properties, filled
 * with hostile values (NUL, lone surrogates, huge numbers, wrong types, long strings, deep
 * nesting, malformed JSON, odd content types) — as an admin, anonymously and with a bogus token.
 * Not one may answer 5xx; every 4xx is problem details; the process still answers /health.
 */
import fc from 'fast-check'
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { DEFAULT_REQUEST_LIMITS } from '../../src/http/request-limits.js'
import type { ApiCaller } from './api-callers.js'
import { DIALECTS } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi } from './live-api.js'

const policy = loadDefaultPolicy()
const NOW = T0 + 10 * MINUTE
const REQUESTS = 10_000
const KNOWN_LEAD = 'lead-fuzz-1'

interface Operation {
  readonly method: string
  /** As the document writes it: `/leads/{leadId}`. */
  readonly path: string
  readonly pathParams: readonly string[]
  readonly queryParams: readonly { readonly name: string; readonly enum: readonly string[] }[]
  /** Properties of the JSON body and the values an enum allows; undefined without a body. */
  readonly bodyProperties?: Readonly<Record<string, readonly string[]>>
}

interface OpenApiSchema {
  readonly enum?: readonly unknown[]
  readonly properties?: Readonly<Record<string, OpenApiSchema>>
}
interface OpenApiDocument {
  readonly paths: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          {
            readonly parameters?: readonly {
              readonly in: string
              readonly name: string
              readonly schema?: OpenApiSchema
            }[]
            readonly requestBody?: {
              readonly content: Readonly<Record<string, { readonly schema: OpenApiSchema }>>
            }
          }
        >
      >
    >
  >
}

const enumOf = (schema: OpenApiSchema | undefined): string[] =>
  (schema?.enum ?? []).filter((value): value is string => typeof value === 'string')

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? []
      const body = operation.requestBody?.content['application/json']?.schema
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, enum: enumOf(p.schema) })),
        ...(body === undefined
          ? {}
          : {
              bodyProperties: Object.fromEntries(
                Object.entries(body.properties ?? {}).map(([name, schema]) => [
                  name,
                  enumOf(schema),
                ]),
              ),
            }),
      }
    }),
  )
}

/**
 * Percent-encodes any string, lone surrogates included (as the three bytes WTF-8 gives them,
 * which no UTF-8 decoder accepts), so that the request line carries exactly the hostile value.
 */
function encodeHostile(text: string): string {
  return text.replace(/\p{Cs}|[^\p{Cs}]/gu, (unit) => {
    if (!/\p{Cs}/u.test(unit)) {
      return encodeURIComponent(unit)
    }
    const code = unit.charCodeAt(0)
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('')
  })
}

const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    `${KNOWN_LEAD}\u0000`,
    '\ud800',
    'x\udfffy',
    '\ud83d\ude00',
    '',
    ' ',
    '../../etc/passwd',
    '%00',
    '1e400',
    '-1',
    '9'.repeat(400),
    '1960-01-01',
    '1960-01-01T00:00:00Z',
    '2026-03-03T14:00:00Z',
    '2026-02-30',
    '1772546400',
    'null',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    KNOWN_LEAD,
    `lead-${'x'.repeat(195)}`,
    'x'.repeat(201),
    'x'.repeat(1001),
    'x'.repeat(20_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
)

const hostileNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    1.5,
    1_772_546_400,
    T0,
    -315_619_200_000,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileText, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(hostileText, fc.oneof(hostileText, hostileNumber), { maxKeys: 3 }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
)

/** Arrays nested `depth` levels deep around a NUL, as raw JSON text. */
const deeplyNested = (depth: number) => `${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`

/** A well-formed value four times in five, else a hostile one. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileValue })

/** Events that pass the schema often enough to reach the handlers and the store. */
const plausibleEvent = fc
  .record({
    idempotencyKey: mostly(fc.uuid()),
    leadId: mostly(fc.constantFrom(KNOWN_LEAD, 'lead-fuzz-2')),
    typeAndPayload: mostly(
      fc.constantFrom(
        ['lead.created', { profile: IDEAL_PROFILE, source: 'demo-request' }],
        ['intent.recorded', { action: 'demo-request' }],
        ['owner.assigned', { ownerId: 'sdr-ana-lopez', reason: 'fuzz' }],
        ['sal.accepted', {}],
      ),
    ),
    occurredAt: mostly(fc.constant(new Date(T0).toISOString())),
  })
  .map(({ typeAndPayload, ...envelope }) =>
    Array.isArray(typeAndPayload)
      ? { ...envelope, type: typeAndPayload[0] as unknown, payload: typeAndPayload[1] as unknown }
      : { ...envelope, type: 'lead.created', payload: typeAndPayload },
  )

const oddContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json\u0000',
  'application/problem+json',
]

type Payload = { readonly contentType?: string; readonly text: string } | undefined

function bodyOf(operation: Operation): fc.Arbitrary<Payload> {
  const json = (value: unknown): Payload => ({
    contentType: 'application/json',
    text: JSON.stringify(value),
  })
  const properties = Object.entries(operation.bodyProperties ?? {})
  const fromSchema = fc
    .tuple(
      ...properties.map(([, allowed]) =>
        fc.option(
          allowed.length > 0 ? fc.oneof(fc.constantFrom(...allowed), hostileValue) : hostileValue,
          { nil: undefined },
        ),
      ),
    )
    .map((values) =>
      json(Object.fromEntries(properties.map(([name], index) => [name, values[index]]))),
    )
  return fc.oneof(
    { weight: 6, arbitrary: fromSchema },
    {
      weight: 3,
      arbitrary: plausibleEvent.map((event) =>
        json(operation.path === '/events/batch' ? { events: [event] } : event),
      ),
    },
    { weight: 2, arbitrary: hostileValue.map(json) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(31, 32, 33, 10_000).map((depth) => ({
        contentType: 'application/json',
        text: `{"a":${deeplyNested(depth)}}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom('application/json', ...oddContentTypes),
        text: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constant('{"a":')),
      }),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
}

interface FuzzRequest {
  readonly operation: Operation
  readonly caller: 'admin' | 'anonymous' | 'bogus token'
  readonly method: HTTPMethods
  readonly url: string
  readonly body: Payload
  /** A session cookie, a request id, a CSRF token or an Accept header, hostile too. */
  readonly header?: readonly [string, string] | undefined
  /** How fast-check prints it as a counterexample. */
  readonly [fc.toStringMethod]?: () => string
}

/** The request in a line short enough to read in a failure. */
function requestLine(request: FuzzRequest): string {
  const header = request.header === undefined ? '' : ` [${request.header.join(': ').slice(0, 100)}]`
  const body = request.body === undefined ? '' : ` ${request.body.text.slice(0, 300)}`
  return `${request.caller}${header} ${request.method} ${request.url.slice(0, 300)}${body}`
}

function injectOptionsOf(request: FuzzRequest): InjectOptions {
  const { method, url, body, caller, header } = request
  return {
    method,
    url,
    headers: {
      ...(body?.contentType === undefined ? {} : { 'content-type': body.contentType }),
      ...(caller === 'bogus token' ? { authorization: 'Bearer lct_not-a-token' } : {}),
      ...(header === undefined ? {} : { [header[0]]: header[1] }),
    },
    ...(body === undefined ? {} : { payload: body.text }),
  }
}

function requestOf(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(
    ...operation.pathParams.map(() =>
      fc.oneof({ weight: 2, arbitrary: fc.constant(KNOWN_LEAD) }, hostileText),
    ),
  )
  const query = fc
    .tuple(
      ...operation.queryParams.map((param) =>
        fc.option(
          param.enum.length > 0
            ? fc.oneof(fc.constantFrom(...param.enum), hostileText)
            : fc.oneof(hostileText, hostileNumber.map(String)),
          { nil: undefined },
        ),
      ),
      fc.option(fc.tuple(hostileText, hostileText), { nil: undefined }),
    )
    .map((values) => {
      const extra = values.at(-1) as [string, string] | undefined
      const pairs = operation.queryParams.flatMap((param, index) => {
        const value = values[index] as string | undefined
        return value === undefined ? [] : [[param.name, value]]
      })
      return [...pairs, ...(extra === undefined ? [] : [extra])]
        .map(([name = '', value = '']) => `${encodeHostile(name)}=${encodeHostile(value)}`)
        .join('&')
    })
  const method = fc.oneof(
    { weight: 9, arbitrary: fc.constant(operation.method) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<HTTPMethods>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
    },
  )
  return fc
    .record({
      method,
      pathValues,
      query,
      body: operation.bodyProperties === undefined ? fc.constant(undefined) : bodyOf(operation),
      header: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.constantFrom('cookie', 'x-request-id', 'x-csrf-token', 'accept'),
            // Node's parser never lets a line break through into a header value.
            hostileText.map((text) => text.replace(/[\r\n]/g, '')),
          ),
        },
      ),
      caller: fc.constantFrom<FuzzRequest['caller']>(
        ...Array<'admin'>(18).fill('admin'),
        'anonymous',
        'bogus token',
      ),
    })
    .map(({ method: verb, pathValues: values, query: search, body, caller, header }) => {
      let index = 0
      const path = operation.path.replace(/\{[^}]+\}/g, () => encodeHostile(values[index++] ?? ''))
      const request = {
        operation,
        caller,
        method: verb,
        url: search === '' ? path : `${path}?${search}`,
        body,
        header,
      }
      return { ...request, [fc.toStringMethod]: () => requestLine(request) }
    })
}

for (const dialect of DIALECTS) {
  describe(`API fuzz on ${dialect}`, () => {
    let api: LiveApi
    /** An admin acting for a person, so that transitions get past the actor check too. */
    let admin: ApiCaller
    beforeAll(async () => {
      // The fuzz is about input, not the rate limit: all its requests must reach their routes.
      api = await openLiveApi(dialect, defaultPolicyPath(), () => NOW, {
        limits: {
          ...DEFAULT_REQUEST_LIMITS,
          ratePerMinute: 10 * REQUESTS,
          authenticationFailuresPerMinute: 10 * REQUESTS,
        },
      })
      admin = await api.callerFor('admin', 'revops-mei-tanaka')
      const created = await admin.inject({
        method: 'POST',
        url: '/events',
        payload: {
          idempotencyKey: 'fuzz-seed',
          leadId: KNOWN_LEAD,
          type: 'lead.created',
          occurredAt: new Date(T0).toISOString(),
          payload: { profile: IDEAL_PROFILE, source: 'demo-request' },
        },
      })
      expect(created.statusCode).toBe(201)
    })
    afterAll(async () => {
      await api?.app.close()
      await api?.database.close()
    })

    it(
      `answers ${REQUESTS.toLocaleString('en')} hostile requests across every route with no 5xx, every 4xx a problem`,
      { timeout: 180_000 },
      async () => {
        const docs = await api.app.inject({ method: 'GET', url: '/docs/json' })
        const operations = operationsOf(docs.json<OpenApiDocument>())
        expect(operations.length).toBeGreaterThanOrEqual(23)

        const crashes: unknown[] = []
        const onCrash = (error: unknown) => crashes.push(error)
        process.on('uncaughtException', onCrash)
        process.on('unhandledRejection', onCrash)
        const send = (request: FuzzRequest): Promise<LightMyRequestResponse> =>
          request.caller === 'admin'
            ? admin.inject(injectOptionsOf(request))
            : api.app.inject(injectOptionsOf(request))

        const perRoute = new Map<string, number>()
        const statuses = new Map<number, number>()
        try {
          await fc.assert(
            fc.asyncProperty(fc.oneof(...operations.map(requestOf)), async (request) => {
              const route = `${request.operation.method} ${request.operation.path}`
              perRoute.set(route, (perRoute.get(route) ?? 0) + 1)
              const response = await send(request)
              statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
              const seen = `${requestLine(request)} → ${response.statusCode} ${response.body.slice(0, 500)}`
              expect(response.statusCode, seen).toBeLessThan(500)
              if (response.statusCode >= 400 && request.method !== 'HEAD') {
                expect(response.headers['content-type'], seen).toBe(
                  'application/problem+json; charset=utf-8',
                )
                const problem = response.json<{ status: number; title: string; detail: string }>()
                expect(problem.status, seen).toBe(response.statusCode)
                expect(problem.detail.length, seen).toBeGreaterThan(0)
              }
            }),
            { numRuns: REQUESTS, seed: 13 },
          )
        } finally {
          process.off('uncaughtException', onCrash)
          process.off('unhandledRejection', onCrash)
        }

        expect(crashes).toEqual([])
        expect([...perRoute.values()].reduce((sum, count) => sum + count, 0)).toBe(REQUESTS)
        // Every route was exercised, and the fuzz got past the guards to the handlers too.
        expect(perRoute.size).toBe(operations.length)
        expect(Math.min(...perRoute.values())).toBeGreaterThan(REQUESTS / operations.length / 3)
        expect(statuses.get(200)).toBeGreaterThan(0)
        expect(statuses.get(400)).toBeGreaterThan(0)
        expect(statuses.get(429)).toBeUndefined()
        const health = await api.app.inject({ method: 'GET', url: '/health' })
        expect([health.statusCode, health.json()]).toEqual([
          200,
          { status: 'ok', policyVersion: policy.version },
        ])
      },
    )
  })
}
