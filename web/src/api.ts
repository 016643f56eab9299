/**
 * The dashboard's one door to the API: same-origin requests with the session cookie; every
 * unsafe request carries the session's CSRF token (from the readable `leadclock_csrf` cookie).
 * A refusal becomes an ApiError holding the problem+json the API answered.
 */

/** The API's problem details (RFC 9457), as every error answers. */
export interface Problem {
  readonly status: number
  readonly title: string
  readonly detail?: string
  readonly rule?: string
  readonly problems?: readonly { field: string; rule: string; message: string }[]
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title)
  }
}

function csrfToken(): string | undefined {
  const pair = document.cookie
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('leadclock_csrf='))
  return pair?.slice('leadclock_csrf='.length)
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
  }
  const csrf = csrfToken()
  if (method !== 'GET' && csrf !== undefined && csrf !== '') {
    headers['x-csrf-token'] = csrf
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (response.status === 204) {
    return undefined as T
  }
  const json: unknown = await response.json()
  if (!response.ok) {
    throw new ApiError(json as Problem)
  }
  return json as T
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  delete: (path: string) => call<undefined>('DELETE', path),
}

export type Role = 'rep' | 'manager' | 'revops' | 'leadership' | 'admin' | 'integration'

export interface Principal {
  readonly tokenId: string
  readonly role: Role
  readonly personId: string | null
}

/** An SLA clock as GET /leads/{id} and GET /clocks show it. */
export interface Clock {
  readonly itemId: string
  readonly name: string
  readonly status: 'running' | 'paused' | 'met' | 'missed' | 'breached' | 'unable-to-run'
  readonly startedAt: string
  readonly stoppedAt: string | null
  readonly targetAt: string | null
  readonly breachAt: string | null
  readonly elapsedMs: number
  readonly leftToTargetMs: number | null
  readonly leftToBreachMs: number | null
  /** What the time left counts: business time in the clock's calendar, or wall-clock time. */
  readonly measure: 'business' | 'wall-clock'
  readonly pausedSince: { readonly at: string; readonly reason: string } | null
  readonly problem: string | null
}

export interface OpenClock {
  readonly leadId: string
  readonly ownerId: string | null
  readonly stage: string
  readonly tier: string | null
  readonly company: string | null
  readonly timeZone: string
  readonly clock: Clock
}

export interface EscalationRecord {
  readonly stepKey: string
  readonly title: string
  readonly severity: string
  readonly repId: string | null
  readonly dueAt: string | number
  readonly firedAt: string | number
  readonly managerActions: readonly string[]
  readonly resolution: { readonly action: string; readonly note: string } | null
}

export interface Task {
  readonly taskId: string
  readonly leadId: string
  readonly text: string
  readonly ownerId: string | null
  readonly ownerRole: string
  readonly dueAt: string | null
  readonly state: 'open' | 'done'
}

export interface LeadView {
  readonly lead: {
    readonly leadId: string
    readonly stage: string
    readonly tier: string | null
    readonly ownerId: string | null
    readonly policyVersion: string
    readonly profile: {
      readonly firstName?: string
      readonly lastName?: string
      readonly company?: string
      readonly title?: string
      readonly country?: string
    }
  }
  readonly timeZone: string
  readonly scoreNow: {
    readonly total: number
    readonly fitPoints: number
    readonly fitScore: number
    readonly intentPoints: number
    readonly decayPoints: number
    readonly penaltyPoints: number
    readonly lines: readonly { signal: string; points: number; reason: string }[]
  }
  readonly clocks: readonly Clock[]
  readonly clockWaits: readonly { itemId: string; name: string; reason: string }[]
  readonly firedEscalations: readonly (EscalationRecord & { dueAt: string; firedAt: string })[]
  readonly upcomingEscalations: readonly { title: string; severity: string; dueAt: string }[]
  readonly tasks: readonly Task[]
  readonly timeline: readonly {
    readonly eventId: string
    readonly type: string
    readonly occurredAt: string
    readonly actor: { readonly id: string; readonly role?: string } | null
  }[]
}
