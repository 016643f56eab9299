/**
 * Rejections and disqualifications carry a code of one of the policy's reason taxonomies; free
 * text alone is refused, with the taxonomy's codes in the message.
 */
import type { ReasonCode } from '../../policy/policy-schema.js'
import type { HandlerContext } from './handler-context.js'
import { refuse } from './handler-context.js'
import type { RefusalRule } from './refusal-rules.js'

/** The code of the taxonomy, or a refusal naming the taxonomy's codes. */
export function requireReasonCode(
  context: HandlerContext,
  taxonomyId: string,
  reasonCode: string,
  rule: RefusalRule,
  what: string,
): ReasonCode | undefined {
  const code = context.policy.reasonTaxonomies[taxonomyId]?.codes.find(
    (candidate) => candidate.code === reasonCode,
  )
  if (!code) {
    refuseUnknownCode(context, rule, what, taxonomyId, reasonCode)
  }
  return code
}

export function refuseUnknownCode(
  context: HandlerContext,
  rule: RefusalRule,
  what: string,
  taxonomyId: string,
  code: string,
): void {
  const taxonomy = context.policy.reasonTaxonomies[taxonomyId]
  const codes = taxonomy?.codes.map((candidate) => candidate.code).join(', ') ?? ''
  const got = code.trim() === '' ? 'no code (free text alone is refused)' : `"${code}"`
  refuse(
    context,
    rule,
    `${what} needs a reason code of the ${taxonomy?.name ?? taxonomyId}: ${codes}; got ${got}`,
    ['reasonCode'],
  )
}
