/**
 * Use case: the metrics of a period (`GET /reports/metrics`, `leadclock report metrics`): every
 * lead that became an MQL, its facts derived as of the period's end (or now, while the period
 * runs), measured by `measureMetrics` — whole, cut by a dimension, or week by week — and the
 * reports as JSON with ISO 8601 instants.
 */
import type { LeadScope } from '../access/access-roles.js'
import { scopeIncludes } from '../access/access-roles.js'
import type { ClockEventEffect } from '../domain/lead-snapshot.js'
import { isClockEvent } from '../domain/lead-snapshot.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import { withOwnerCalendars } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { MetricsCut, MetricsTrend } from '../reports/metrics/metric-cuts.js'
import { cutMetrics, metricsTrend } from '../reports/metrics/metric-cuts.js'
import type { MetricLead } from '../reports/metrics/metric-lead.js'
import type { CutDimension } from '../reports/metrics/metric-options.js'
import { metricLeadOf } from '../reports/metrics/metric-lead.js'
import type { MetricsReport } from '../reports/metrics/metrics-report.js'
import { measureMetrics } from '../reports/metrics/metrics-report.js'
import type { ReportWindow } from '../reports/report-window.js'
import { asOfInstant } from '../reports/report-window.js'
import type { LeadRepository } from './lead-repository.js'

const ALL_LEADS: LeadScope = { kind: 'all' }

/** The period when `from` is not given: the 30 days before `to` (the API's and the CLI's default). */
export const DEFAULT_METRICS_SPAN_MS = 30 * 86_400_000

export interface MetricsDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  readonly calendars: CalendarSet
  /** The team, for `calendar: owner` clocks (the AE's working hours…). */
  readonly roster?: () => Roster
}

/** A trend's period: `weeks` whole weeks before `to` (by default the policy's `trendWeeks`). */
export const trendWindow = (policy: Policy, to: number, weeks?: number): ReportWindow => ({
  from: to - (weeks ?? policy.measurement.trendWeeks) * 7 * 86_400_000,
  to,
})

/** The period's report of the leads in `scope` (all of them by default; a caller's own ones). */
export async function metricsReportFor(
  deps: MetricsDependencies,
  window: ReportWindow,
  now: number,
  scope: LeadScope = ALL_LEADS,
): Promise<MetricsReport> {
  const asOf = asOfInstant(window, now)
  return measureMetrics(deps.policy, await metricLeadsAsOf(deps, asOf, scope), window, asOf)
}

/** The whole period's report, and every measure per value of `dimension`. */
export async function metricsCutFor(
  deps: MetricsDependencies,
  window: ReportWindow,
  now: number,
  dimension: CutDimension,
): Promise<{ readonly report: MetricsReport; readonly cut: MetricsCut }> {
  const asOf = asOfInstant(window, now)
  const leads = await metricLeadsAsOf(deps, asOf)
  return {
    report: measureMetrics(deps.policy, leads, window, asOf),
    cut: cutMetrics(deps.policy, leads, window, asOf, dimension),
  }
}

export async function metricsTrendFor(
  deps: MetricsDependencies,
  window: ReportWindow,
  now: number,
): Promise<MetricsTrend> {
  const asOf = asOfInstant(window, now)
  return metricsTrend(deps.policy, await metricLeadsAsOf(deps, asOf), window, asOf)
}

async function metricLeadsAsOf(
  deps: MetricsDependencies,
  asOf: number,
  scope: LeadScope = ALL_LEADS,
): Promise<MetricLead[]> {
  const roster = deps.roster?.()
  const calendars =
    roster === undefined ? deps.calendars : withOwnerCalendars(deps.calendars, roster.people)
  // A person's team is their manager's: the SDR manager's team, the AE manager's team.
  const teams = new Map(
    (roster?.people ?? []).flatMap((person) =>
      person.managerId === null ? [] : [[person.id, person.managerId] as const],
    ),
  )
  const leads = []
  for (const source of await deps.repository.reports.listMetricSources()) {
    if (!scopeIncludes(scope, source.state.ownerId)) {
      continue
    }
    const clockEffects =
      source.clockEffects ?? (await replayedClockEffects(deps, source.state.leadId))
    leads.push(metricLeadOf(deps.policy, calendars, source.state, clockEffects, asOf, teams))
  }
  return leads
}

/** A row written before folds were stored: its clock moments come from replaying its events. */
async function replayedClockEffects(
  deps: MetricsDependencies,
  leadId: string,
): Promise<ClockEventEffect[]> {
  const { effects } = replayLead(
    await deps.repository.listLeadEvents(leadId),
    deps.policy,
    'validated',
  )
  return effects.filter(isClockEvent)
}

const iso = (at: number): string | null => (Number.isFinite(at) ? new Date(at).toISOString() : null)
const windowJson = (window: ReportWindow) => ({ from: iso(window.from), to: iso(window.to) })

/** The report with its instants as ISO 8601 UTC (an unbounded `from` is null); durations stay ms. */
export function metricsReportJson(report: MetricsReport) {
  const { previousWindow } = report.leadVelocity
  return {
    ...report,
    window: windowJson(report.window),
    asOf: iso(report.asOf),
    leadVelocity: {
      ...report.leadVelocity,
      previousWindow: previousWindow === null ? null : windowJson(previousWindow),
    },
  }
}

/** The whole report with `cut`: each value's report, as `metricsReportJson` writes it. */
export function metricsCutJson({ report, cut }: { report: MetricsReport; cut: MetricsCut }) {
  return {
    ...metricsReportJson(report),
    cut: {
      dimension: cut.dimension,
      values: cut.values.map((value) => ({ ...value, metrics: metricsReportJson(value.metrics) })),
    },
  }
}

export function metricsTrendJson(trend: MetricsTrend) {
  return {
    ...trend,
    window: windowJson(trend.window),
    asOf: iso(trend.asOf),
    weeks: trend.weeks.map((week) => ({ ...week, window: windowJson(week.window) })),
  }
}
