import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { diffPolicies, formatPolicyChange } from './diff-policy.js'
import { defaultPolicyPath, packageFilePath } from './load-policy-file.js'
import type { PolicyProblem } from './parse-policy.js'
import { parsePolicy } from './parse-policy.js'

const acvPath = packageFilePath('policies', 'acv-tiers.yaml')
const acvText = readFileSync(acvPath, 'utf8')
const defaultText = readFileSync(defaultPolicyPath(), 'utf8')

/** Replaces one exact, unique snippet of `text`. */
function edit(text: string, before: string, after: string): string {
  expect(text.split(before), `snippet must occur once: ${before}`).toHaveLength(2)
  return text.replace(before, after)
}

function problemsOf(text: string): readonly PolicyProblem[] {
  const result = parsePolicy(text, 'policy.yaml')
  if (result.ok) {
    throw new Error('expected the policy to be refused')
  }
  return result.problems
}

/** 1-based line and column of the first occurrence of `needle`. */
function locate(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n')
  const index = lines.findIndex((line) => line.includes(needle))
  expect(index, `line containing ${needle}`).toBeGreaterThanOrEqual(0)
  return { line: index + 1, column: (lines[index] ?? '').indexOf(needle) + 1 }
}

const MID_MARKET =
  "{ id: mid-market, name: '$30K–$75K ACV (mid-market)', acvFrom: 30000, acvTo: 75000, mqlThreshold: 60, routeTo: ae-assigned-sdr }"

describe('policies/acv-tiers.yaml', () => {
  it('is valid and turns seed 002’s five tiers on', () => {
    const result = parsePolicy(acvText, acvPath)
    if (!result.ok) {
      throw new Error(JSON.stringify(result.problems))
    }
    expect(
      result.policy.acvTiers?.tiers.map((tier) => [
        tier.id,
        tier.acvFrom,
        tier.acvTo ?? null,
        tier.mqlThreshold,
        tier.responseTier ?? null,
        tier.routeTo,
      ]),
    ).toEqual([
      ['self-serve', 0, 10_000, 35, null, 'plg-onboarding'],
      ['lower-mid-market', 10_000, 30_000, 50, null, 'sdr'],
      ['mid-market', 30_000, 75_000, 60, null, 'ae-assigned-sdr'],
      ['mid-enterprise', 75_000, 200_000, 70, 'mid-enterprise', 'ae'],
      ['strategic-enterprise', 200_000, null, 80, 'strategic-enterprise', 'named-account-ae'],
    ])
    expect(
      ['mid-enterprise', 'strategic-enterprise'].map(
        (id) => result.policy.responseTiers[id]?.firstAttempt,
      ),
    ).toEqual([
      { amount: 15, unit: 'minute', business: true },
      { amount: 30, unit: 'minute', business: true },
    ])
  })

  it('is the default policy plus the ACV model, nothing else', () => {
    const lines = diffPolicies(parse(defaultText), parse(acvText)).map(formatPolicyChange)
    const added = [
      '+ acvTiers › ',
      '+ Response tier “mid-enterprise” › ',
      '+ Response tier “strategic-enterprise” › ',
      '+ SLA item “AE Response — ACV $75K–$200K” › ',
      '+ SLA item “AE Response — ACV $200K+” › ',
    ]
    expect(lines.filter((line) => line.startsWith('+'))).toHaveLength(76)
    expect(
      lines.filter(
        (line) => line.startsWith('+') && !added.some((prefix) => line.startsWith(prefix)),
      ),
    ).toEqual([])
    const withAcv = '[tier-1, mid-enterprise, strategic-enterprise]'
    expect(lines.filter((line) => !line.startsWith('+') && !line.startsWith('~ Touch'))).toEqual([
      '~ version: 2.1.0 → 2.2.0',
      '~ name: Lead Lifecycle SLA Framework 2.1 → Lead Lifecycle SLA Framework 2.1 with ACV tiers',
      "~ description: Default policy reproducing the RevOpsBrief Lead Lifecycle SLA Framework (v2.1). → The default policy plus seed 002's score thresholds, response times and routing by ACV tier.",
      `~ Escalation chain “mql-response” › step “Automated Reminder — CRM System Alert” › tiers: [tier-1] → ${withAcv}`,
      `~ Escalation chain “mql-response” › step “SDR Manager Notified — Direct Outreach” › tiers: [tier-1] → ${withAcv}`,
      `~ surge › directRouteTiers: [tier-1] → ${withAcv}`,
      '~ routing › ruleOrder: [account-owner, named-account, multi-product-triage, surge-nurture, after-hours-next-region, territory-round-robin] → [account-owner, named-account, multi-product-triage, surge-nurture, acv-tier, after-hours-next-region, territory-round-robin]',
    ])
    expect(lines.filter((line) => line.startsWith('~ Touch'))).toHaveLength(8)
  })
})

describe('ACV tier validation: located problems', () => {
  it('refuses overlapping bands at the later band’s acvFrom', () => {
    const text = edit(acvText, 'acvFrom: 30000, acvTo: 75000', 'acvFrom: 25000, acvTo: 75000')
    expect(problemsOf(text)).toEqual([
      {
        file: 'policy.yaml',
        ...locate(text, '25000'),
        path: 'acvTiers.tiers[2].acvFrom',
        message:
          'ACV tier "mid-market" overlaps "lower-mid-market": it starts at 25000, before "lower-mid-market" ends at 30000; allowed: acvFrom 30000',
      },
    ])
  })

  it('refuses a gap between bands, a first band above 0 and a closed last band', () => {
    let text = edit(acvText, 'acvFrom: 30000, acvTo: 75000', 'acvFrom: 35000, acvTo: 75000')
    text = edit(text, 'acvFrom: 0, acvTo: 10000', 'acvFrom: 1000, acvTo: 10000')
    text = edit(
      text,
      'acvFrom: 200000, mqlThreshold',
      'acvFrom: 200000, acvTo: 1000000, mqlThreshold',
    )
    expect(problemsOf(text).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'acvTiers.tiers[0].acvFrom',
        'the first ACV tier must start at 0 so every ACV has a tier; it starts at 1000',
      ],
      [
        'acvTiers.tiers[2].acvFrom',
        'gap between ACV tiers "lower-mid-market" and "mid-market": 30000 to 35000 has no tier; allowed: acvFrom 30000',
      ],
      [
        'acvTiers.tiers[4].acvTo',
        'the last ACV tier must be open-ended (no acvTo) so every ACV has a tier; it ends at 1000000',
      ],
    ])
  })

  it('refuses an unknown routing target and lists the allowed ones', () => {
    const text = edit(acvText, 'routeTo: ae-assigned-sdr', 'routeTo: sales-engineer')
    expect(problemsOf(text)).toEqual([
      {
        file: 'policy.yaml',
        ...locate(text, 'sales-engineer'),
        path: 'acvTiers.tiers[2].routeTo',
        message:
          '"sales-engineer" is not allowed; allowed: "plg-onboarding", "sdr", "ae-assigned-sdr", "ae", "named-account-ae"',
      },
    ])
  })

  it('refuses an unknown response tier, a PLG tier without its queue and an unknown default tier', () => {
    let text = edit(acvText, MID_MARKET, MID_MARKET.replace(' }', ', responseTier: platinum }'))
    text = edit(text, ', queue: plg-onboarding }', ' }')
    text = edit(
      text,
      '  tierPrecedence: leadclock',
      '  tierPrecedence: leadclock\n  whenUnknown: gold',
    )
    // Problems come in file order: whenUnknown sits above the tiers.
    expect(problemsOf(text).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'acvTiers.whenUnknown',
        'unknown ACV tier "gold"; allowed: self-serve, lower-mid-market, mid-market, mid-enterprise, strategic-enterprise',
      ],
      ['acvTiers.tiers[0].queue', 'routeTo plg-onboarding needs the queue the leads go to'],
      [
        'acvTiers.tiers[2].responseTier',
        'unknown response tier "platinum"; allowed: tier-1, tier-2, tier-3, mid-enterprise, strategic-enterprise',
      ],
    ])
  })

  it('refuses a response tier that neither mirrors an intent tier nor is named by an ACV tier', () => {
    const text = edit(acvText, 'responseTier: mid-enterprise, routeTo: ae', 'routeTo: ae')
    expect(problemsOf(text)).toEqual([
      {
        file: 'policy.yaml',
        // The tier's map: its first field.
        ...locate(text, 'name: ACV $75K–$200K'),
        path: 'responseTiers.mid-enterprise',
        message:
          'unknown response tier (must match an intent tier or an ACV tier’s responseTier) "mid-enterprise"; allowed: tier-1, tier-2, tier-3, strategic-enterprise',
      },
    ])
  })

  it('keeps the ACV model and its routing rule together', () => {
    const withoutRule = edit(
      acvText,
      'surge-nurture, acv-tier, after-hours',
      'surge-nurture, after-hours',
    )
    expect(problemsOf(withoutRule).map((problem) => [problem.path, problem.message])).toEqual([
      [
        'routing.ruleOrder',
        'acvTiers is set but routing.ruleOrder does not list "acv-tier"; add it so each tier routes as its routeTo says',
      ],
    ])
    const ruleWithoutModel = edit(
      defaultText,
      'surge-nurture, after-hours',
      'surge-nurture, acv-tier, after-hours',
    )
    expect(problemsOf(ruleWithoutModel)).toEqual([
      {
        file: 'policy.yaml',
        ...locate(ruleWithoutModel, 'acv-tier, after-hours'),
        path: 'routing.ruleOrder[4]',
        message: 'routing rule "acv-tier" needs an acvTiers section; add one or remove the rule',
      },
    ])
  })
})

// Seed 002 beside the repository, as the seed-000 trace test finds seed 000.
const seedDirectory = join(defaultPolicyPath(), '..', '..', '..', 'shared', 'seeds')
const seed002 = existsSync(seedDirectory)
  ? readdirSync(seedDirectory).find((name) => name.startsWith('002_'))
  : undefined
if (!seed002 && process.env.LEADCLOCK_REQUIRE_SEEDS === '1') {
  throw new Error(`seed 002 not found in ${seedDirectory} but LEADCLOCK_REQUIRE_SEEDS=1`)
}

/** "$10K" → 10000. */
const thousands = (text: string): number => Number(text.replace(/[$K]/g, '')) * 1000

/** The words of a seed-002 "Recommended Routing" cell each route target stands for. */
const ROUTE_WORDS = {
  'plg-onboarding': 'Auto-route to PLG onboarding',
  sdr: 'Route to SDR',
  'ae-assigned-sdr': 'Route to AE-assigned SDR',
  ae: 'Route directly to AE',
  'named-account-ae': 'Route to named-account AE',
} as const

describe.skipIf(!seed002)('policies/acv-tiers.yaml traces seed 002', () => {
  it('“Score threshold by ACV tier”: bands, thresholds, routing and response times', () => {
    const seed = readFileSync(join(seedDirectory, seed002 ?? ''), 'utf8')
    const rows = [
      ...seed.matchAll(
        /^\| \*\*((?:Sub-)?\$[^|]*ACV[^|]*)\*\* \| (\d+)-\d+ points \| [^|]+ \| ([^|]+) \|$/gm,
      ),
    ]
    const result = parsePolicy(acvText, acvPath)
    if (!result.ok) {
      throw new Error(JSON.stringify(result.problems))
    }
    const { policy } = result
    const tiers = policy.acvTiers?.tiers ?? []
    expect(rows).toHaveLength(tiers.length)
    rows.forEach(([, band = '', low = '', routing = ''], i) => {
      const tier = tiers[i]!
      const [from, to] = band.startsWith('Sub-')
        ? [0, thousands(/\$\d+K/.exec(band)?.[0] ?? '')]
        : [...band.matchAll(/\$\d+K/g)].map((match) => thousands(match[0]))
      expect([tier.acvFrom, tier.acvTo]).toEqual([from, to])
      expect(tier.mqlThreshold).toBe(Number(low))
      expect(routing).toContain(ROUTE_WORDS[tier.routeTo])
      const minutes = /(\d+)-min SLA/.exec(routing)?.[1]
      const responseTier = policy.responseTiers[tier.responseTier ?? 'tier-1']
      if (minutes === undefined) {
        expect(tier.responseTier).toBeUndefined()
        return
      }
      expect(responseTier?.firstAttempt).toEqual({
        amount: Number(minutes),
        unit: 'minute',
        business: true,
      })
      if (routing.includes('on demo requests')) {
        // The intent tier decides, and a demo request is Tier 1.
        expect(tier.responseTier).toBeUndefined()
        expect(responseTier?.triggers).toContain('demo-request')
      }
    })
  })
})
