/**
 * Hostile input ends in a 4xx problem, never in a 5xx nor in the store. Before anything else reads
 * a request, path parameters and the query, then the parsed body, are refused (400, each field
 * named with its rule) when they hold what PostgreSQL cannot store — a NUL, a lone surrogate — or
 * objects and arrays nested more than MAX_NESTING_DEPTH deep: the import's one rule
 * (storable-text.ts). Fastify parses JSON with `JSON.parse`, which V8 runs without recursion,
 * so a body 500,000 levels deep is parsed (within the body limit) and refused, not a stack
 * overflow. What the router refuses itself (a malformed URL, a path parameter too long) is
 * answered as problem details too; what Node's parser refuses, in request-limits.ts.
 */
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify'

import type { InputProblem } from '../app/event-input.js'
import { unstorableJsonProblems } from '../app/storable-text.js'
import type { Problem } from './problem.js'
import { invalidInput, sendProblem } from './problem.js'

/** The longest path parameter a route takes (a notification's delivery key); longer is a 414. */
export const MAX_PARAM_LENGTH = 1000

/** Problems one answer lists at most: a body of a million NULs is refused in a few lines. */
const LISTED_PROBLEMS = 20

type RequestProblem = Omit<Problem, 'type'>

function unstorableInput(problems: readonly InputProblem[]): RequestProblem | undefined {
  const [first] = problems
  if (first === undefined) {
    return undefined
  }
  const more =
    problems.length === 1
      ? ''
      : problems.length <= LISTED_PROBLEMS
        ? ` (and ${problems.length - 1} more)`
        : ` (and ${problems.length - 1} more; the first ${LISTED_PROBLEMS} are listed)`
  return invalidInput(`${first.field}: ${first.message}${more}`, problems.slice(0, LISTED_PROBLEMS))
}

/**
 * Installs the guard. Call before the access check is installed: a hostile path or query is
 * refused before a token is looked up with it.
 */
export function registerHostileInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const problem = unstorableInput([
      ...unstorableJsonProblems(request.params, 'params'),
      ...unstorableJsonProblems(request.query, 'querystring'),
    ])
    if (problem !== undefined) {
      return sendProblem(reply, problem)
    }
  })
  // The body is parsed by now, and not yet validated against the route's schema.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    const problem = unstorableInput(unstorableJsonProblems(request.body, 'body'))
    if (problem !== undefined) {
      return sendProblem(reply, problem)
    }
  })
}

/** What the router refuses before a route is found. */
const ROUTER_ERRORS: Readonly<Record<string, RequestProblem>> = {
  FST_ERR_BAD_URL: {
    status: 400,
    title: 'Malformed URL',
    detail: 'the URL path is not percent-encoded UTF-8',
    rule: 'url-encoding',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    title: 'URI too long',
    detail: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
    rule: 'max-param-length',
  },
}

/** Fastify's options for the refusals above: spread them into the server's options. */
export const HOSTILE_INPUT_OPTIONS = {
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    void sendProblem(
      reply,
      ROUTER_ERRORS[error.code] ?? {
        status: error.statusCode ?? 400,
        title: 'Bad request',
        detail: error.message,
      },
    )
  },
} satisfies FastifyServerOptions
