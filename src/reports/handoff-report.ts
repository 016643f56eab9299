/**
 * Handoff measures (section 06): AE rejection rates by code per AE and per SDR, with the review
 * flag of the policy (over 20% under AE-REJ-01/02), and SQL → Opportunity conversion measured
 * 4–6 weeks after the SQL (the SDR scorecard). Pure: the caller gives lead states and `now`.
 */
import type { LeadState } from '../domain/lead-state.js'
import type { Policy } from '../policy/policy-schema.js'
import type { ReportWindow } from './report-window.js'
import { isWithin } from './report-window.js'

export interface RejectionRates {
  readonly person: string
  readonly sqls: number
  readonly rejected: number
  readonly byCode: Readonly<Record<string, number>>
  /** Share of SQLs rejected under the policy's review codes, in percent. */
  readonly reviewCodeRate: number
  /** Over the policy threshold: a three-way review is due (diagnose, don't blame). */
  readonly flagged: boolean
}

interface HandoffFact {
  readonly sdrId: string | null
  readonly aeId: string | null
  readonly sqlAt: number
  readonly rejectionCode: string | null
  readonly becameOpportunity: boolean
}

/**
 * What the report reads of a lead; of its transitions only those to SQL and to opportunity
 * matter (the store gives just those, and only for leads that reached SQL).
 */
export type HandoffLead = Pick<LeadState, 'ownerId' | 'aeId' | 'transitions' | 'aeRejections'>

/** Every SQL of every lead, with the AE's rejection code if it was rejected. */
function handoffFacts(leads: Iterable<HandoffLead>): HandoffFact[] {
  const facts: HandoffFact[] = []
  for (const lead of leads) {
    const sqlTimes = lead.transitions
      .filter((transition) => transition.to === 'sql')
      .map((transition) => transition.at)
    sqlTimes.forEach((sqlAt, index) => {
      const until = sqlTimes[index + 1] ?? Number.POSITIVE_INFINITY
      const during = <T extends { at: number }>(items: readonly T[]): T | undefined =>
        items.find((item) => item.at >= sqlAt && item.at < until)
      const rejection = during(lead.aeRejections)
      facts.push({
        sdrId: lead.ownerId,
        aeId: rejection?.aeId ?? lead.aeId,
        sqlAt,
        rejectionCode: rejection?.code ?? null,
        becameOpportunity:
          during(lead.transitions.filter((transition) => transition.to === 'opportunity')) !==
          undefined,
      })
    })
  }
  return facts
}

function ratesBy(
  facts: readonly HandoffFact[],
  personOf: (fact: HandoffFact) => string | null,
  policy: Policy,
): RejectionRates[] {
  const { codes, rateAbove } = policy.rejection.aeRejectionReviewThreshold
  const people = new Map<string, HandoffFact[]>()
  for (const fact of facts) {
    const person = personOf(fact)
    if (person !== null) {
      people.set(person, [...(people.get(person) ?? []), fact])
    }
  }
  return [...people.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([person, own]) => {
      const byCode: Record<string, number> = {}
      for (const fact of own) {
        if (fact.rejectionCode !== null) {
          byCode[fact.rejectionCode] = (byCode[fact.rejectionCode] ?? 0) + 1
        }
      }
      const underReview = codes.reduce((sum, code) => sum + (byCode[code] ?? 0), 0)
      const reviewCodeRate = (100 * underReview) / own.length
      return {
        person,
        sqls: own.length,
        rejected: Object.values(byCode).reduce((sum, count) => sum + count, 0),
        byCode,
        reviewCodeRate,
        flagged: reviewCodeRate > rateAbove,
      }
    })
}

export interface HandoffReport {
  readonly byAe: readonly RejectionRates[]
  readonly bySdr: readonly RejectionRates[]
  /** SQLs created 4–6 weeks before `now`, and how many became opportunities. */
  readonly sqlToOpportunity: {
    readonly cohort: number
    readonly opportunities: number
    readonly rate: number | null
  }
}

const WEEK_MS = 7 * 86_400_000

/**
 * Rejection rates of the SQLs created within `window`; SQL → Opportunity for the SQLs created
 * 4–6 weeks before its end (`window.to` is the report's "now").
 */
export function handoffReport(
  leads: Iterable<HandoffLead>,
  policy: Policy,
  window: ReportWindow,
): HandoffReport {
  const facts = handoffFacts(leads)
  const now = window.to
  const cohort = facts.filter(
    (fact) => fact.sqlAt <= now - 4 * WEEK_MS && fact.sqlAt > now - 6 * WEEK_MS,
  )
  const opportunities = cohort.filter((fact) => fact.becameOpportunity).length
  const inWindow = facts.filter((fact) => isWithin(window, fact.sqlAt))
  return {
    byAe: ratesBy(inWindow, (fact) => fact.aeId, policy),
    bySdr: ratesBy(inWindow, (fact) => fact.sdrId, policy),
    sqlToOpportunity: {
      cohort: cohort.length,
      opportunities,
      rate: cohort.length === 0 ? null : (100 * opportunities) / cohort.length,
    },
  }
}
