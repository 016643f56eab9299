/**
 * Section 04's outreach cadence of the current MQL: the tier's `cadence.attempts` valid attempts,
 * in the order of the touch plan. The cadence is exhausted — section 09's "cadence completed, no
 * response" — at the attempt that completes the tier's count with no live connection since the
 * MQL. Pure; read from the lead's logged activities.
 */
import type { Policy } from '../policy/policy-schema.js'
import type { ActivityRecord, LeadState } from './lead-state.js'

/** Outcomes that mean a real conversation (section 11's live contact), not just an attempt. */
const LIVE_CONNECT_OUTCOMES: readonly string[] = ['connected', 'replied', 'held']

type Touch = Policy['touchPlan'][number]

export interface CadenceProgress {
  readonly tier: string
  /** The tier's attempts (`responseTiers.<tier>.cadence.attempts`) and window. */
  readonly attemptsPlanned: number
  readonly attemptsLogged: number
  readonly connected: boolean
  /** The next touch of the touch plan for the tier, if the plan has one left. */
  readonly nextTouch: Touch | null
  /** When the last attempt ran out the cadence with no connect. */
  readonly exhaustedAt: number | null
}

/** When an attempt earns credit: late or back-dated claims when the system saw them. */
function creditedAt(activity: ActivityRecord): number {
  return activity.flags.length > 0 ? activity.receivedAt : activity.occurredAt
}

export function cadenceProgress(policy: Policy, lead: LeadState): CadenceProgress | null {
  const cadence = lead.tier === null ? undefined : policy.responseTiers[lead.tier]?.cadence
  const mqlAt = lead.transitions.findLast((transition) => transition.to === 'mql')?.at
  if (lead.tier === null || cadence === undefined || mqlAt === undefined) {
    return null
  }
  const since = lead.activities.filter((activity) => activity.occurredAt >= mqlAt)
  const attempts = since.filter((activity) => activity.countsAsFollowUp)
  const connected = since.some((activity) => LIVE_CONNECT_OUTCOMES.includes(activity.outcome ?? ''))
  const touches = policy.touchPlan.filter((touch) => touch.tiers.includes(lead.tier ?? ''))
  const last = attempts[cadence.attempts - 1]
  return {
    tier: lead.tier,
    attemptsPlanned: cadence.attempts,
    attemptsLogged: attempts.length,
    connected,
    nextTouch: touches[attempts.length] ?? null,
    exhaustedAt: last === undefined || connected ? null : creditedAt(last),
  }
}

/**
 * True when the activity just logged is the attempt that exhausts the cadence: the lead is still
 * being worked (MQL or SAL), it completes the tier's count, and nobody has connected.
 */
export function cadenceJustExhausted(policy: Policy, lead: LeadState): boolean {
  const progress = cadenceProgress(policy, lead)
  const latest = lead.activities.at(-1)
  return (
    progress !== null &&
    latest !== undefined &&
    latest.countsAsFollowUp &&
    (lead.stage === 'mql' || lead.stage === 'sal') &&
    progress.attemptsLogged === progress.attemptsPlanned &&
    progress.exhaustedAt !== null
  )
}
