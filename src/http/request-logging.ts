/**
 * What `serve` logs: JSON lines from pino (Fastify's logger), every line of a request carrying the
 * request's id (`reqId`, also sent back as `X-Request-Id` and in a 500's problem body, so that a
 * user can quote it). Nothing personal or secret is written: a request is logged as its method and
 * route pattern (`/leads/:leadId`, never the URL, whose path and query carry lead ids, e-mail
 * addresses and names), never its body or headers; an error as its type, code, message and stack
 * with e-mail addresses masked (a database error may quote a value), without the extra fields
 * (PostgreSQL's `detail` quotes whole rows); and headers that anything else logs have their
 * credentials redacted.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

import type { FastifyRequest, FastifyServerOptions } from 'fastify'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}

export interface RequestLogging {
  readonly level: LogLevel
  /** Where the lines go; stdout when not given. */
  readonly stream?: { write(line: string): void }
}

export const REQUEST_ID_HEADER = 'x-request-id'

/** An id a caller may choose (a proxy's, a client's trace id): short, printable, inert. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/** The caller's `X-Request-Id` when it is a plausible id, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID()
}

const EMAIL_ADDRESS = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g

function maskEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, '[email]')
}

interface LoggedError {
  readonly type: string
  readonly code?: string
  readonly message: string
  readonly stack: string
  readonly cause?: LoggedError
  readonly [key: string]: unknown
}

function loggedError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: 'a value thrown that is not an Error', stack: '' }
  }
  const code = (error as { code?: unknown }).code
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: maskEmailAddresses(error.message),
    stack: maskEmailAddresses(error.stack ?? ''),
    ...(error.cause === undefined || depth >= 5
      ? {}
      : { cause: loggedError(error.cause, depth + 1) }),
  }
}

const REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'x-api-key']

/** Fastify's `logger` option for `serve`. */
export function loggerOptions(logging: RequestLogging): FastifyServerOptions['logger'] {
  return {
    level: logging.level,
    ...(logging.stream === undefined ? {} : { stream: logging.stream }),
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
      }),
      res: (reply: { readonly statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: (error: unknown) => loggedError(error),
    },
    redact: {
      paths: REDACTED_HEADERS.flatMap((header) => [
        `headers["${header}"]`,
        `*.headers["${header}"]`,
      ]),
      censor: '[redacted]',
    },
  }
}
