/**
 * Seed 002's ACV tiers: which tier a lead is in (from its estimated ACV, or the tier a source
 * system supplied, as the policy's precedence says), and what that changes — the MQL threshold,
 * the response tier whose SLA applies, and (in routing) where the MQL goes. Pure.
 */
import type { AcvTier, Policy } from '../policy/policy-schema.js'
import type { LeadProfile, SuppliedValues } from './lead-events.js'

/** What source systems supplied, as recorded on the lead: the latest of each value. */
export interface SuppliedRecord {
  readonly acvTier: string | null
  readonly score: number | null
  readonly system: string | null
  /** When the latest supplied value arrived. */
  readonly at: number
}

export interface AcvTierAssessment {
  /** The tier that applies; null when the lead has none (the single threshold applies). */
  readonly tierId: string | null
  readonly basis: 'acv-estimate' | 'supplied' | 'when-unknown' | 'none'
  /** Leadclock's own tier, from the profile's ACV estimate. */
  readonly ownTierId: string | null
  /** The supplied tier, when it is a tier of the policy. */
  readonly suppliedTierId: string | null
  readonly detail: string
}

/** The score and threshold an MQL decision compares. */
export interface MqlBar {
  readonly points: number
  readonly threshold: number
  /** e.g. "score 72 ≥ 60 (ACV tier mid-market)": why a lead that clears the bar became an MQL. */
  readonly comparison: string
}

export function recordSupplied(
  previous: SuppliedRecord | null,
  supplied: SuppliedValues | undefined,
  at: number,
): SuppliedRecord | null {
  if (supplied === undefined) {
    return previous
  }
  return {
    acvTier: supplied.acvTier ?? previous?.acvTier ?? null,
    score: supplied.score ?? previous?.score ?? null,
    system: supplied.system ?? previous?.system ?? null,
    at,
  }
}

function fromSystem(supplied: SuppliedRecord | null): string {
  const system = supplied?.system ?? null
  return system === null ? '' : ` (${system})`
}

function bandText(tier: AcvTier, currency: string): string {
  return tier.acvTo === undefined
    ? `${tier.acvFrom}+ ${currency}`
    : `${tier.acvFrom}–${tier.acvTo} ${currency}`
}

/** The tier whose band holds `acv` (bands are [acvFrom, acvTo)). */
export function tierOfAcv(policy: Policy, acv: number): AcvTier | undefined {
  return policy.acvTiers?.tiers.find(
    (tier) => acv >= tier.acvFrom && (tier.acvTo === undefined || acv < tier.acvTo),
  )
}

export function findAcvTier(policy: Policy, tierId: string | null): AcvTier | undefined {
  return tierId === null ? undefined : policy.acvTiers?.tiers.find((tier) => tier.id === tierId)
}

/** The lead's ACV tier under the policy; null when the policy has no ACV tiers. */
export function assessAcvTier(
  policy: Policy,
  profile: LeadProfile,
  supplied: SuppliedRecord | null,
): AcvTierAssessment | null {
  const model = policy.acvTiers
  if (model === undefined) {
    return null
  }
  const estimate = profile.acvEstimate
  const own = estimate === undefined ? undefined : tierOfAcv(policy, estimate)
  const ownText =
    own === undefined || estimate === undefined
      ? 'no ACV estimate'
      : `ACV estimate ${estimate} ${model.currency} is in ${own.id} (${bandText(own, model.currency)})`
  const suppliedId = supplied?.acvTier ?? null
  const suppliedTier = findAcvTier(policy, suppliedId)
  const from = fromSystem(supplied)
  const ignored =
    suppliedId !== null && suppliedTier === undefined
      ? `; supplied tier "${suppliedId}"${from} is not a tier of the policy (allowed: ${model.tiers.map((tier) => tier.id).join(', ')})`
      : ''
  const assessment = (
    tier: AcvTier | undefined,
    basis: AcvTierAssessment['basis'],
    detail: string,
  ): AcvTierAssessment => ({
    tierId: tier?.id ?? null,
    basis,
    ownTierId: own?.id ?? null,
    suppliedTierId: suppliedTier?.id ?? null,
    detail: detail + ignored,
  })
  if (suppliedTier !== undefined && (model.tierPrecedence === 'supplied' || own === undefined)) {
    return assessment(
      suppliedTier,
      'supplied',
      own === undefined
        ? `${ownText}; supplied tier ${suppliedTier.id}${from} applies`
        : `supplied tier ${suppliedTier.id}${from} wins over Leadclock's: ${ownText}`,
    )
  }
  if (own !== undefined) {
    return assessment(
      own,
      'acv-estimate',
      suppliedTier === undefined
        ? ownText
        : `Leadclock's tier wins over supplied ${suppliedTier.id}${from}: ${ownText}`,
    )
  }
  const fallback = findAcvTier(policy, model.whenUnknown ?? null)
  return fallback === undefined
    ? assessment(undefined, 'none', `${ownText} or supplied tier: the single MQL threshold applies`)
    : assessment(
        fallback,
        'when-unknown',
        `${ownText} or supplied tier: policy tier ${fallback.id}`,
      )
}

/** The score and threshold that decide MQL: the ACV tier's threshold, the winning score. */
export function mqlBar(
  policy: Policy,
  ownScore: number,
  supplied: SuppliedRecord | null,
  acv: AcvTierAssessment | null,
): MqlBar {
  const tier = findAcvTier(policy, acv?.tierId ?? null)
  const threshold = tier?.mqlThreshold ?? policy.scoring.threshold
  const suppliedScore = supplied?.score ?? null
  const useSupplied = policy.scoring.scorePrecedence === 'supplied' && suppliedScore !== null
  const points = useSupplied ? suppliedScore : ownScore
  const scoreText = useSupplied
    ? `supplied score ${points}${fromSystem(supplied)}, Leadclock's ${ownScore},`
    : `score ${points}`
  const tierText = tier === undefined ? '' : ` (ACV tier ${tier.id})`
  return { points, threshold, comparison: `${scoreText} ≥ ${threshold}${tierText}` }
}

/** The response tier of a new MQL: its ACV tier's, when that names one, else its intent tier. */
export function responseTierOf(
  policy: Policy,
  acv: AcvTierAssessment | null,
  intentTier: string | null,
): string | null {
  return findAcvTier(policy, acv?.tierId ?? null)?.responseTier ?? intentTier
}
