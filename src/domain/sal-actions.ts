/**
 * Section 04's SAL action windows (`salActions`) as the engine reads them: the activity-logging
 * window is the CRM-reality late-logging flag's, and the rows with a clock are checked windows
 * measured like SLA items (shown with the lead's clocks, without an escalation chain). Pure.
 */
import { durationMs } from '../policy/duration.js'
import type { Policy, SlaItem } from '../policy/policy-schema.js'
import { ACTIVITY_LOGGING_ACTION } from '../policy/policy-schema.js'

const DAY_MS = 86_400_000

/**
 * How long after it happened an activity may be logged before it is flagged `late-logged`: the
 * activity-logging window (a duration, check-policy makes sure; days count as 24 hours here).
 */
export function lateLoggingAfterMs(policy: Policy): number {
  const window = policy.salActions.find((action) => action.id === ACTIVITY_LOGGING_ACTION)?.window
  return typeof window === 'object' ? durationMs(window, DAY_MS) : Infinity
}

/** The checked windows as clock items: target and breach are the window, nobody is escalated to. */
export function salActionClockItems(policy: Policy): SlaItem[] {
  return policy.salActions.flatMap((action) =>
    action.clock === undefined
      ? []
      : [
          {
            id: action.id,
            name: action.action,
            stage: 'SAL action window',
            owner: action.owner,
            target: action.window,
            breach: action.window,
            escalateTo: [],
            clock: action.clock,
          },
        ],
  )
}
