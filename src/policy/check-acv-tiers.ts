/**
 * Cross-reference rules of the ACV-tier model (seed 002): the bands cover every ACV exactly once,
 * tiers name real response tiers and queues, and the routing rule that reads them is in use.
 */
import type { PolicyPath, UnlocatedProblem } from './parse-policy.js'
import type { Policy } from './policy-schema.js'

export function checkAcvTiers(policy: Policy): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = []
  const report = (path: PolicyPath, message: string): void => {
    problems.push({ path, message })
  }
  const ruleIndex = policy.routing.ruleOrder.indexOf('acv-tier')
  const model = policy.acvTiers
  if (model === undefined) {
    if (ruleIndex !== -1) {
      report(
        ['routing', 'ruleOrder', ruleIndex],
        'routing rule "acv-tier" needs an acvTiers section; add one or remove the rule',
      )
    }
    return problems
  }
  if (ruleIndex === -1) {
    report(
      ['routing', 'ruleOrder'],
      'acvTiers is set but routing.ruleOrder does not list "acv-tier"; add it so each tier routes as its routeTo says',
    )
  }
  const tierIds = model.tiers.map((tier) => tier.id)
  const responseTiers = Object.keys(policy.responseTiers)
  const seen = new Set<string>()
  model.tiers.forEach((tier, i) => {
    const path = ['acvTiers', 'tiers', i]
    if (seen.has(tier.id)) {
      report([...path, 'id'], `duplicate ACV tier id "${tier.id}"; each ACV tier id must be unique`)
    }
    seen.add(tier.id)
    if (i === 0 && tier.acvFrom !== 0) {
      report(
        [...path, 'acvFrom'],
        `the first ACV tier must start at 0 so every ACV has a tier; it starts at ${tier.acvFrom}`,
      )
    }
    if (tier.acvTo !== undefined && tier.acvTo <= tier.acvFrom) {
      report([...path, 'acvTo'], `acvTo ${tier.acvTo} must be above acvFrom ${tier.acvFrom}`)
    }
    const next = model.tiers[i + 1]
    if (next === undefined) {
      if (tier.acvTo !== undefined) {
        report(
          [...path, 'acvTo'],
          `the last ACV tier must be open-ended (no acvTo) so every ACV has a tier; it ends at ${tier.acvTo}`,
        )
      }
    } else if (tier.acvTo === undefined || next.acvFrom < tier.acvTo) {
      report(
        ['acvTiers', 'tiers', i + 1, 'acvFrom'],
        `ACV tier "${next.id}" overlaps "${tier.id}": it starts at ${next.acvFrom}, before "${tier.id}" ends at ${tier.acvTo ?? '(open)'}; allowed: acvFrom ${tier.acvTo ?? '(none: close the previous band)'}`,
      )
    } else if (next.acvFrom > tier.acvTo) {
      report(
        ['acvTiers', 'tiers', i + 1, 'acvFrom'],
        `gap between ACV tiers "${tier.id}" and "${next.id}": ${tier.acvTo} to ${next.acvFrom} has no tier; allowed: acvFrom ${tier.acvTo}`,
      )
    }
    if (tier.responseTier !== undefined && !responseTiers.includes(tier.responseTier)) {
      report(
        [...path, 'responseTier'],
        `unknown response tier "${tier.responseTier}"; allowed: ${responseTiers.join(', ')}`,
      )
    }
    if (tier.routeTo === 'plg-onboarding' && tier.queue === undefined) {
      report([...path, 'queue'], 'routeTo plg-onboarding needs the queue the leads go to')
    }
    if (tier.routeTo !== 'plg-onboarding' && tier.queue !== undefined) {
      report(
        [...path, 'queue'],
        `a queue applies only to routeTo plg-onboarding; this tier routes to ${tier.routeTo}`,
      )
    }
  })
  if (model.whenUnknown !== undefined && !tierIds.includes(model.whenUnknown)) {
    report(
      ['acvTiers', 'whenUnknown'],
      `unknown ACV tier "${model.whenUnknown}"; allowed: ${tierIds.join(', ')}`,
    )
  }
  return problems
}

/** Response tiers an ACV tier names: they need not mirror an intent tier. */
export function acvResponseTiers(policy: Policy): string[] {
  return (policy.acvTiers?.tiers ?? []).flatMap((tier) =>
    tier.responseTier === undefined ? [] : [tier.responseTier],
  )
}
