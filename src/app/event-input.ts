/**
 * An event as callers send it (HTTP, JSONL import, connectors), validated into a NewLeadEvent.
 * Problems name the field and the rule; nothing invalid reaches the event log.
 */
import { z } from 'zod'

import { instantSchema } from '../domain/instant.js'
import { leadIdSchema } from '../domain/lead-id.js'
import {
  isLeadEventType,
  LEAD_EVENT_TYPES,
  leadEventPayloadSchemas,
} from '../domain/lead-events.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import type { Roster } from '../domain/team/roster.js'
import { ROUTER_ACTOR } from './route-mql.js'

export interface InputProblem {
  /** Dotted path of the field, e.g. `payload.profile.email`. */
  readonly field: string
  readonly rule: string
  readonly message: string
}

export const eventInputSchema = z.strictObject({
  idempotencyKey: z.string().trim().min(1).max(200),
  leadId: leadIdSchema,
  type: z.string().min(1).max(100),
  /** When it happened (ISO 8601 with offset, or epoch ms); defaults to when Leadclock received it. */
  occurredAt: instantSchema.optional(),
  /** Only replays of history (import, audit) may carry the system timestamp they were seen at. */
  receivedAt: instantSchema.optional(),
  actor: z
    .strictObject({
      id: z.string().trim().min(1).max(200),
      role: z.string().trim().min(1).max(100).optional(),
    })
    .optional(),
  source: z.string().trim().min(1).max(100).optional(),
  payload: z.record(z.string(), z.unknown()).default({}),
})
export type EventInput = z.input<typeof eventInputSchema>

export type ParsedEventInput =
  | { readonly ok: true; readonly event: NewLeadEvent }
  | { readonly ok: false; readonly problems: readonly InputProblem[] }

/** The rule an issue broke: a custom check names its own (e.g. `instant-epoch-seconds`). */
export function ruleOf(issue: { readonly code: string; readonly params?: unknown }): string {
  const params = issue.params as { rule?: unknown } | undefined
  return issue.code === 'custom' && typeof params?.rule === 'string' ? params.rule : issue.code
}

function toProblems(error: z.ZodError, prefix: string): InputProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    rule: ruleOf(issue),
    message: issue.message,
  }))
}

/**
 * How an event gets its system timestamp (`receivedAt`):
 * - `intake`: live events (API, connectors) — the shell's clock; an input `receivedAt` is refused.
 * - `history-occurred-at`: imports and audit replays of history — the line's own `receivedAt`,
 *   else its `occurredAt`, so system-measured clocks judge history at its own time.
 * - `history-import-time`: as above, but a line without `receivedAt` gets the shell's clock
 *   (the history is taken as arriving now).
 */
export type SystemTimestampRule = 'intake' | 'history-occurred-at' | 'history-import-time'

export interface EventInputContext {
  /** The shell's clock when the input arrived. */
  readonly now: number
  readonly defaultSource: string
  readonly systemTimestamp: SystemTimestampRule
  /**
   * The ids of the people in the roster: an actor, owner or AE outside it is refused. Leave it
   * out only where there is no roster (tests of the intake alone).
   */
  readonly people?: ReadonlySet<string>
}

/** Clocks of sources and of Leadclock disagree by this much before an event counts as future. */
const CLOCK_SKEW_MS = 5 * 60_000

/** Actors that are Leadclock itself, found in exported logs; never in a roster. */
const SYSTEM_ACTOR_IDS: ReadonlySet<string> = new Set([ROUTER_ACTOR.id])

/** The source of the events Leadclock records itself. */
export const LEADCLOCK_SOURCE = 'system'

export function isLeadclockActor(actorId: string): boolean {
  return SYSTEM_ACTOR_IDS.has(actorId)
}

const iso = (instant: number): string => new Date(instant).toISOString()

function problem(field: string, rule: string, message: string): ParsedEventInput {
  return { ok: false, problems: [{ field, rule, message }] }
}

interface Timestamps {
  readonly occurredAt: number
  readonly receivedAt: number
}

function timestampsOf(
  given: { readonly occurredAt?: number; readonly receivedAt?: number },
  context: EventInputContext,
): Timestamps | ParsedEventInput {
  if (context.systemTimestamp === 'intake') {
    if (given.receivedAt !== undefined) {
      return problem(
        'receivedAt',
        'system-timestamp',
        'receivedAt is the system timestamp Leadclock assigns; leave it out',
      )
    }
    const occurredAt = given.occurredAt ?? context.now
    if (occurredAt > context.now + CLOCK_SKEW_MS) {
      return problem(
        'occurredAt',
        'not-in-future',
        'occurredAt is more than 5 minutes after the time Leadclock received the event',
      )
    }
    return { occurredAt, receivedAt: context.now }
  }
  const occurredAt = given.occurredAt ?? given.receivedAt ?? context.now
  const receivedAt =
    given.receivedAt ??
    (context.systemTimestamp === 'history-occurred-at' ? occurredAt : context.now)
  for (const [field, instant] of [
    ['occurredAt', occurredAt],
    ['receivedAt', receivedAt],
  ] as const) {
    if (instant > context.now + CLOCK_SKEW_MS) {
      return problem(
        field,
        'not-in-future',
        `${field} ${iso(instant)} is after the time of the import (${iso(context.now)}); history cannot come from the future`,
      )
    }
  }
  if (occurredAt > receivedAt + CLOCK_SKEW_MS) {
    return problem(
      'occurredAt',
      'received-before-occurred',
      `occurredAt ${iso(occurredAt)} is more than 5 minutes after receivedAt ${iso(receivedAt)}`,
    )
  }
  return { occurredAt, receivedAt }
}

/** Every person an event names — its actor, a new owner, the AE of an SQL — must be in the roster. */
function unknownPeople(
  actorId: string | undefined,
  payload: Readonly<Record<string, unknown>>,
  people: ReadonlySet<string>,
): InputProblem[] {
  const named: [string, unknown][] = [
    ['actor.id', actorId !== undefined && isLeadclockActor(actorId) ? undefined : actorId],
    ['payload.ownerId', payload.ownerId],
    ['payload.aeId', payload.aeId],
  ]
  return named.flatMap(([field, id]) =>
    typeof id === 'string' && !people.has(id)
      ? [{ field, rule: 'known-person', message: `"${id}" is not in the roster` }]
      : [],
  )
}

/** Validates one event into the form the event log stores. */
export function parseEventInput(input: unknown, context: EventInputContext): ParsedEventInput {
  const envelope = eventInputSchema.safeParse(input)
  if (!envelope.success) {
    return { ok: false, problems: toProblems(envelope.error, '') }
  }
  const timestamps = timestampsOf(envelope.data, context)
  if ('ok' in timestamps) {
    return timestamps
  }
  const { type, payload } = envelope.data
  if (!isLeadEventType(type)) {
    return problem(
      'type',
      'known-event-type',
      `unknown event type "${type}"; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
    )
  }
  const parsedPayload = leadEventPayloadSchemas[type].safeParse(payload)
  if (!parsedPayload.success) {
    return { ok: false, problems: toProblems(parsedPayload.error, 'payload') }
  }
  const source = envelope.data.source ?? context.defaultSource
  if (context.systemTimestamp === 'intake' && source === LEADCLOCK_SOURCE) {
    // Leadclock's own events (routing, matches, suppressions) are keyed in this source.
    return problem(
      'source',
      'reserved-source',
      `source "${LEADCLOCK_SOURCE}" is reserved for the events Leadclock records itself`,
    )
  }
  const actor = envelope.data.actor
  const strangers = context.people
    ? unknownPeople(actor?.id, parsedPayload.data, context.people)
    : []
  if (strangers.length > 0) {
    return { ok: false, problems: strangers }
  }
  return {
    ok: true,
    event: {
      idempotencyKey: envelope.data.idempotencyKey,
      leadId: envelope.data.leadId,
      type,
      ...timestamps,
      actor: actor
        ? { id: actor.id, ...(actor.role === undefined ? {} : { role: actor.role }) }
        : null,
      source,
      payload: parsedPayload.data,
    },
  }
}

/** The ids `EventInputContext.people` wants. */
export function peopleOf(roster: Roster): ReadonlySet<string> {
  return new Set(roster.people.map((person) => person.id))
}
