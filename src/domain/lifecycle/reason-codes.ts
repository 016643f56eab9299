/**
 * Rejections and disqualifications carry a code of one of the policy's reason taxonomies; free
 * text alone is refused, with the taxonomy's codes in the message.
 */
import type { ReasonCode } from '../../policy/policy-schema.js'
import type { ClockEventName } from '../clock-events.js'
import type { HandlerContext } from './handler-context.js'
import { clock, refuse, requireStage } from './handler-context.js'
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

/** What tells one rejection from the other: the SDR's of an MQL, the AE's of an SQL. */
export interface Rejection {
  /** The stage the lead must be in. */
  readonly stage: string
  /** How refusals name the step ("SAL rejection"). */
  readonly what: string
  /** Which of the policy's rejection taxonomies the code comes from. */
  readonly taxonomy: 'sal' | 'ae'
  readonly rule: RefusalRule
  readonly clockEvent: ClockEventName
  /** What the code's effect does to the lead; `reason` reads "CODE: reason". */
  readonly applyEffect: (context: HandlerContext, code: ReasonCode, reason: string) => void
}

export function rejectWithReasonCode(
  context: HandlerContext,
  rejection: Rejection,
  reasonCode: string,
): void {
  if (!requireStage(context, [rejection.stage], rejection.what)) {
    return
  }
  const code = requireReasonCode(
    context,
    context.policy.rejection[rejection.taxonomy],
    reasonCode,
    rejection.rule,
    rejection.what,
  )
  if (!code) {
    return
  }
  clock(context, rejection.clockEvent)
  rejection.applyEffect(context, code, `${code.code}: ${code.reason}`)
}
