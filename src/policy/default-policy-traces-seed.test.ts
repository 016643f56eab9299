/**
 * P2: the default policy reproduces seed 000 exactly. This test reads the seed document itself
 * (../shared/seeds/000_*.txt beside the repository) and checks every row of its tables against
 * policies/default.yaml, so a typo on either side fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import type { PolicyDuration } from './duration.js'
import { defaultPolicyPath } from './load-policy-file.js'
import { parsePolicy } from './parse-policy.js'
import type { Policy } from './policy-schema.js'
import { ACTIVITY_LOGGING_ACTION } from './policy-schema.js'

const seedDirectory = join(defaultPolicyPath(), '..', '..', '..', 'shared', 'seeds')
const seedFile = existsSync(seedDirectory)
  ? readdirSync(seedDirectory).find((name) => name.startsWith('000_'))
  : undefined
if (!seedFile && process.env.LEADCLOCK_REQUIRE_SEEDS === '1') {
  throw new Error(`seed 000 not found in ${seedDirectory} but LEADCLOCK_REQUIRE_SEEDS=1`)
}

function loadDefaultPolicy(): Policy {
  const result = parsePolicy(readFileSync(defaultPolicyPath(), 'utf8'), 'default.yaml')
  if (!result.ok) {
    throw new Error(`default policy invalid: ${JSON.stringify(result.problems)}`)
  }
  return result.policy
}

/** Numbers in a seed row, ignoring those that are part of names such as "Tier 1" or "C-Suite". */
function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d+(?:\.\d+)?/g)].map((match) => Number(match[0]))
}

function amountOf(value: unknown): number[] {
  return typeof value === 'object' && value !== null ? [(value as PolicyDuration).amount] : []
}

describe.skipIf(!seedFile)('default policy traces to seed 000', () => {
  const seed = seedFile ? readFileSync(join(seedDirectory, seedFile), 'utf8') : ''
  const lines = seed.split('\n').map((line) => line.trim())
  const policy = loadDefaultPolicy()
  const roleName = (role: string): string => policy.roles[role]?.name ?? role
  const lineStartingWith = (prefix: string, after = 0): string => {
    const found = lines.slice(after).find((line) => line.startsWith(prefix))
    if (found === undefined) {
      throw new Error(`no seed line starts with "${prefix}"`)
    }
    return found
  }

  it('appendix A: every SLA row has the same stage, owner, numbers and escalation target', () => {
    const appendixA = lines.indexOf('A. Complete SLA Reference Table')
    expect(appendixA).toBeGreaterThan(0)
    const header = lines.indexOf('SLA ItemStageOwnerTargetBreach ThresholdEscalation To', appendixA)
    const rows = lines.slice(header + 1, header + 15)
    // Post-call follow-up is an SLA of section 05's SAL-to-SQL table, not of appendix A.
    const sectionFiveRow = lineStartingWith('Post-Call Follow-UpIf prospect takes a call')
    const rowOf = (item: Policy['slaItems'][number]): string =>
      rows.find((row) => row.startsWith(`${item.name}${item.stage}`)) ??
      (sectionFiveRow.startsWith(item.name) ? sectionFiveRow : '')
    expect(rows.every((row) => policy.slaItems.some((item) => rowOf(item) === row))).toBe(true)
    const checked = policy.slaItems.filter(
      (candidate) => candidate.source === undefined || candidate.name === 'Post-Call Follow-Up',
    )
    expect(checked.find((item) => item.name === 'Post-Call Follow-Up')?.source).toBe(
      'Section 05 — SAL-to-SQL SLA Requirements',
    )
    for (const item of checked) {
      const row = rowOf(item)
      expect(row, `${item.name} has no seed row`).not.toBe('')
      const ownerName = item.owner === 'ae' ? 'AE' : roleName(item.owner)
      expect(row, item.name).toContain(ownerName)
      const escalation = item.escalateTo.map(roleName).join(' then ')
      if (row !== sectionFiveRow) {
        expect(row, `${item.name} escalates to ${escalation}`).toContain(escalation)
      }
      const seedNumbers = numbersIn(row.slice(item.name.length).replace(/\(Section \d+\)/, ''))
      const policyNumbers = [
        ...amountOf(item.target),
        ...amountOf(item.breach),
        ...(item.checkIn ? [item.checkIn.amount] : []),
      ]
      // "Opp Next Step" says "Within 24hrs … 7 days"; "Opp Activity Minimum" says "1 activity per 10 days".
      const seedOnly = seedNumbers.filter((n) => !policyNumbers.includes(n))
      expect(
        seedOnly.filter((n) => n !== 1),
        `${item.name}: seed numbers missing from policy`,
      ).toEqual([])
      for (const n of policyNumbers) {
        expect(seedNumbers, `${item.name}: policy number ${n} not in seed row`).toContain(n)
      }
    }
  })

  it('section 06: the handoff-protocol and AE-response items say what the seed says', () => {
    const sectionSix = policy.slaItems.filter((item) => item.source?.startsWith('Section 06'))
    expect(sectionSix.map((item) => item.id)).toEqual([
      'three-way-intro',
      'internal-debrief',
      'discovery-meeting',
    ])
    expect(lineStartingWith('Three-Way Intro Email')).toContain('Within 2 hours of SQL creation')
    expect(lineStartingWith('Internal Debrief')).toContain('required for strategic accounts')
    expect(lineStartingWith('Internal Debrief')).toContain('24 hours before first AE meeting')
    expect(
      lineStartingWith('Discovery meeting with the prospect must happen within 5 business days'),
    ).toContain('of SQL acceptance')
    const [intro, debrief, discovery] = sectionSix
    expect([intro?.breach, intro?.clock?.startsOn]).toEqual([
      { amount: 2, unit: 'hour', business: false },
      'sql-promoted',
    ])
    expect([debrief?.breach, debrief?.beforeMeeting, debrief?.appliesTo]).toEqual([
      'before first meeting',
      { amount: 24, unit: 'hour', business: false },
      { segments: ['strategic'] },
    ])
    expect([discovery?.breach, discovery?.clock?.startsOn, discovery?.clock?.stopsOn]).toEqual([
      { amount: 5, unit: 'day', business: true },
      'ae-accepted',
      ['meeting-held'],
    ])
  })

  it('section 06: each row of the warm handoff protocol is an SLA item owned by its "Who"', () => {
    const rows: [element: string, itemId: string, who: string][] = [
      ['SQL Briefing Doc', 'sql-briefing-doc', 'SDR'],
      ['Three-Way Intro Email', 'three-way-intro', 'SDR'],
      // "SDR + AE": the SDR owns the clock, the AE attends.
      ['Internal Debrief', 'internal-debrief', 'SDR + AE'],
      ['AE Formal Acceptance', 'ae-sql-acceptance', 'AE'],
      ['Opportunity Creation', 'opportunity-creation', 'AE'],
    ]
    for (const [element, itemId, who] of rows) {
      const item = policy.slaItems.find((candidate) => candidate.id === itemId)
      expect(lineStartingWith(element), element).toContain(who)
      expect(who.startsWith(item?.owner.toUpperCase() ?? 'missing'), element).toBe(true)
    }
    expect(Object.keys(policy)).not.toContain('handoff')
  })

  it('appendix B: every scoring signal, decay step and threshold', () => {
    for (const signal of policy.scoring.signals) {
      const row = lines.find((line) => /^[+−]\d/.test(line.split(signal.name)[1] ?? '')) ?? ''
      const points = /^[+−]\d+/.exec(row.split(signal.name)[1] ?? '')?.[0].replace('−', '-')
      expect(Number(points), signal.name).toBe(signal.points)
      expect(row.endsWith(signal.note ?? ''), signal.name).toBe(true)
    }
    for (const step of policy.scoring.decay) {
      const row = lines.find((line) =>
        line.includes(`No activity in ${step.afterInactivity.amount} days`),
      )
      expect(row?.replace('Score Decay', '')).toBe(
        `No activity in ${step.afterInactivity.amount} days−${-step.points}${step.note}`,
      )
    }
    expect(seed).toContain(`MQL Threshold: ${policy.scoring.threshold} points minimum.`)
    const band = policy.scoring.managerReviewBand
    expect(seed).toContain(
      `Leads scoring ${band.min}–${band.max} can be surfaced for SDR manager review`,
    )
  })

  it('section 03: MQL entry criteria, intent tiers', () => {
    for (const criterion of policy.mqlEntryCriteria) {
      expect(lines).toContain(
        `${criterion.name}${criterion.definition}${criterion.minimumBar}${criterion.verifiedBy}`,
      )
    }
    for (const tier of Object.values(policy.intentTiers)) {
      const row = lineStartingWith(tier.name)
      expect(row.endsWith(`${tier.signals}+${tier.points} pts`), row).toBe(true)
    }
  })

  it('section 04: response tiers, after-hours rules, cadences and the touch plan', () => {
    const afterHoursText = (tier: Policy['responseTiers'][string]): string =>
      tier.afterHours.kind === 'next-business-day-at'
        ? `First attempt by ${Number(tier.afterHours.localTime.slice(0, 2))}am next business day`
        : `Within ${tier.afterHours.duration.amount} ${tier.afterHours.duration.unit === 'minute' ? 'min' : 'hours'} of next business day open`
    for (const tier of Object.values(policy.responseTiers)) {
      const { attempts, over, then } = tier.cadence
      expect(lines).toContain(
        `Full cadence: ${attempts} attempts over ${over.amount} business days, then ${then}`,
      )
      expect(lines).toContain(`After hours: ${afterHoursText(tier)}`)
      const unit = tier.firstAttempt.unit === 'minute' ? 'min' : 'hrs'
      expect(lines).toContain(`${tier.firstAttempt.amount} ${unit}`)
    }
    for (const touch of policy.touchPlan) {
      const row = lineStartingWith(`${touch.touch}Day ${touch.day}`)
      expect(row).toContain(touch.objective)
      const tierText =
        touch.tiers.length === 3
          ? 'All tiers'
          : touch.tiers.length === 2
            ? 'Tier 1 & 2'
            : 'Tier 1 only'
      expect(row.endsWith(tierText), row).toBe(true)
    }
  })

  it('section 04: each SAL action window, its start, and what reads it', () => {
    const header = lines.indexOf('ActionSDR ObligationSLA Window')
    expect(header).toBeGreaterThan(0)
    const rows = lines.slice(header + 1, header + 1 + policy.salActions.length)
    expect(lines[header + 1 + policy.salActions.length]).toBe('')
    const startText: Record<string, string> = {
      'first-attempt': 'of first attempt',
      receipt: 'of receipt',
      attempt: 'of each attempt',
      routing: 'as routing',
    }
    policy.salActions.forEach((action, i) => {
      const row = rows[i] ?? ''
      expect(row.startsWith(`${action.action}${action.obligation}`), row).toBe(true)
      const windowText = row.slice(`${action.action}${action.obligation}`.length)
      expect(numbersIn(windowText), row).toEqual(amountOf(action.window))
      expect(windowText.endsWith(` ${startText[action.from] ?? action.from}`), row).toBe(true)
      if (typeof action.window === 'string') {
        expect(windowText.toLowerCase().startsWith(action.window), row).toBe(true)
      }
      // No row is decoration: a checked window, an SLA item's target, or the late-logging flag.
      const read =
        action.clock !== undefined ||
        action.slaItem !== undefined ||
        action.id === ACTIVITY_LOGGING_ACTION
      expect(read, `${action.id} is read by nothing`).toBe(true)
    })
  })

  it('sections 03 and 06: REJ and AE-REJ reason codes', () => {
    for (const code of policy.reasonTaxonomies.rej?.codes ?? []) {
      expect(lines).toContain(`${code.code}${code.reason}${code.requiredResponse}`)
    }
    const aeCodes = policy.reasonTaxonomies['ae-rej']?.codes ?? []
    expect(aeCodes.map((code) => code.code)).toEqual([
      'AE-REJ-01',
      'AE-REJ-02',
      'AE-REJ-03',
      'AE-REJ-04',
      'AE-REJ-05',
    ])
    for (const code of aeCodes) {
      const row = lineStartingWith(`${code.code}${code.reason}${code.requiredResponse}`)
      expect(row).toContain(roleName(code.reviewedBy ?? ''))
    }
  })

  it('section 05: MEDDPIC lite gates', () => {
    for (const element of policy.meddpic) {
      const gate = element.gate[0]?.toUpperCase() + element.gate.slice(1)
      expect(lines).toContain(
        `${element.name}${element.mustConfirm}${gate}${element.ifNotConfirmed}`,
      )
    }
  })

  it('section 07: opportunity stages with max age, next action and close-date rule', () => {
    for (const stage of policy.opportunityStages) {
      expect(lines).toContain(
        `Stage ${stage.stage} — ${stage.name}${stage.definition}${stage.maxAge.amount} days${stage.nextAction.description}${stage.closeDateRule.description}`,
      )
    }
  })

  it('section 09: escalation chains step by step, stale-opportunity triggers', () => {
    const marker = (at: PolicyDuration): string =>
      at.amount === 0
        ? 'T+0'
        : `T+${at.amount}${{ minute: '', hour: 'h', day: 'd', week: 'w', month: 'mo' }[at.unit]}`
    for (const chain of Object.values(policy.escalationChains)) {
      const chainStart = lines.findIndex((line) => line.endsWith(chain.name))
      expect(chainStart, chain.name).toBeGreaterThan(0)
      for (const step of chain.steps) {
        const titleAt = lines.indexOf(step.title, chainStart)
        expect(titleAt, step.title).toBeGreaterThan(chainStart)
        expect(lines[titleAt - 2], step.title).toBe(marker(step.at))
        // The step's label is the seed's own marker line, e.g. "T+24h".
        expect(step.label, step.title).toBe(lines[titleAt - 2])
      }
    }
    for (const trigger of policy.staleOpportunityTriggers) {
      const row = lineStartingWith(trigger.trigger)
      expect(row.endsWith(`${trigger.requiredAction}${trigger.deadline.amount} hours`), row).toBe(
        true,
      )
      const condition = trigger.condition
      const conditionNumbers =
        'duration' in condition
          ? [condition.duration.amount]
          : 'percent' in condition
            ? [condition.percent]
            : []
      for (const n of conditionNumbers) {
        expect(numbersIn(row), trigger.trigger).toContain(n)
      }
    }
  })

  it('section 10: recycling scenarios and suppression windows', () => {
    const recyclingStart = lines.indexOf('Recycling & Disqualification')
    for (const scenario of policy.recycling.scenarios) {
      const row = lineStartingWith(scenario.scenario, recyclingStart)
      expect(row).toContain(scenario.reMqlTrigger)
      const suppression = scenario.suppression
      if (typeof suppression === 'object') {
        expect(row).toContain(`${suppression.amount} ${suppression.unit}`)
      }
    }
  })

  it('section 11: every metric with its green/amber/red thresholds and cadence', () => {
    for (const metric of policy.metrics) {
      const { green, red } = metric
      const bands =
        metric.better === 'higher'
          ? `>${green}%${red}–${green}%<${red}%`
          : `<${green}%${green}–${red}%>${red}%`
      const cadence = metric.cadence[0]?.toUpperCase() + metric.cadence.slice(1)
      expect(lines).toContain(`${metric.name}${metric.definition}${bands}${cadence}`)
    }
  })

  it('section 14: the grace period', () => {
    expect(seed).toContain(
      `The ${policy.gracePeriod.duration.amount}-day grace period is not optional`,
    )
  })
})
