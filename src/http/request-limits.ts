/**
 * What the server allows a caller: requests per minute per token (anonymous callers per address),
 * how long a request may take to arrive, the browser security headers, and which other origins
 * may call it (none unless configured). Settings come from the environment (see README).
 */
import fastifyCors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import type { ServerOptions } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem.js'

export interface RequestLimits {
  /** LEADCLOCK_RATE_LIMIT_PER_MINUTE: requests a token (or an anonymous address) may make a minute. */
  readonly ratePerMinute: number
  /** LEADCLOCK_REQUEST_TIMEOUT_MS: the time a whole request (headers and body) may take to arrive. */
  readonly requestTimeoutMs: number
  /** LEADCLOCK_HEADERS_TIMEOUT_MS: the time its headers may take; at most the request timeout. */
  readonly headersTimeoutMs: number
  /** LEADCLOCK_CORS_ORIGINS: the other origins browsers may call the API from; none by default. */
  readonly corsOrigins: readonly string[]
  /**
   * LEADCLOCK_AUTH_FAILURES_PER_MINUTE: failed authentications an address may make a minute
   * before it is refused (429) without its credentials being looked at.
   */
  readonly authenticationFailuresPerMinute: number
}

/** High enough that the benches (one token, thousands of events a second in batches) run free. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  ratePerMinute: 6000,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  corsOrigins: [],
  authenticationFailuresPerMinute: 60,
}

const MINUTE_MS = 60_000

function positiveInteger(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
): number {
  const text = env[name]
  if (text === undefined || text === '') {
    return fallback
  }
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    problems.push(`${name} is "${text}"; use a whole number of at least 1`)
    return fallback
  }
  return value
}

/** Each origin exactly as browsers send it: scheme, host and port, no path or trailing slash. */
function corsOriginsOf(text: string | undefined, problems: string[]): string[] {
  const origins = (text ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
  for (const origin of origins) {
    let parsed: string | undefined
    try {
      parsed = new URL(origin).origin
    } catch {
      parsed = undefined
    }
    if (parsed !== origin) {
      problems.push(
        `LEADCLOCK_CORS_ORIGINS: "${origin}" is not an origin; write it as scheme://host[:port], e.g. https://dashboard.example.com`,
      )
    }
  }
  return origins
}

export type RequestLimitsSetting =
  | { readonly ok: true; readonly limits: RequestLimits }
  | { readonly ok: false; readonly problems: readonly string[] }

export function requestLimitsFromEnvironment(env: NodeJS.ProcessEnv): RequestLimitsSetting {
  const problems: string[] = []
  const limits: RequestLimits = {
    ratePerMinute: positiveInteger(
      env,
      'LEADCLOCK_RATE_LIMIT_PER_MINUTE',
      DEFAULT_REQUEST_LIMITS.ratePerMinute,
      problems,
    ),
    requestTimeoutMs: positiveInteger(
      env,
      'LEADCLOCK_REQUEST_TIMEOUT_MS',
      DEFAULT_REQUEST_LIMITS.requestTimeoutMs,
      problems,
    ),
    headersTimeoutMs: positiveInteger(
      env,
      'LEADCLOCK_HEADERS_TIMEOUT_MS',
      DEFAULT_REQUEST_LIMITS.headersTimeoutMs,
      problems,
    ),
    corsOrigins: corsOriginsOf(env.LEADCLOCK_CORS_ORIGINS, problems),
    authenticationFailuresPerMinute: positiveInteger(
      env,
      'LEADCLOCK_AUTH_FAILURES_PER_MINUTE',
      DEFAULT_REQUEST_LIMITS.authenticationFailuresPerMinute,
      problems,
    ),
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(
      `LEADCLOCK_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) is longer than LEADCLOCK_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs}); headers are part of the request`,
    )
  }
  return problems.length === 0 ? { ok: true, limits } : { ok: false, problems }
}

/** What a client error that ends the connection is answered with, before any route runs. */
const CLIENT_ERRORS: Readonly<Record<string, { status: number; detail: string; rule: string }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    detail: 'the request did not arrive in time (headers and body have a time limit)',
    rule: 'request-timeout',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    detail: 'the request headers are too large',
    rule: 'max-header-size',
  },
}

/** Answers a request the HTTP parser gave up on as problem+json, then closes the connection. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return
  }
  const { status, detail, rule } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    detail: 'the request could not be read as HTTP',
    rule: 'http-syntax',
  }
  const title = STATUS_CODES[status] ?? 'Bad Request'
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, rule })
  if (!socket.writable) {
    socket.destroy(error)
    return
  }
  // end(), not write() then destroy(): the answer is flushed before the connection closes.
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/**
 * The server options that bound how long a request may take to arrive. Node checks open
 * connections against these every `connectionsCheckingInterval` (30 s by default, which would let
 * a stalled request live that much longer): here a tenth of the header timeout, at most 1 s.
 */
export function requestTimeoutOptions(limits: RequestLimits): {
  readonly requestTimeout: number
  readonly http: ServerOptions
  readonly clientErrorHandler: typeof answerClientError
} {
  return {
    requestTimeout: limits.requestTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, Math.floor(limits.headersTimeoutMs / 10)),
      ),
    },
    clientErrorHandler: answerClientError,
  }
}

/**
 * Security headers, CORS and the rate limit. Register before the access check (its hook must run
 * after CORS answers a browser's preflight, which carries no credentials) and before any route.
 */
export async function registerRequestLimits(
  app: FastifyInstance,
  limits: RequestLimits,
): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // Served over plain HTTP on a LAN, upgrading would break /docs' own scripts and styles.
      directives: { upgradeInsecureRequests: null },
    },
  })
  if (limits.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: [...limits.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      // Not safelisted, so a page on another origin could not read them otherwise.
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
    })
  }
  await app.register(fastifyRateLimit, {
    max: limits.ratePerMinute,
    timeWindow: MINUTE_MS,
    // After the access check (onRequest) has set the principal, before the body is read.
    hook: 'preParsing',
    keyGenerator: (request) =>
      request.principal === null ? `address:${request.ip}` : `token:${request.principal.tokenId}`,
    errorResponseBuilder: (request, context) =>
      new ProblemError({
        status: 429,
        title: 'Too many requests',
        detail: `${request.principal === null ? 'this address' : 'this token'} made more than ${context.max} requests in a minute; retry after ${context.after} (Retry-After)`,
        rule: 'rate-limit',
      }),
  })
}
