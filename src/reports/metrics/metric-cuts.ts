/**
 * M2's cuts and trends: every measure of `measureMetrics` per value of a cut (tier, source, ACV
 * tier, segment, region, team, owner, policy version), and week by week over a period. Both split
 * the same facts without overlap, so the parts add up to the whole (docs/metrics.md). Pure.
 */
import type { ReportWindow } from '../report-window.js'
import { isWithin } from '../report-window.js'
import type { Policy } from '../../policy/policy-schema.js'
import type { MetricLead } from './metric-lead.js'
import type { CutDimension } from './metric-options.js'
import type { MetricsReport, SurgeDay } from './metrics-report.js'
import { headlineRatios, measureMetrics, surgeDaysOf } from './metrics-report.js'
import type { RagStatus } from './rated-ratio.js'

export interface CutValue {
  /** The cut's value; null for the leads that have none (no segment, no owner…). */
  readonly value: string | null
  /** Leads of this value active in the period (see `isActiveIn`). */
  readonly leads: number
  readonly metrics: MetricsReport
}

export interface MetricsCut {
  readonly dimension: CutDimension
  /** By value, null last. */
  readonly values: readonly CutValue[]
}

/**
 * Whether anything of the lead counts in the window: a stage change, an SLA clock started, a
 * rejection. A lead with none adds nothing to any ratio of the window.
 */
function isActiveIn(lead: MetricLead, window: ReportWindow): boolean {
  return (
    lead.transitions.some((transition) => isWithin(window, transition.at)) ||
    lead.clocks.some((clock) => isWithin(window, clock.startedAt)) ||
    [...lead.codedRejections, ...lead.refusedRejections].some((rejection) =>
      isWithin(window, rejection.at),
    )
  )
}

/** Every measure per value of `dimension`, each from that value's leads alone. */
export function cutMetrics(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  asOf: number,
  dimension: CutDimension,
): MetricsCut {
  const byValue = new Map<string | null, MetricLead[]>()
  for (const lead of leads) {
    const value = lead.cuts[dimension]
    byValue.set(value, [...(byValue.get(value) ?? []), lead])
  }
  const values = [...byValue.entries()]
    .filter(([, own]) => own.some((lead) => isActiveIn(lead, window)))
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([value, own]) => ({
      value,
      leads: own.filter((lead) => isActiveIn(lead, window)).length,
      metrics: measureMetrics(policy, own, window, asOf),
    }))
  return { dimension, values }
}

// ---------------------------------------------------------------------------------------------
// Trends

const WEEK_MS = 7 * 86_400_000

/** The window in consecutive 7-day buckets from its start; the last is shorter when it must be. */
export function weeklyWindows(window: ReportWindow): ReportWindow[] {
  if (!Number.isFinite(window.from) || !Number.isFinite(window.to)) {
    throw new RangeError('weeklyWindows: a trend needs a bounded period')
  }
  const weeks: ReportWindow[] = []
  for (let from = window.from; from < window.to; from += WEEK_MS) {
    weeks.push({ from, to: Math.min(from + WEEK_MS, window.to) })
  }
  return weeks
}

/** A rated measure in one week: its inputs, value and status, without the lead lists. */
export interface TrendPoint {
  readonly id: string
  readonly name: string
  readonly numerator: number
  readonly denominator: number
  readonly value: number | null
  readonly status: RagStatus | null
}

export interface TrendWeek {
  readonly window: ReportWindow
  /** New MQLs (a lead's first) and MQLs back after a recycle, in the week. */
  readonly newMqls: number
  readonly recycledMqls: number
  /** The surge days overlapping the week (policy.surge): a week with any is a surge week. */
  readonly surge: boolean
  readonly surgeDays: readonly string[]
  /** Headline measures, the north star (MQL → Opportunity) first. */
  readonly measures: readonly TrendPoint[]
  readonly firstResponse: {
    readonly responded: number
    readonly averageMs: number | null
    readonly medianMs: number | null
  }
}

export interface MetricsTrend {
  readonly window: ReportWindow
  readonly asOf: number
  readonly weeks: readonly TrendWeek[]
  /** Every surge day of the period, with its count and threshold. */
  readonly surgeDays: readonly SurgeDay[]
}

/**
 * The period week by week (`weeklyWindows`). Every week is measured from the same facts, as of
 * `asOf`, so the weeks' numerators and denominators add up to the period's.
 */
export function metricsTrend(
  policy: Policy,
  leads: readonly MetricLead[],
  window: ReportWindow,
  asOf: number,
): MetricsTrend {
  const surgeDays = surgeDaysOf(policy, leads, window)
  return {
    window,
    asOf,
    weeks: weeklyWindows(window).map((week) => {
      const report = measureMetrics(policy, leads, week, asOf)
      const days = report.surgeDays.map((day) => day.date)
      const { responded, averageMs, medianMs } = report.firstResponse.overall
      return {
        window: week,
        newMqls: report.cohort.mql,
        recycledMqls: report.recycled.cohort.mql,
        surge: days.length > 0,
        surgeDays: days,
        measures: headlineRatios(report).map(
          ({ id, name, numerator, denominator, value, status }) => ({
            id,
            name,
            numerator,
            denominator,
            value,
            status,
          }),
        ),
        firstResponse: { responded, averageMs, medianMs },
      }
    }),
    surgeDays,
  }
}
