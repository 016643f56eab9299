/**
 * The measurement every report uses (seed 000 section 11, seed 001 section 4): SLA compliance per
 * SLA item and overall, breaches per SLA item and overall, response compliance weighted by tier,
 * first-response times in business time (and their distribution over the response rubric's
 * bands), the cohorted MQL → SAL → SQL → Opportunity funnel, lead velocity, lead leakage, rep
 * response scores and rejection-feedback completion — each with the inputs of its formula and
 * its green/amber/red status against the policy. Conventions: docs/metrics.md. Pure: the caller
 * gives the leads' facts as of `asOf` (see `metricLeadOf`).
 */
import { durationMs } from '../../policy/duration.js'
import type { Policy, SlaItem } from '../../policy/policy-schema.js'
import { surgeStatus } from '../../routing/surge.js'
import { percentile } from '../escalation-report.js'
import type { ReportWindow } from '../report-window.js'
import { isWithin } from '../report-window.js'
import type { MetricLead, RejectionKind } from './metric-lead.js'
import type { RagStatus, RagThresholds, RatedRatio } from './rated-ratio.js'
import { ragStatus, ratedRatio, roundedPercent, thresholdsOf } from './rated-ratio.js'

/** Ids of the policy's thresholds (`metrics` or `measurement.thresholds`) each measure reads. */
const RATED_BY = {
  slaCompliance: 'sla-compliance',
  salAcceptance: 'mql-to-sal-rate',
  salToSql: 'sal-to-sql-conversion',
  mqlToSql: 'mql-to-sql-conversion',
  sqlToOpportunity: 'sql-to-opportunity-rate',
  mqlToOpportunity: 'mql-to-opportunity-rate',
  mqlQuality: 'mql-quality-rate',
  liveContact: 'mql-live-contact-rate',
  leadLeakage: 'lead-leakage-rate',
  overallBreach: 'overall-sla-breach-rate',
  repResponseScore: 'rep-response-score',
  rejectionFeedback: 'rejection-feedback-completion',
} as const

type LeadClock = MetricLead['clocks'][number]

export interface TierCompliance extends RatedRatio {
  readonly tier: string
}

/** How many first responses fell in one band of the policy's response rubric. */
export interface ResponseBand {
  readonly grade: string
  readonly points: number
  /** The band's bound in business milliseconds, included; null: the open-ended last band. */
  readonly withinMs: number | null
  readonly responses: number
}

/** First-response times of one tier (or all), in business milliseconds on the response clock. */
export interface ResponseTimes {
  /** Null: every tier. */
  readonly tier: string | null
  readonly responded: number
  readonly averageMs: number | null
  readonly medianMs: number | null
  /** Nearest rank: the time within which 90 % of the responses came. */
  readonly p90Ms: number | null
  /** The responses per band of `measurement.responseScoring`, in the policy's order. */
  readonly byBand: readonly ResponseBand[]
  /** Each response, fastest first. */
  readonly responses: readonly { readonly leadId: string; readonly businessMs: number }[]
  /** Decided without a valid touch (closed untouched, or past the breach threshold untouched). */
  readonly notResponded: readonly string[]
  /** Not touched yet, still before the breach threshold. */
  readonly pending: readonly string[]
}

/** What became of the cohort at each stage, as of the report's instant: each part sums to its stage. */
export interface CohortFunnel {
  readonly mql: number
  readonly sal: number
  readonly sql: number
  readonly opportunity: number
  /** Cohort MQLs whose opportunity closed won (the funnel's last stage; section 11 rates none). */
  readonly won: number
  readonly mqlOutcomes: {
    readonly accepted: number
    readonly rejected: number
    readonly closed: number
    readonly open: number
  }
  readonly salOutcomes: {
    readonly qualified: number
    readonly closed: number
    readonly open: number
  }
  readonly sqlOutcomes: {
    readonly opportunity: number
    readonly closed: number
    readonly open: number
  }
  readonly leads: {
    readonly mql: readonly string[]
    /** Cohort MQLs an SDR rejected with a reason code and that never reached SAL. */
    readonly rejected: readonly string[]
    readonly sal: readonly string[]
    readonly sql: readonly string[]
    readonly opportunity: readonly string[]
    readonly won: readonly string[]
  }
}

export interface LeadVelocity {
  readonly formula: string
  /** New MQLs of the period and of the period of equal length just before it. */
  readonly current: number
  readonly previous: number
  readonly previousWindow: ReportWindow | null
  /** Growth in percent, one decimal (may be negative or over 100); null without a previous count. */
  readonly value: number | null
}

export interface RepResponseScore {
  readonly repId: string
  readonly leads: number
  readonly points: number
  /** Leads × the best band's points. */
  readonly maxPoints: number
  readonly averagePoints: number | null
  /** 100 × points ÷ maxPoints, one decimal. */
  readonly value: number | null
  readonly status: RagStatus | null
  readonly thresholds: RagThresholds | null
  readonly byLead: readonly {
    readonly leadId: string
    readonly businessMs: number | null
    readonly points: number
    readonly grade: string
  }[]
  readonly pending: readonly string[]
}

/** Contact rate of the responses in one band of the response rubric (section 11's curve). */
export interface ContactBand {
  readonly grade: string
  /** The band's bound in business ms; null for the open-ended band and for no response. */
  readonly withinMs: number | null
  /** False for the rubric's `noResponse`: never validly touched. */
  readonly touched: boolean
  readonly contact: RatedRatio
}

/** A UTC day whose MQLs exceeded the policy's surge threshold (policy.surge, seed 001). */
export interface SurgeDay {
  readonly date: string
  readonly mqls: number
  readonly trailingAverage: number
  readonly threshold: number
}

/** Leads that came back as MQLs after a recycle, measured apart from new MQLs. */
export interface RecycledMqls {
  readonly cohort: CohortFunnel
  readonly salAcceptance: RatedRatio
  readonly mqlToSql: RatedRatio
  readonly mqlToOpportunity: RatedRatio
}

export interface MetricsReport {
  readonly window: ReportWindow
  /** Facts are as they stood at this instant (the period's end, or now if sooner). */
  readonly asOf: number
  /** The north star, first: cohort MQLs (new ones) that became an opportunity. */
  readonly mqlToOpportunity: RatedRatio
  readonly slaCompliance: { readonly items: readonly RatedRatio[]; readonly overall: RatedRatio }
  /** Per SLA item: leads whose clock of it went past the breach threshold ÷ leads with one. */
  readonly slaBreaches: readonly RatedRatio[]
  /** The SDR response items per tier; `weighted` pools them (each tier weighs by its leads). */
  readonly responseCompliance: {
    readonly tiers: readonly TierCompliance[]
    readonly weighted: RatedRatio
  }
  readonly firstResponse: {
    readonly tiers: readonly ResponseTimes[]
    readonly overall: ResponseTimes
  }
  readonly cohort: CohortFunnel
  readonly salAcceptance: RatedRatio
  readonly salToSql: RatedRatio
  readonly mqlToSql: RatedRatio
  readonly sqlToOpportunity: RatedRatio
  readonly mqlQuality: RatedRatio
  readonly liveContact: RatedRatio
  readonly leadVelocity: LeadVelocity
  readonly leadLeakage: RatedRatio
  readonly overallBreach: RatedRatio
  readonly repResponseScores: readonly RepResponseScore[]
  readonly rejectionFeedback: RatedRatio
  readonly recycled: RecycledMqls
  readonly contactByResponseTime: readonly ContactBand[]
  readonly surgeDays: readonly SurgeDay[]
}

/** The rated measures a summary shows, the north star first. */
export function headlineRatios(
  report: Pick<
    MetricsReport,
    | 'mqlToOpportunity'
    | 'slaCompliance'
    | 'responseCompliance'
    | 'salAcceptance'
    | 'salToSql'
    | 'mqlToSql'
    | 'sqlToOpportunity'
    | 'mqlQuality'
    | 'liveContact'
    | 'leadLeakage'
    | 'overallBreach'
    | 'rejectionFeedback'
  >,
): RatedRatio[] {
  return [
    report.mqlToOpportunity,
    report.slaCompliance.overall,
    report.responseCompliance.weighted,
    report.salAcceptance,
    report.salToSql,
    report.mqlToSql,
    report.sqlToOpportunity,
    report.mqlQuality,
    report.liveContact,
    report.leadLeakage,
    report.overallBreach,
    report.rejectionFeedback,
  ]
}

// ---------------------------------------------------------------------------------------------
// SLA compliance

type Verdict = 'met' | 'missed' | 'pending' | 'unmeasurable'

/** Met: stopped by its target; missed: stopped after it, or still running past it. */
function verdictOf(clock: LeadClock, asOf: number): Verdict {
  switch (clock.status) {
    case 'unable-to-run':
      return 'unmeasurable'
    case 'met':
    case 'missed':
      return clock.status
    default:
      return clock.targetAt !== null && clock.targetAt < asOf ? 'missed' : 'pending'
  }
}

interface ItemClock {
  readonly leadId: string
  readonly clock: LeadClock
  readonly verdict: Verdict
}

function clocksOf(
  leads: readonly MetricLead[],
  itemId: string,
  window: ReportWindow,
  asOf: number,
): ItemClock[] {
  return leads.flatMap((lead) =>
    lead.clocks
      .filter((clock) => clock.itemId === itemId && isWithin(window, clock.startedAt))
      .map((clock) => ({ leadId: lead.leadId, clock, verdict: verdictOf(clock, asOf) })),
  )
}

function complianceOf(
  id: string,
  name: string,
  clocks: readonly ItemClock[],
  unit: (clock: ItemClock) => string,
  thresholds: RagThresholds | null,
): RatedRatio {
  const units = (verdicts: readonly Verdict[]) =>
    clocks.filter((clock) => verdicts.includes(clock.verdict)).map(unit)
  return ratedRatio({
    id,
    name,
    formula:
      'clocks stopped by their target ÷ clocks decided (stopped, or past their target) × 100',
    numerator: units(['met']),
    denominator: units(['met', 'missed']),
    pending: units(['pending']),
    thresholds,
  })
}

function itemThresholds(policy: Policy, item: SlaItem): RagThresholds | null {
  const metric = policy.metrics.find((candidate) => candidate.slaItem === item.id)
  return thresholdsOf(policy, metric?.id ?? RATED_BY.slaCompliance)
}

/** Past its breach threshold: stopped after it, or still running past it at `asOf`. */
export function pastBreach(
  clock: Pick<LeadClock, 'stoppedAt' | 'breachAt'>,
  asOf: number,
): boolean {
  return clock.breachAt !== null && (clock.stoppedAt ?? asOf) > clock.breachAt
}

function breachesOf(
  id: string,
  name: string,
  clocks: readonly ItemClock[],
  asOf: number,
  thresholds: RagThresholds | null,
): RatedRatio {
  const measurable = clocks.filter((clock) => clock.verdict !== 'unmeasurable')
  return ratedRatio({
    id,
    name,
    formula: 'leads with a clock past its breach threshold ÷ leads with a clock × 100',
    numerator: measurable
      .filter((clock) => pastBreach(clock.clock, asOf))
      .map((clock) => clock.leadId),
    denominator: measurable.map((clock) => clock.leadId),
    thresholds,
  })
}

function slaCompliance(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  asOf: number,
): Pick<MetricsReport, 'slaCompliance' | 'slaBreaches' | 'responseCompliance' | 'overallBreach'> {
  const items = policy.slaItems.filter((item) => item.clock)
  const clocksByItem = new Map(
    items.map((item) => [item.id, clocksOf(leads, item.id, window, asOf)]),
  )
  const byLead = (clock: ItemClock): string => clock.leadId
  const perItem = items.map((item) =>
    complianceOf(
      item.id,
      item.name,
      clocksByItem.get(item.id) ?? [],
      byLead,
      itemThresholds(policy, item),
    ),
  )
  const responseItems = items.filter((item) => item.responseTier !== undefined)
  return {
    slaCompliance: {
      items: perItem,
      overall: complianceOf(
        'all-sla-items',
        'SLA compliance — every SLA item',
        [...clocksByItem.values()].flat(),
        (clock) => `${clock.leadId}/${clock.clock.itemId}`,
        thresholdsOf(policy, RATED_BY.slaCompliance),
      ),
    },
    // Section 11 rates only the overall breach rate: an item's has no thresholds of its own.
    slaBreaches: items.map((item) =>
      breachesOf(item.id, `${item.name} — breaches`, clocksByItem.get(item.id) ?? [], asOf, null),
    ),
    responseCompliance: {
      tiers: responseItems.map((item) => ({
        ...(perItem.find((ratio) => ratio.id === item.id) as RatedRatio),
        tier: item.responseTier ?? '',
      })),
      weighted: complianceOf(
        'sdr-response-weighted',
        'SDR response compliance — every tier, weighted by its leads',
        responseItems.flatMap((item) => clocksByItem.get(item.id) ?? []),
        byLead,
        thresholdsOf(policy, RATED_BY.slaCompliance),
      ),
    },
    overallBreach: breachesOf(
      RATED_BY.overallBreach,
      'Overall SLA breach rate',
      [...clocksByItem.values()].flat(),
      asOf,
      thresholdsOf(policy, RATED_BY.overallBreach),
    ),
  }
}

// ---------------------------------------------------------------------------------------------
// First response: times, leakage, rep scores

interface Response {
  readonly lead: MetricLead
  readonly tier: string
  /** When its response clock started. */
  readonly startedAt: number
  /** Business time to the first valid touch; null when not touched. */
  readonly businessMs: number | null
  /** Touched, closed untouched, or past its breach threshold untouched. */
  readonly decided: boolean
}

/** Each lead whose SDR response clock started within the window. */
function responses(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  asOf: number,
): Response[] {
  const tierOfItem = new Map(
    policy.slaItems.flatMap((item) =>
      item.responseTier === undefined ? [] : [[item.id, item.responseTier] as const],
    ),
  )
  return leads.flatMap((lead) =>
    lead.clocks.flatMap((clock) => {
      const tier = tierOfItem.get(clock.itemId)
      if (
        tier === undefined ||
        !isWithin(window, clock.startedAt) ||
        clock.status === 'unable-to-run'
      ) {
        return []
      }
      // The clock stops at the first valid touch; a clock stopped otherwise closed it untouched.
      const touched = clock.stoppedAt !== null && lead.validTouchesAt.includes(clock.stoppedAt)
      const decided = clock.stoppedAt !== null || (clock.breachAt !== null && clock.breachAt < asOf)
      return [
        {
          lead,
          tier,
          startedAt: clock.startedAt,
          businessMs: touched ? clock.elapsedMs : null,
          decided,
        },
      ]
    }),
  )
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) {
    return null
  }
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Responses per rubric band; past a bounded last band they are graded as no response. */
function responsesByBand(policy: Policy, times: readonly number[]): ResponseBand[] {
  const { bands, noResponse } = policy.measurement.responseScoring
  const bandOfTime = times.map((ms) => bandIndexOf(policy, ms))
  const beyondLast = bands.at(-1)?.within === undefined ? [] : [noResponse]
  return [...bands, ...beyondLast].map((band, index) => {
    return {
      grade: band.grade,
      points: band.points,
      withinMs: bandBoundMs(bands[index]),
      responses: bandOfTime.filter((of) => of === index).length,
    }
  })
}

function responseTimes(
  policy: Policy,
  tier: string | null,
  of: readonly Response[],
): ResponseTimes {
  const answered = of
    .flatMap((response) =>
      response.businessMs === null
        ? []
        : [{ leadId: response.lead.leadId, businessMs: response.businessMs }],
    )
    .sort((a, b) => a.businessMs - b.businessMs || (a.leadId < b.leadId ? -1 : 1))
  const times = answered.map((response) => response.businessMs)
  const unanswered = (decided: boolean) =>
    of
      .filter((response) => response.businessMs === null && response.decided === decided)
      .map((response) => response.lead.leadId)
      .sort()
  return {
    tier,
    responded: answered.length,
    averageMs: times.length === 0 ? null : times.reduce((sum, ms) => sum + ms, 0) / times.length,
    medianMs: median(times),
    p90Ms: times.length === 0 ? null : percentile(times, 90),
    byBand: responsesByBand(policy, times),
    responses: answered,
    notResponded: unanswered(true),
    pending: unanswered(false),
  }
}

function firstResponse(policy: Policy, all: readonly Response[]): MetricsReport['firstResponse'] {
  const tiers = Object.keys(policy.responseTiers)
  return {
    tiers: tiers.map((tier) =>
      responseTimes(
        policy,
        tier,
        all.filter((response) => response.tier === tier),
      ),
    ),
    overall: responseTimes(policy, null, all),
  }
}

function leadLeakage(policy: Policy, all: readonly Response[]): RatedRatio {
  const decided = all.filter((response) => response.decided)
  return ratedRatio({
    id: RATED_BY.leadLeakage,
    name: 'Lead leakage — MQLs never validly touched',
    formula: '(MQLs assigned − MQLs with a valid first touch) ÷ MQLs assigned × 100',
    numerator: decided
      .filter((response) => response.businessMs === null)
      .map((response) => response.lead.leadId),
    denominator: decided.map((response) => response.lead.leadId),
    pending: all.filter((response) => !response.decided).map((response) => response.lead.leadId),
    thresholds: thresholdsOf(policy, RATED_BY.leadLeakage),
  })
}

type ScoringBand = Policy['measurement']['responseScoring']['noResponse']

/**
 * Which of the rubric's bands a first-response time falls in: its index, or the number of bands
 * for `noResponse` (never touched, or slower than a last band that has a bound).
 */
function bandIndexOf(policy: Policy, businessMs: number | null): number {
  const { bands } = policy.measurement.responseScoring
  const index =
    businessMs === null
      ? -1
      : bands.findIndex((band) => {
          const bound = bandBoundMs(band)
          return bound === null || businessMs <= bound
        })
  return index === -1 ? bands.length : index
}

/** A rubric band's bound in business ms; null for an unbounded band or the no-response grade. */
function bandBoundMs(
  band: Policy['measurement']['responseScoring']['bands'][number] | undefined,
): number | null {
  // Bands are business minutes or hours (checked with the policy): no business-day length needed.
  return band?.within === undefined ? null : durationMs(band.within, Number.NaN)
}

function bandOf(policy: Policy, businessMs: number | null): ScoringBand {
  const { bands, noResponse } = policy.measurement.responseScoring
  const band = bands[bandIndexOf(policy, businessMs)]
  return band === undefined ? noResponse : { points: band.points, grade: band.grade }
}

/**
 * Section 11's contact rate against first-response time: per band of the response rubric, the
 * decided responses whose lead had a live conversation after its response clock started.
 */
function contactByResponseTime(policy: Policy, all: readonly Response[]): ContactBand[] {
  const { bands, noResponse } = policy.measurement.responseScoring
  const decided = all.filter((response) => response.decided)
  const thresholds = thresholdsOf(policy, RATED_BY.liveContact)
  return [...bands, noResponse].map((band, index) => {
    const inBand = decided.filter((response) => bandIndexOf(policy, response.businessMs) === index)
    return {
      grade: band.grade,
      withinMs: bandBoundMs(bands[index]),
      touched: index < bands.length,
      contact: ratedRatio({
        id: `contact-rate-${index + 1}`,
        name: `Live contact rate — first response ${band.grade}`,
        formula:
          'decided responses in the band whose lead had a live conversation (outcome connected) after its response clock started ÷ decided responses in the band × 100',
        numerator: inBand
          .filter((response) => response.lead.connectsAt.some((at) => at >= response.startedAt))
          .map((response) => response.lead.leadId),
        denominator: inBand.map((response) => response.lead.leadId),
        thresholds,
      }),
    }
  })
}

function repResponseScores(policy: Policy, all: readonly Response[]): RepResponseScore[] {
  const best = Math.max(...policy.measurement.responseScoring.bands.map((band) => band.points))
  const thresholds = thresholdsOf(policy, RATED_BY.repResponseScore)
  const reps = new Map<string, Response[]>()
  for (const response of all) {
    const rep = response.lead.ownerId
    if (rep !== null) {
      reps.set(rep, [...(reps.get(rep) ?? []), response])
    }
  }
  return [...reps.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([repId, own]) => {
      const byLead = own
        .filter((response) => response.decided)
        .map((response) => ({
          leadId: response.lead.leadId,
          businessMs: response.businessMs,
          ...bandOf(policy, response.businessMs),
        }))
        .sort((a, b) => (a.leadId < b.leadId ? -1 : 1))
      const points = byLead.reduce((sum, lead) => sum + lead.points, 0)
      const maxPoints = byLead.length * best
      return {
        repId,
        leads: byLead.length,
        points,
        maxPoints,
        averagePoints: byLead.length === 0 ? null : Math.round((10 * points) / byLead.length) / 10,
        value: roundedPercent(points, maxPoints),
        status:
          maxPoints === 0 || thresholds === null
            ? null
            : ragStatus((100 * points) / maxPoints, thresholds),
        thresholds,
        byLead,
        pending: own
          .filter((response) => !response.decided)
          .map((response) => response.lead.leadId)
          .sort(),
      }
    })
}

// ---------------------------------------------------------------------------------------------
// The cohort funnel, velocity, quality and live contact

interface CohortLead {
  readonly lead: MetricLead
  readonly mqlAt: number
  /** The furthest funnel stage reached since that MQL (its policy stage number). */
  readonly reached: number
  /** The stage it is in at the report's instant. */
  readonly stage: string
}

function firstMqlAt(lead: MetricLead): number | undefined {
  return lead.transitions.find((transition) => transition.to === 'mql')?.at
}

function stageNumbers(policy: Policy): Map<string, number> {
  return new Map(
    policy.stages.flatMap((stage) =>
      stage.number === undefined ? [] : [[stage.id, stage.number] as const],
    ),
  )
}

/** When a lead came back as an MQL after a recycle within the window: its first such MQL. */
function recycledMqlAt(lead: MetricLead, window: ReportWindow): number | undefined {
  return lead.transitions
    .filter((transition) => transition.to === 'mql')
    .slice(1)
    .find((transition) => isWithin(window, transition.at))?.at
}

/** The cohort of the window: leads whose MQL `mqlAtOf` picks falls within it. */
function cohortOf(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  mqlAtOf: (lead: MetricLead) => number | undefined,
): CohortLead[] {
  const numbers = stageNumbers(policy)
  return leads.flatMap((lead) => {
    const mqlAt = mqlAtOf(lead)
    if (mqlAt === undefined || !isWithin(window, mqlAt)) {
      return []
    }
    const reached = Math.max(
      ...lead.transitions
        .filter((transition) => transition.at >= mqlAt)
        .map((transition) => numbers.get(transition.to) ?? 0),
    )
    return [{ lead, mqlAt, reached, stage: lead.transitions.at(-1)?.to ?? 'mql' }]
  })
}

function cohortFunnel(policy: Policy, cohort: readonly CohortLead[]): CohortFunnel {
  const numbers = stageNumbers(policy)
  const reachedStage = (stage: string) => {
    const number = numbers.get(stage) ?? Infinity
    return cohort.filter((member) => member.reached >= number)
  }
  const ids = (members: readonly CohortLead[]) => members.map((member) => member.lead.leadId).sort()
  const [sal, sql, opportunity, won] = [
    reachedStage('sal'),
    reachedStage('sql'),
    reachedStage('opportunity'),
    reachedStage('closed-won'),
  ]
  const rejected = cohort.filter(
    (member) =>
      !sal.includes(member) &&
      member.lead.codedRejections.some(
        (rejection) => rejection.kind === 'sal' && rejection.at >= member.mqlAt,
      ),
  )
  const openIn = (stage: string, members: readonly CohortLead[]) =>
    members.filter((member) => member.stage === stage)
  const mqlOpen = openIn(
    'mql',
    cohort.filter((member) => !sal.includes(member) && !rejected.includes(member)),
  )
  const salOpen = openIn(
    'sal',
    sal.filter((member) => !sql.includes(member)),
  )
  const sqlOpen = openIn(
    'sql',
    sql.filter((member) => !opportunity.includes(member)),
  )
  return {
    mql: cohort.length,
    sal: sal.length,
    sql: sql.length,
    opportunity: opportunity.length,
    won: won.length,
    mqlOutcomes: {
      accepted: sal.length,
      rejected: rejected.length,
      closed: cohort.length - sal.length - rejected.length - mqlOpen.length,
      open: mqlOpen.length,
    },
    salOutcomes: {
      qualified: sql.length,
      closed: sal.length - sql.length - salOpen.length,
      open: salOpen.length,
    },
    sqlOutcomes: {
      opportunity: opportunity.length,
      closed: sql.length - opportunity.length - sqlOpen.length,
      open: sqlOpen.length,
    },
    leads: {
      mql: ids(cohort),
      rejected: ids(rejected),
      sal: ids(sal),
      sql: ids(sql),
      opportunity: ids(opportunity),
      won: ids(won),
    },
  }
}

function stageRatio(
  policy: Policy,
  id: string,
  name: string,
  formula: string,
  numerator: readonly string[],
  denominator: readonly string[],
): RatedRatio {
  return ratedRatio({
    id,
    name,
    formula,
    numerator,
    denominator,
    thresholds: thresholdsOf(policy, id),
  })
}

function previousWindow(window: ReportWindow): ReportWindow | null {
  const span = window.to - window.from
  return Number.isFinite(span) ? { from: window.from - span, to: window.from } : null
}

function leadVelocity(leads: readonly MetricLead[], window: ReportWindow): LeadVelocity {
  const before = previousWindow(window)
  const newMqls = (within: ReportWindow) =>
    leads.filter((lead) => {
      const at = firstMqlAt(lead)
      return at !== undefined && isWithin(within, at)
    }).length
  const current = newMqls(window)
  const previous = before === null ? 0 : newMqls(before)
  return {
    formula:
      '(new MQLs this period − new MQLs the period before) ÷ new MQLs the period before × 100',
    current,
    previous,
    previousWindow: before,
    value: previous === 0 ? null : roundedPercent(current - previous, previous),
  }
}

// ---------------------------------------------------------------------------------------------
// Rejection feedback

function rejectionFeedback(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
): RatedRatio {
  const unit = (leadId: string, kind: RejectionKind, at: number) =>
    `${leadId}/${kind}-rejection@${new Date(at).toISOString()}`
  const complete = leads.flatMap((lead) =>
    lead.codedRejections
      .filter((rejection) => isWithin(window, rejection.at))
      .map((rejection) => unit(lead.leadId, rejection.kind, rejection.at)),
  )
  // A refused attempt the rep then made again with a code is the same rejection, completed.
  const abandoned = leads.flatMap((lead) =>
    lead.refusedRejections
      .filter(
        (refusal) =>
          isWithin(window, refusal.at) &&
          !lead.codedRejections.some(
            (rejection) => rejection.kind === refusal.kind && rejection.at >= refusal.at,
          ),
      )
      .map((refusal) => unit(lead.leadId, refusal.kind, refusal.at)),
  )
  return ratedRatio({
    id: RATED_BY.rejectionFeedback,
    name: 'Rejection feedback completion',
    formula:
      'rejections recorded with a reason code ÷ (those + rejections refused for want of a code and never completed) × 100',
    numerator: complete,
    denominator: [...complete, ...abandoned],
    thresholds: thresholdsOf(policy, RATED_BY.rejectionFeedback),
  })
}

// ---------------------------------------------------------------------------------------------
// Surges

const DAY_MS = 86_400_000
const dateOf = (at: number): string => new Date(at).toISOString().slice(0, 10)

/**
 * The UTC days overlapping the window on which the MQLs (new and recycled) exceeded the policy's
 * surge threshold, as routing judges it (`surgeStatus`: volumeMultiple × the trailing average).
 */
export function surgeDaysOf(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
): SurgeDay[] {
  const counts = new Map<string, number>()
  let first = Infinity
  let last = -Infinity
  for (const lead of leads) {
    for (const transition of lead.transitions) {
      if (transition.to === 'mql') {
        const day = Math.floor(transition.at / DAY_MS) * DAY_MS
        counts.set(dateOf(day), (counts.get(dateOf(day)) ?? 0) + 1)
        first = Math.min(first, day)
        last = Math.max(last, day)
      }
    }
  }
  const days: SurgeDay[] = []
  const start = Math.max(first, Math.floor(window.from / DAY_MS) * DAY_MS)
  for (let day = start; day <= last && day < window.to; day += DAY_MS) {
    const status = surgeStatus(counts, dateOf(day), policy)
    if (status.active) {
      days.push({
        date: dateOf(day),
        mqls: status.todayCount,
        trailingAverage: status.trailingAverage,
        threshold: status.threshold,
      })
    }
  }
  return days
}

// ---------------------------------------------------------------------------------------------

/**
 * Every measure for the period `window` (`from` inclusive, `to` exclusive), from the leads' facts
 * as of `asOf` (normally `window.to`, or now while the period runs).
 */
export function measureMetrics(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  asOf: number,
): MetricsReport {
  const answered = responses(policy, leads, window, asOf)
  const cohort = cohortOf(policy, leads, window, firstMqlAt)
  const funnel = cohortFunnel(policy, cohort)
  const { mql, rejected, sal, sql, opportunity } = funnel.leads
  return {
    window,
    asOf,
    mqlToOpportunity: mqlToOpportunity(policy, funnel),
    ...slaCompliance(policy, leads, window, asOf),
    firstResponse: firstResponse(policy, answered),
    cohort: funnel,
    salAcceptance: stageRatio(
      policy,
      RATED_BY.salAcceptance,
      'SAL acceptance',
      'cohort MQLs accepted by an SDR (reached SAL) ÷ cohort MQLs × 100',
      sal,
      mql,
    ),
    salToSql: stageRatio(
      policy,
      RATED_BY.salToSql,
      'SAL to SQL conversion',
      'cohort SALs that reached SQL ÷ cohort SALs × 100',
      sql,
      sal,
    ),
    mqlToSql: stageRatio(
      policy,
      RATED_BY.mqlToSql,
      'MQL to SQL conversion',
      'cohort MQLs that reached SQL ÷ cohort MQLs × 100',
      sql,
      mql,
    ),
    sqlToOpportunity: stageRatio(
      policy,
      RATED_BY.sqlToOpportunity,
      'SQL to Opportunity',
      'cohort SQLs that became an opportunity ÷ cohort SQLs × 100',
      opportunity,
      sql,
    ),
    mqlQuality: stageRatio(
      policy,
      RATED_BY.mqlQuality,
      'MQL quality',
      '(cohort MQLs − those an SDR rejected with a code) ÷ cohort MQLs × 100',
      mql.filter((leadId) => !rejected.includes(leadId)),
      mql,
    ),
    liveContact: stageRatio(
      policy,
      RATED_BY.liveContact,
      'MQL live contact rate',
      'cohort MQLs with a live conversation (activity outcome connected) ÷ cohort MQLs × 100',
      cohort
        .filter((member) => member.lead.connectsAt.some((at) => at >= member.mqlAt))
        .map((member) => member.lead.leadId),
      mql,
    ),
    leadVelocity: leadVelocity(leads, window),
    leadLeakage: leadLeakage(policy, answered),
    repResponseScores: repResponseScores(policy, answered),
    rejectionFeedback: rejectionFeedback(policy, leads, window),
    recycled: recycledMqls(policy, leads, window),
    contactByResponseTime: contactByResponseTime(policy, answered),
    surgeDays: surgeDaysOf(policy, leads, window),
  }
}

function mqlToOpportunity(policy: Policy, funnel: CohortFunnel): RatedRatio {
  return stageRatio(
    policy,
    RATED_BY.mqlToOpportunity,
    'MQL to Opportunity',
    'cohort MQLs that became an opportunity ÷ cohort MQLs × 100',
    funnel.leads.opportunity,
    funnel.leads.mql,
  )
}

/** The same funnel for the leads whose MQL after a recycle fell in the window. */
function recycledMqls(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
): RecycledMqls {
  const funnel = cohortFunnel(
    policy,
    cohortOf(policy, leads, window, (lead) => recycledMqlAt(lead, window)),
  )
  const { mql, sal, sql, opportunity } = funnel.leads
  const ofRecycled = (id: string, name: string, reached: string, numerator: readonly string[]) =>
    stageRatio(
      policy,
      id,
      `${name} — recycled MQLs`,
      `recycled MQLs that ${reached} ÷ recycled MQLs of the period × 100`,
      numerator,
      mql,
    )
  return {
    cohort: funnel,
    salAcceptance: ofRecycled(RATED_BY.salAcceptance, 'SAL acceptance', 'reached SAL', sal),
    mqlToSql: ofRecycled(RATED_BY.mqlToSql, 'MQL to SQL conversion', 'reached SQL', sql),
    mqlToOpportunity: ofRecycled(
      RATED_BY.mqlToOpportunity,
      'MQL to Opportunity',
      'became an opportunity',
      opportunity,
    ),
  }
}
