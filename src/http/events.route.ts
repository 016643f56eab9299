/** POST /events and /events/batch: the intake of lead facts. */
import { z } from 'zod'

import type { Principal } from '../access/access-roles.js'
import { integrationEventRefusal } from '../access/access-roles.js'
import type { EventInputContext } from '../app/event-input.js'
import {
  eventInputSchema,
  isLeadclockActor,
  LEADCLOCK_SOURCE,
  parseEventInput,
  peopleOf,
} from '../app/event-input.js'
import type { IdempotencyConflict, IngestOutcome } from '../app/ingest-events.js'
import { idempotencyConflictProblem, ingestEvents } from '../app/ingest-events.js'
import { isLeadEventType } from '../domain/lead-events.js'
import { principalOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import type { Problem } from './problem.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'
import type { FastifyReply } from 'fastify'

const MAX_BATCH = 1000

const recordedEventSchema = z
  .object({
    seq: z.number(),
    eventId: z.string(),
    idempotencyKey: z.string(),
    leadId: z.string(),
    type: z.string(),
    occurredAt: z.number(),
    receivedAt: z.number(),
    actor: z.object({ id: z.string(), role: z.string().optional() }).nullable(),
    source: z.string(),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'RecordedEvent' })

const outcomeSchema = z.object({
  index: z.number().optional(),
  status: z.enum(['appended', 'duplicate', 'conflict', 'invalid']),
  event: recordedEventSchema.optional(),
  stage: z.string().nullable().optional(),
  refusal: z.object({ rule: z.string(), message: z.string() }).nullable().optional(),
  problems: z
    .array(z.object({ field: z.string(), rule: z.string(), message: z.string() }))
    .optional(),
})

function describeOutcome(outcome: IngestOutcome, index?: number): z.infer<typeof outcomeSchema> {
  const position = index === undefined ? {} : { index }
  switch (outcome.status) {
    case 'invalid':
      return { ...position, status: outcome.status, problems: [...outcome.problems] }
    case 'duplicate':
      return { ...position, status: outcome.status, event: outcome.event }
    case 'conflict':
      return {
        ...position,
        status: outcome.status,
        problems: [idempotencyConflictProblem(outcome.conflict)],
      }
    case 'appended':
      return {
        ...position,
        status: outcome.status,
        event: outcome.event,
        stage: outcome.stage,
        refusal: outcome.refusal,
      }
  }
}

/** A 409 names the key and its source as extension members, besides the problem's field. */
export const idempotencyConflictSchema = problemSchema.extend({
  idempotencyKey: z.string(),
  source: z.string(),
})

/** The 409 of a key its source already used for a different event: tells nothing of that event. */
export function sendIdempotencyConflict(
  reply: FastifyReply,
  conflict: IdempotencyConflict,
): FastifyReply {
  const problem = idempotencyConflictProblem(conflict)
  return sendProblem(reply, {
    status: 409,
    title: 'Idempotency key conflict',
    detail: problem.message,
    rule: problem.rule,
    problems: [problem],
    ...conflict,
  })
}

/** Live intake: stamped with the server's clock; people checked against the roster in use. */
export function intakeContext(deps: ServerDependencies): EventInputContext {
  const roster = deps.rosterSource?.current() ?? deps.routing?.roster()
  return {
    now: deps.now(),
    defaultSource: 'api',
    systemTimestamp: 'intake',
    ...(roster === undefined ? {} : { people: peopleOf(roster) }),
  }
}

/** What an input says about where it comes from, read before (and whether or not) it is valid. */
function claimsOf(input: unknown): { type?: unknown; source?: unknown; actorId?: unknown } {
  if (typeof input !== 'object' || input === null) {
    return {}
  }
  const { type, source, actor } = input as { type?: unknown; source?: unknown; actor?: unknown }
  const actorId =
    typeof actor === 'object' && actor !== null ? (actor as { id?: unknown }).id : undefined
  return { type, source, actorId }
}

/**
 * An integration reports what happened in its systems: an event Leadclock records itself, an
 * escalation action, or one claiming Leadclock as its source or actor is refused, naming the type.
 */
function forgedEvents(
  principal: Principal,
  inputs: readonly unknown[],
): Omit<Problem, 'type'> | undefined {
  if (principal.role !== 'integration') {
    return undefined
  }
  const problems = inputs.flatMap((input, index) => {
    const { type, source, actorId } = claimsOf(input)
    const at = inputs.length === 1 ? 'body' : `body.events.${index}`
    const refusal =
      typeof type === 'string' && isLeadEventType(type) ? integrationEventRefusal(type) : undefined
    if (refusal !== undefined) {
      return [{ field: `${at}.type`, rule: 'integration-event', message: refusal }]
    }
    const claimed =
      source === LEADCLOCK_SOURCE
        ? `${at}.source`
        : typeof actorId === 'string' && isLeadclockActor(actorId)
          ? `${at}.actor.id`
          : undefined
    return claimed === undefined
      ? []
      : [
          {
            field: claimed,
            rule: 'integration-event',
            message: `${String(type)} claims to come from Leadclock itself, which an integration cannot`,
          },
        ]
  })
  return problems.length === 0
    ? undefined
    : {
        status: 403,
        title: 'Event not allowed',
        detail: problems.map((problem) => problem.message).join('; '),
        rule: 'integration-event',
        problems,
      }
}

export function registerEventRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.post(
    '/events',
    {
      config: { access: 'events:record' },
      schema: {
        summary: 'Record one lead event',
        description:
          'Appends an event to the log (idempotent by idempotencyKey, unique per source) and re-derives the lead. 201 when appended, 200 with the stored event when the same event (lead, type, payload) was sent before under the key; ' +
          '409 naming the key and source when the source used the key for a different event. The source "system" is Leadclock’s own (400). ' +
          'For integration and admin tokens. An integration may not post the events Leadclock records itself (lead.routed, lead.matched, lead.suppressed, escalation.fired) nor escalation actions (escalation.*): 403 naming the type.',
        tags: ['events'],
        body: eventInputSchema,
        response: {
          200: outcomeSchema,
          201: outcomeSchema,
          400: problemSchema,
          403: problemSchema,
          409: idempotencyConflictSchema,
        },
      },
    },
    async (request, reply) => {
      const forged = forgedEvents(principalOf(request), [request.body])
      if (forged !== undefined) {
        return sendProblem(reply, forged)
      }
      const parsed = parseEventInput(request.body, intakeContext(deps))
      if (!parsed.ok) {
        return sendProblem(reply, invalidInput('the event is invalid', parsed.problems))
      }
      const [outcome] = await ingestEvents(deps, [parsed])
      if (!outcome) {
        throw new Error('ingestEvents returned no outcome')
      }
      if (outcome.status === 'conflict') {
        return sendIdempotencyConflict(reply, outcome.conflict)
      }
      return reply.code(outcome.status === 'appended' ? 201 : 200).send(describeOutcome(outcome))
    },
  )

  app.post(
    '/events/batch',
    {
      config: { access: 'events:record' },
      schema: {
        summary: 'Record a batch of lead events',
        description: `Up to ${MAX_BATCH} events; each gets its own outcome (appended, duplicate, conflict — its source used the key for a different event — or invalid, with its problems). An integration's batch holding an event it may not post (see POST /events) is refused whole: 403 naming each.`,
        tags: ['events'],
        body: z.strictObject({ events: z.array(z.unknown()).min(1).max(MAX_BATCH) }),
        response: {
          200: z.object({ results: z.array(outcomeSchema) }),
          400: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const forged = forgedEvents(principalOf(request), request.body.events)
      if (forged !== undefined) {
        return sendProblem(reply, forged)
      }
      const context = intakeContext(deps)
      const items = request.body.events.map((input) => parseEventInput(input, context))
      const outcomes = await ingestEvents(deps, items)
      return { results: outcomes.map((outcome, index) => describeOutcome(outcome, index)) }
    },
  )
}
