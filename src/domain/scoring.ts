/**
 * L3 scoring (appendix B): demographic fit + intent signals, decay computed at evaluation time,
 * unsubscribe penalty. Pure: the evaluation instant is an argument.
 */
import { durationMs } from '../policy/duration.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadProfile } from './lead-events.js'

export interface IntentRecord {
  readonly action: string
  readonly at: number
}

export interface ScoreLine {
  readonly signal: string
  readonly points: number
  readonly reason: string
}

export interface ScoreBreakdown {
  readonly total: number
  /** Demographic-fit points. */
  readonly fitPoints: number
  /** ICP fit score 0–100: fit points as a share of the best possible. */
  readonly fitScore: number
  readonly intentPoints: number
  readonly decayPoints: number
  readonly penaltyPoints: number
  readonly lines: readonly ScoreLine[]
  readonly evaluatedAt: number
}

export interface ScoringInput {
  readonly profile: LeadProfile
  readonly intents: readonly IntentRecord[]
  /** Last sign of life (intent action or prospect engagement); drives decay. */
  readonly lastEngagementAt: number
}

/** A business day plays no part in scoring; decay windows are wall-clock days. */
const UNUSED_BUSINESS_DAY_MS = 0

export function matchPersona(policy: Policy, title: string | undefined): string | undefined {
  if (title === undefined) {
    return undefined
  }
  return Object.entries(policy.personas).find(([, persona]) =>
    persona.titlePatterns.some((pattern) => new RegExp(pattern, 'i').test(title)),
  )?.[0]
}

/** The scoring signal an intent action earns, if any (the action's own id or its alias). */
export function signalOfAction(policy: Policy, action: string): string | undefined {
  const alias = policy.scoring.actionSignals?.[action]
  const id = alias ?? action
  return policy.scoring.signals.some((signal) => signal.id === id) ? id : undefined
}

export function tierOfAction(policy: Policy, action: string): string | undefined {
  return Object.entries(policy.intentTiers).find(([, tier]) => tier.actions.includes(action))?.[0]
}

function signalPoints(policy: Policy, id: string): number {
  return policy.scoring.signals.find((signal) => signal.id === id)?.points ?? 0
}

function bestPossibleFit(policy: Policy): number {
  const personaBest = Math.max(
    0,
    ...Object.values(policy.personas).map((persona) => signalPoints(policy, persona.signal)),
  )
  return (
    signalPoints(policy, policy.icp.industrySignal) +
    signalPoints(policy, policy.icp.companySizeSignal) +
    personaBest
  )
}

export function scoreLead(policy: Policy, input: ScoringInput, at: number): ScoreBreakdown {
  const lines: ScoreLine[] = []
  const { profile } = input
  const add = (signal: string, reason: string): void => {
    lines.push({ signal, points: signalPoints(policy, signal), reason })
  }

  // Demographic fit.
  if (
    profile.industry !== undefined &&
    policy.icp.industries.includes(normaliseId(profile.industry))
  ) {
    add(policy.icp.industrySignal, `industry ${profile.industry} is in the ICP list`)
  }
  const size = profile.companySize
  if (
    size !== undefined &&
    size >= policy.icp.companySize.min &&
    size <= policy.icp.companySize.max
  ) {
    add(policy.icp.companySizeSignal, `${size} employees is in the target range`)
  }
  const persona = matchPersona(policy, profile.title)
  if (persona !== undefined) {
    add(policy.personas[persona]?.signal ?? persona, `title "${profile.title}" matches ${persona}`)
  }
  const fitPoints = lines.reduce((sum, line) => sum + line.points, 0)

  // Intent: each signal counts once; actions without a signal earn their intent tier's points.
  const counted = new Set<string>()
  let intentPoints = 0
  let penaltyPoints = 0
  for (const intent of input.intents) {
    if (intent.at > at) {
      continue
    }
    const signal = signalOfAction(policy, intent.action)
    const key = signal ?? intent.action
    if (counted.has(key)) {
      continue
    }
    counted.add(key)
    if (signal !== undefined) {
      const points = signalPoints(policy, signal)
      lines.push({ signal, points, reason: `action ${intent.action}` })
      if (points < 0) {
        penaltyPoints += points
      } else {
        intentPoints += points
      }
      continue
    }
    const tier = tierOfAction(policy, intent.action)
    const points = tier === undefined ? 0 : (policy.intentTiers[tier]?.points ?? 0)
    if (points !== 0) {
      lines.push({
        signal: tier ?? intent.action,
        points,
        reason: `action ${intent.action} (${tier})`,
      })
      intentPoints += points
    }
  }

  // Decay: the largest step whose inactivity window has passed.
  const inactiveMs = at - input.lastEngagementAt
  let decayPoints = 0
  for (const step of policy.scoring.decay) {
    if (inactiveMs >= durationMs(step.afterInactivity, UNUSED_BUSINESS_DAY_MS)) {
      decayPoints = step.points
    }
  }
  if (decayPoints !== 0) {
    lines.push({
      signal: 'decay',
      points: decayPoints,
      reason: `no activity for ${Math.floor(inactiveMs / 86_400_000)} days`,
    })
  }

  const bestFit = bestPossibleFit(policy)
  return {
    total: fitPoints + intentPoints + penaltyPoints + decayPoints,
    fitPoints,
    fitScore: bestFit === 0 ? 0 : Math.round((100 * fitPoints) / bestFit),
    intentPoints,
    decayPoints,
    penaltyPoints,
    lines,
    evaluatedAt: at,
  }
}

export function normaliseId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
