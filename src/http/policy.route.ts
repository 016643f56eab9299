/** GET/PUT /policy: the policy in use, and replacing it with YAML validated like a policy file. */
import { z } from 'zod'

import { policyAudit } from '../app/audit-trail.js'
import type { LiveSettings, PolicyInUse } from '../app/live-settings.js'
import { diffPolicies, formatPolicyChange } from '../policy/diff-policy.js'
import { changeOriginOf } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { problemSchema, sendProblem } from './problem.js'
import type { TypedApp } from './typed-app.js'

const YAML_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml']

const policyViewSchema = z
  .object({
    version: z.string(),
    effectiveFrom: z.string(),
    fingerprint: z.string(),
    origin: z.enum(['api', 'file']),
    /** The file it was read from, or that it was saved through the API. */
    source: z.string(),
    savedAt: z.iso.datetime(),
  })
  .meta({ id: 'PolicyInUse' })

function policyView(policy: PolicyInUse): z.infer<typeof policyViewSchema> {
  return {
    version: policy.policy.version,
    effectiveFrom: policy.policy.effectiveFrom,
    fingerprint: policy.fingerprint,
    origin: policy.origin,
    source: policy.name,
    savedAt: new Date(policy.savedAt).toISOString(),
  }
}

export function registerPolicyRoutes(
  app: TypedApp,
  deps: ServerDependencies,
  settings: LiveSettings,
): void {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    done(null, body)
  })

  app.get(
    '/policy',
    {
      config: { access: 'policy:read' },
      schema: {
        summary: 'The policy in use: version, fingerprint, where it came from, its YAML',
        tags: ['policy'],
        response: { 200: policyViewSchema.extend({ yaml: z.string() }) },
      },
    },
    () => {
      const { policy } = settings.current()
      return { ...policyView(policy), yaml: policy.text }
    },
  )

  app.put(
    '/policy',
    {
      config: { access: 'policy:write' },
      schema: {
        summary: 'Replace the policy in use',
        description:
          'The body is the policy as YAML (`Content-Type: application/yaml`, `text/yaml` or `text/plain`), checked exactly as a policy file is; the roster in use must stay valid under it. A refused policy answers 422 with every problem located (field, line, column) and changes nothing. A replacement is used by every Leadclock process on the store from its next request or worker round, outlives restarts (a policy file given at start no longer replaces it), and is recorded in the audit trail: the version and fingerprint before and after, and the changes between them.',
        tags: ['policy'],
        body: z.string().max(1024 * 1024),
        response: {
          200: policyViewSchema.extend({ changes: z.array(z.string()) }),
          400: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const at = deps.now()
      const by = changeOriginOf(request)
      const before = settings.current().policy
      const result = await settings.replacePolicy(request.body, at, (was, is) =>
        policyAudit(by, was, is, at),
      )
      if (!result.ok) {
        return sendProblem(reply, {
          status: 422,
          title: 'Invalid policy',
          detail:
            result.document === 'policy'
              ? 'the policy is invalid; nothing was changed'
              : 'the roster in use is invalid under this policy; nothing was changed',
          problems: result.problems.map((problem) => ({
            field: problem.path === '' ? '(document)' : problem.path,
            rule: result.document,
            message: `${problem.message} (line ${problem.line}, column ${problem.column})`,
          })),
        })
      }
      return {
        ...policyView(result.policy),
        changes: diffPolicies(before.raw, result.policy.raw).map(formatPolicyChange),
      }
    },
  )
}
