/** HTTP plumbing shared by the Slack, webhook and CRM-task channels. */
import type { DeliveryResult } from './notification.js'

export type FetchLike = typeof fetch

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH'
  readonly url: string
  readonly headers: Record<string, string>
  readonly body?: string
}

export interface HttpAnswer {
  readonly kind: 'response'
  readonly status: number
  readonly headers: Headers
  /** The start of the response body, for error messages. */
  readonly bodyStart: string
}

export interface HttpFailure {
  readonly kind: 'failure'
  readonly timedOut: boolean
  readonly error: string
}

const BODY_PREVIEW_BYTES = 512

/**
 * Sends `request` and reads the start of the answer, all within `timeoutMs`. Never follows
 * redirects: a redirected request could carry a signed payload or a bearer token to a host nobody
 * configured. Error texts name no URL, since webhook URLs (Slack's in particular) are secrets.
 */
export async function sendWithTimeout(
  fetchImpl: FetchLike,
  request: HttpRequest,
  timeoutMs: number,
): Promise<HttpAnswer | HttpFailure> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: controller.signal,
    })
    // A 2xx answer settles the delivery; its body is not worth waiting for.
    const bodyStart = response.ok ? await discard(response) : await readStart(response)
    return { kind: 'response', status: response.status, headers: response.headers, bodyStart }
  } catch (error) {
    if (controller.signal.aborted) {
      return { kind: 'failure', timedOut: true, error: `timed out after ${timeoutMs} ms` }
    }
    return {
      kind: 'failure',
      timedOut: false,
      error: `request failed: ${describeFetchError(error)}`,
    }
  } finally {
    clearTimeout(timer)
  }
}

async function discard(response: Response): Promise<string> {
  await response.body?.cancel().catch(() => undefined)
  return ''
}

async function readStart(response: Response): Promise<string> {
  if (response.body === null) {
    return ''
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  while (length < BODY_PREVIEW_BYTES) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    chunks.push(value)
    length += value.byteLength
  }
  // The rest is not needed; cancelling frees the connection instead of draining a large body.
  await reader.cancel().catch(() => undefined)
  return Buffer.concat(chunks).subarray(0, BODY_PREVIEW_BYTES).toString('utf8')
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    // undici reports "fetch failed" and puts the reason (ECONNREFUSED, ...) in `cause`.
    const cause: unknown = error.cause
    if (cause instanceof Error) {
      const code = (cause as NodeJS.ErrnoException).code
      return code === undefined ? cause.message : `${code} ${cause.message}`
    }
    return error.message
  }
  return String(error)
}

/**
 * Retry-After as milliseconds from `now`: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) {
    return undefined
  }
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000
  }
  // Every HTTP-date form starts with a day name; Date.parse alone would take "-5" as a year.
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** A one-line error text: status plus the start of what the peer said. */
export function describeStatus(status: number, bodyStart: string): string {
  const said = bodyStart.replace(/\s+/g, ' ').trim().slice(0, 200)
  return said === '' ? `HTTP ${status}` : `HTTP ${status}: ${said}`
}

/** How a channel reads an HTTP answer: status, the start of the body, Retry-After. */
export type ClassifyResponse = (
  status: number,
  bodyStart: string,
  retryAfter: string | null,
  now: number,
) => DeliveryResult

/** Sends one request and classifies the answer; a network failure or timeout is retryable. */
export async function sendAndClassify(
  request: HttpRequest & {
    readonly fetchImpl: FetchLike
    readonly timeoutMs: number
    /** Names the peer in errors, e.g. "Slack webhook" (never the URL: it may hold a secret). */
    readonly peer: string
  },
  classify: ClassifyResponse,
  now: number,
): Promise<DeliveryResult> {
  const answer = await sendWithTimeout(request.fetchImpl, request, request.timeoutMs)
  if (answer.kind === 'failure') {
    return { ok: false, retryable: true, error: `${request.peer} ${answer.error}` }
  }
  return classify(answer.status, answer.bodyStart, answer.headers.get('retry-after'), now)
}
