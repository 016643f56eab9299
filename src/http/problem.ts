/**
 * RFC 9457 problem details: every error the API returns names what is wrong and, where a field
 * is at fault, the field and the rule. This is the one place errors become HTTP statuses.
 */
import type { FastifyError, FastifyReply } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'

import type { InputProblem } from '../app/event-input.js'
import { ruleOf } from '../app/event-input.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    rule: z.string().optional(),
    /** The id the server logged the request under (a 500): what to quote when reporting it. */
    requestId: z.string().optional(),
    problems: z
      .array(z.object({ field: z.string(), rule: z.string(), message: z.string() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' })
export type Problem = z.infer<typeof problemSchema>

export function sendProblem(
  reply: FastifyReply,
  problem: Omit<Problem, 'type'> & { type?: string },
): FastifyReply {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ type: problem.type ?? 'about:blank', ...problem })
}

export function invalidInput(
  detail: string,
  problems: readonly InputProblem[],
): Omit<Problem, 'type'> {
  return { title: 'Invalid input', status: 400, detail, problems: [...problems] }
}

/** Fastify's own errors for bad requests, by code, each with the rule it broke. */
const REQUEST_ERRORS: Readonly<
  Record<string, { status: number; title: string; detail: string; rule: string }>
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    title: 'Malformed JSON',
    detail: 'the request body is not valid JSON',
    rule: 'json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    title: 'Empty body',
    detail: 'a JSON body is required',
    rule: 'json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large',
    detail: 'the request body exceeds the size limit',
    rule: 'body-limit',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    detail: 'send the body as application/json',
    rule: 'media-type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    title: 'Bad content length',
    detail: 'Content-Length does not match the body',
    rule: 'content-length',
  },
}

/** An error thrown by a hook or plugin that knows the problem it is (e.g. a rate limit). */
export class ProblemError extends Error {
  constructor(readonly problem: Omit<Problem, 'type'>) {
    super(problem.detail)
  }
}

export function problemForError(thrown: unknown): Omit<Problem, 'type'> | undefined {
  if (thrown instanceof ProblemError) {
    return thrown.problem
  }
  if (hasZodFastifySchemaValidationErrors(thrown)) {
    const problems = thrown.validation.map((item) => ({
      field: [thrown.validationContext, ...item.instancePath.split('/')].filter(Boolean).join('.'),
      rule: ruleOf({ code: item.keyword, params: (item.params as { params?: unknown }).params }),
      message: item.message ?? item.keyword,
    }))
    return invalidInput(
      `the ${thrown.validationContext ?? 'request'} does not match the schema`,
      problems,
    )
  }
  if (!(thrown instanceof Error)) {
    return undefined
  }
  const error = thrown as FastifyError
  const known = error.code ? REQUEST_ERRORS[error.code] : undefined
  if (known) {
    return known
  }
  if (
    error instanceof SyntaxError ||
    (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
  ) {
    return { status: error.statusCode ?? 400, title: 'Bad request', detail: error.message }
  }
  return undefined
}
