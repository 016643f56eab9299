/**
 * `leadclock report metrics [--from] [--to] [--cut DIMENSION | --trend [--weeks N]]
 * [--format json|text]`. While a server holds the embedded store, the report comes from its
 * `GET /reports/metrics` (or `/reports/metrics/trends`) with this machine's CLI token; otherwise it
 * is computed from the store. Both give the same JSON (`metricsReportJson`, `metricsCutJson`,
 * `metricsTrendJson`).
 */
import type { ReadDependencies } from '../app/read-lead.js'
import type * as MetricsUseCases from '../app/metrics-report.js'
import type { metricsCutJson, metricsReportJson, metricsTrendJson } from '../app/metrics-report.js'
import { instantQuerySchema } from '../domain/instant.js'
import type { ReportWindow } from '../reports/report-window.js'
import { reportWindow } from '../http/report-window.query.js'
import type { CutDimension } from '../reports/metrics/metric-options.js'
import { headlineRatios } from '../reports/metrics/metrics-report.js'
import type { RatedRatio } from '../reports/metrics/rated-ratio.js'
import type { CliOutput } from './cli-output.js'
import { askServer, heldServer, problemDetail } from './held-server.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { textTable } from './text-table.js'

export interface ReportOptions extends RuntimeOptions {
  /** ISO 8601 dates or instants, as given (checked here, so registering loads no schema). */
  readonly from?: string
  readonly to?: string
  readonly cut?: CutDimension
  readonly trend?: boolean
  readonly weeks?: number
  readonly format: 'json' | 'text'
}

/** The period's bounds as epoch ms (undefined: not given). */
interface Period {
  readonly from?: number
  readonly to?: number
}

/** The given bounds, or a usage error naming the option and the forms it accepts. */
function periodOf(options: ReportOptions, output: CliOutput): Period | undefined {
  const period: { from?: number; to?: number } = {}
  for (const name of ['from', 'to'] as const) {
    const value = options[name]
    if (value === undefined) {
      continue
    }
    const parsed = instantQuerySchema.safeParse(value)
    if (!parsed.success) {
      output.error(
        `error: option '--${name} <when>' argument '${value}' is invalid. ${parsed.error.issues[0]?.message ?? ''}`,
      )
      output.exitCode(2)
      return undefined
    }
    period[name] = parsed.data
  }
  return period
}

type MetricsJson = ReturnType<typeof metricsReportJson>
type CutJson = ReturnType<typeof metricsCutJson>
type TrendJson = ReturnType<typeof metricsTrendJson>
type MetricsModule = typeof MetricsUseCases

/** One request: its API path and query, and the same computed from the store. */
interface MetricsRequest<T> {
  readonly path: string
  readonly query: Readonly<Record<string, string | number | undefined>>
  /** The report, or undefined after printing why not (exit code set). */
  compute(
    metrics: MetricsModule,
    deps: ReadDependencies,
    now: number,
    output: CliOutput,
  ): Promise<T | undefined>
}

async function fromServer<T>(options: ReportOptions, request: MetricsRequest<T>) {
  const server = await heldServer(options)
  if (server === undefined) {
    return undefined
  }
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(request.query)) {
    if (value !== undefined) {
      query.set(name, String(value))
    }
  }
  const path = `${request.path}${query.size === 0 ? '' : `?${query.toString()}`}`
  const response = await askServer(server, 'GET', path)
  if (!response.ok) {
    throw new Error(
      `${server.url}${path} answered ${response.status}: ${await problemDetail(response)}`,
    )
  }
  return { report: (await response.json()) as T }
}

async function fromStore<T>(
  options: ReportOptions,
  request: MetricsRequest<T>,
  output: CliOutput,
): Promise<T | undefined> {
  const [{ withRuntime }, { readDependenciesOf }, metrics] = await Promise.all([
    import('./runtime-actions.js'),
    import('../main.js'),
    import('../app/metrics-report.js'),
  ])
  let report: T | undefined
  await withRuntime(options, async (runtime) => {
    report = await request.compute(metrics, readDependenciesOf(runtime), runtime.now(), output)
  })
  return report
}

const isoOf = (at: number | undefined): string | undefined =>
  at === undefined ? undefined : new Date(at).toISOString()

/** The period of `--from`/`--to`, or undefined after saying it ends before it starts. */
function checkedWindow(
  period: Period,
  now: number,
  defaultSpanMs: number,
  output: CliOutput,
): ReportWindow | undefined {
  const window = reportWindow(period, now, defaultSpanMs)
  if (window.from < window.to) {
    return window
  }
  output.error(
    `--from (${new Date(window.from).toISOString()}) must be before --to (${new Date(window.to).toISOString()})`,
  )
  output.exitCode(1)
  return undefined
}

function periodRequest(period: Period): MetricsRequest<MetricsJson> {
  return {
    path: '/reports/metrics',
    query: { from: isoOf(period.from), to: isoOf(period.to) },
    async compute(metrics, deps, now, output) {
      const window = checkedWindow(period, now, metrics.DEFAULT_METRICS_SPAN_MS, output)
      return window && metrics.metricsReportJson(await metrics.metricsReportFor(deps, window, now))
    },
  }
}

function cutRequest(period: Period, dimension: CutDimension): MetricsRequest<CutJson> {
  return {
    path: '/reports/metrics',
    query: { from: isoOf(period.from), to: isoOf(period.to), cut: dimension },
    async compute(metrics, deps, now, output) {
      const window = checkedWindow(period, now, metrics.DEFAULT_METRICS_SPAN_MS, output)
      return (
        window && metrics.metricsCutJson(await metrics.metricsCutFor(deps, window, now, dimension))
      )
    },
  }
}

function trendRequest(period: Period, weeks: number | undefined): MetricsRequest<TrendJson> {
  return {
    path: '/reports/metrics/trends',
    query: { to: isoOf(period.to), weeks },
    async compute(metrics, deps, now) {
      const window = metrics.trendWindow(deps.policy, period.to ?? now, weeks)
      return metrics.metricsTrendJson(await metrics.metricsTrendFor(deps, window, now))
    },
  }
}

const percent = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)} %`)
const minutes = (ms: number | null): string =>
  ms === null ? '—' : `${(ms / 60_000).toFixed(1)} min`

function ratioRow(ratio: RatedRatio): string[] {
  const { thresholds } = ratio
  const bands =
    thresholds === null
      ? '—'
      : `${thresholds.better === 'higher' ? '>' : '<'}${thresholds.green} green, ${thresholds.better === 'higher' ? '<' : '>'}${thresholds.red} red`
  return [
    ratio.name,
    percent(ratio.value),
    `${ratio.numerator}/${ratio.denominator}`,
    String(ratio.counted.pending.length),
    ratio.status ?? '—',
    bands,
  ]
}

/** The report as a person reads it in a terminal: one table per kind of measure. */
export function metricsText(report: MetricsJson): string[] {
  const [northStar, ...headline] = headlineRatios(report)
  const rated = [
    ...(northStar === undefined ? [] : [{ ...northStar, name: `${northStar.name} (north star)` }]),
    ...report.slaCompliance.items.filter(
      (ratio) => ratio.denominator + ratio.counted.pending.length > 0,
    ),
    ...headline,
    report.recycled.salAcceptance,
    report.recycled.mqlToSql,
    report.recycled.mqlToOpportunity,
  ]
  const { cohort, leadVelocity, recycled } = report
  return [
    `Metrics from ${report.window.from ?? 'the beginning'} to ${report.window.to ?? 'now'} (as of ${report.asOf ?? '—'})`,
    '',
    textTable(['metric', 'value', 'n/d', 'pending', 'status', 'thresholds'], rated.map(ratioRow)),
    '',
    textTable(
      [
        'first response (business time)',
        'responded',
        'average',
        'median',
        'not responded',
        'pending',
      ],
      [...report.firstResponse.tiers, report.firstResponse.overall].map((times) => [
        times.tier ?? 'every tier',
        String(times.responded),
        minutes(times.averageMs),
        minutes(times.medianMs),
        String(times.notResponded.length),
        String(times.pending.length),
      ]),
    ),
    '',
    `Cohort: ${cohort.mql} MQL → ${cohort.sal} SAL → ${cohort.sql} SQL → ${cohort.opportunity} opportunity` +
      ` (MQLs: ${cohort.mqlOutcomes.rejected} rejected, ${cohort.mqlOutcomes.closed} closed, ${cohort.mqlOutcomes.open} open;` +
      ` SALs: ${cohort.salOutcomes.closed} closed, ${cohort.salOutcomes.open} open)`,
    `Recycled MQLs (apart): ${recycled.cohort.mql} MQL → ${recycled.cohort.sal} SAL → ${recycled.cohort.sql} SQL → ${recycled.cohort.opportunity} opportunity`,
    `Lead velocity: ${leadVelocity.current} new MQLs against ${leadVelocity.previous} the period before: ${percent(leadVelocity.value)}`,
    `Surge days: ${report.surgeDays.length === 0 ? 'none' : report.surgeDays.map((day) => `${day.date} (${day.mqls} MQLs, surge above ${day.threshold.toFixed(2)})`).join(', ')}`,
    '',
    textTable(
      ['first response', 'within', 'live contact', 'n/d', 'status'],
      report.contactByResponseTime.map((band) => [
        band.grade,
        band.withinMs === null ? (band.touched ? 'later' : 'never') : `≤ ${minutes(band.withinMs)}`,
        percent(band.contact.value),
        `${band.contact.numerator}/${band.contact.denominator}`,
        band.contact.status ?? '—',
      ]),
    ),
    '',
    textTable(
      ['rep', 'leads', 'points', 'score', 'status'],
      report.repResponseScores.map((score) => [
        score.repId,
        String(score.leads),
        `${score.points}/${score.maxPoints}`,
        percent(score.value),
        score.status ?? '—',
      ]),
    ),
  ]
}

/** `--trend` reads only `--to` and `--weeks`; `--weeks` means nothing without it. */
function requestOf(
  options: ReportOptions,
  period: Period,
  output: CliOutput,
): MetricsRequest<MetricsJson | CutJson | TrendJson> | undefined {
  const refuse = (message: string) => {
    output.error(`error: ${message}`)
    output.exitCode(2)
    return undefined
  }
  if (options.trend === true) {
    return options.from !== undefined || options.cut !== undefined
      ? refuse('--trend covers the --weeks before --to: it takes no --from nor --cut')
      : trendRequest(period, options.weeks)
  }
  if (options.weeks !== undefined) {
    return refuse('--weeks is the length of a --trend')
  }
  return options.cut === undefined ? periodRequest(period) : cutRequest(period, options.cut)
}

function textOf(report: MetricsJson | CutJson | TrendJson): string[] {
  if ('weeks' in report) {
    return trendText(report)
  }
  return 'cut' in report ? cutText(report) : metricsText(report)
}

export async function reportMetrics(options: ReportOptions, output: CliOutput): Promise<void> {
  const period = periodOf(options, output)
  const request = period && requestOf(options, period, output)
  if (request === undefined) {
    return
  }
  const report =
    (await fromServer(options, request))?.report ?? (await fromStore(options, request, output))
  if (report === undefined) {
    return
  }
  const lines = options.format === 'json' ? [JSON.stringify(report, null, 2)] : textOf(report)
  for (const line of lines) {
    output.print(line)
  }
}

/** A ratio in a table cell: value and inputs. */
const cell = (ratio: { value: number | null; numerator: number; denominator: number }): string =>
  `${percent(ratio.value)} (${ratio.numerator}/${ratio.denominator})`

/** One row per value of the cut, the north star first. */
export function cutText(report: CutJson): string[] {
  const columns = headlineRatios(report).slice(0, 7)
  return [
    `Metrics from ${report.window.from ?? 'the beginning'} to ${report.window.to ?? 'now'} (as of ${report.asOf ?? '—'}), by ${report.cut.dimension}`,
    '',
    textTable(
      [report.cut.dimension, 'leads', ...columns.map((ratio) => ratio.name)],
      [
        ...report.cut.values.map(({ value, leads, metrics }) => [
          value ?? '(none)',
          String(leads),
          ...headlineRatios(metrics).slice(0, columns.length).map(cell),
        ]),
        ['every lead', '', ...columns.map(cell)],
      ],
    ),
  ]
}

/** One row per week: MQLs new and recycled, surge, the first headline measures. */
export function trendText(trend: TrendJson): string[] {
  const names = (trend.weeks[0]?.measures ?? []).slice(0, 6).map((measure) => measure.name)
  return [
    `Weekly trend from ${trend.window.from ?? '—'} to ${trend.window.to ?? '—'} (as of ${trend.asOf ?? '—'})`,
    '',
    textTable(
      ['week from', 'new MQLs', 'recycled', 'surge', ...names],
      trend.weeks.map((week) => [
        (week.window.from ?? '').slice(0, 10),
        String(week.newMqls),
        String(week.recycledMqls),
        week.surge ? `surge ${week.surgeDays.join(' ')}` : '',
        ...week.measures.slice(0, names.length).map(cell),
      ]),
    ),
  ]
}
