/**
 * An event as callers send it (HTTP, JSONL import, connectors), validated into a NewLeadEvent.
 * Problems name the field and the rule; nothing invalid reaches the event log.
 */
import { z } from 'zod'

import {
  isLeadEventType,
  LEAD_EVENT_TYPES,
  leadEventPayloadSchemas,
} from '../domain/lead-events.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'

export interface InputProblem {
  /** Dotted path of the field, e.g. `payload.profile.email`. */
  readonly field: string
  readonly rule: string
  readonly message: string
}

const instant = z.union([
  z.number().int().min(0).max(8.64e15),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
])

export const eventInputSchema = z.strictObject({
  idempotencyKey: z.string().trim().min(1).max(200),
  leadId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.:@-]+$/, 'may contain letters, digits and _ . : @ - only'),
  type: z.string().min(1).max(100),
  /** When it happened (ISO 8601 with offset, or epoch ms); defaults to when Leadclock received it. */
  occurredAt: instant.optional(),
  /** Only replays of history (import, audit) may carry the system timestamp they were seen at. */
  receivedAt: instant.optional(),
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

function toProblems(error: z.ZodError, prefix: string): InputProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    rule: issue.code,
    message: issue.message,
  }))
}

export interface EventInputContext {
  /** The system timestamp the shell assigns. */
  readonly receivedAt: number
  readonly defaultSource: string
  /** True for replays of recorded history, whose own `receivedAt` is kept. */
  readonly trustReceivedAt: boolean
}

/** Validates one event into the form the event log stores. */
export function parseEventInput(input: unknown, context: EventInputContext): ParsedEventInput {
  const envelope = eventInputSchema.safeParse(input)
  if (!envelope.success) {
    return { ok: false, problems: toProblems(envelope.error, '') }
  }
  if (envelope.data.receivedAt !== undefined && !context.trustReceivedAt) {
    return {
      ok: false,
      problems: [
        {
          field: 'receivedAt',
          rule: 'system-timestamp',
          message: 'receivedAt is the system timestamp Leadclock assigns; leave it out',
        },
      ],
    }
  }
  const receivedAt = context.trustReceivedAt
    ? (envelope.data.receivedAt ?? context.receivedAt)
    : context.receivedAt
  const { type, payload } = envelope.data
  if (!isLeadEventType(type)) {
    return {
      ok: false,
      problems: [
        {
          field: 'type',
          rule: 'known-event-type',
          message: `unknown event type "${type}"; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
        },
      ],
    }
  }
  const parsedPayload = leadEventPayloadSchemas[type].safeParse(payload)
  if (!parsedPayload.success) {
    return { ok: false, problems: toProblems(parsedPayload.error, 'payload') }
  }
  const occurredAt = envelope.data.occurredAt ?? receivedAt
  if (occurredAt > receivedAt + 5 * 60_000) {
    return {
      ok: false,
      problems: [
        {
          field: 'occurredAt',
          rule: 'not-in-future',
          message: 'occurredAt is more than 5 minutes after the time Leadclock received the event',
        },
      ],
    }
  }
  const actor = envelope.data.actor
  return {
    ok: true,
    event: {
      idempotencyKey: envelope.data.idempotencyKey,
      leadId: envelope.data.leadId,
      type,
      occurredAt,
      receivedAt,
      actor: actor
        ? { id: actor.id, ...(actor.role === undefined ? {} : { role: actor.role }) }
        : null,
      source: envelope.data.source ?? context.defaultSource,
      payload: parsedPayload.data,
    },
  }
}
