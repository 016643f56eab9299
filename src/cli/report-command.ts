/**
 * `leadclock report metrics [--from] [--to] [--format json|text]`. While a server holds the
 * embedded store, the report comes from its `GET /reports/metrics` (with this machine's CLI token);
 * otherwise it is computed from the store. Both give the same JSON (`metricsReportJson`).
 */
import type { metricsReportJson } from '../app/metrics-report.js'
import { instantQuerySchema } from '../domain/instant.js'
import { reportWindow } from '../http/report-window.query.js'
import type { RatedRatio } from '../reports/metrics/rated-ratio.js'
import type { CliOutput } from './cli-output.js'
import { askServer, heldServer, problemDetail } from './held-server.js'
import type { RuntimeOptions } from './runtime-commands.js'
import { textTable } from './text-table.js'

export interface ReportOptions extends RuntimeOptions {
  /** ISO 8601 dates or instants, as given (checked here, so registering loads no schema). */
  readonly from?: string
  readonly to?: string
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

async function fetchMetrics(
  options: ReportOptions,
  period: Period,
): Promise<MetricsJson | undefined> {
  const server = await heldServer(options)
  if (server === undefined) {
    return undefined
  }
  const query = new URLSearchParams()
  for (const [name, at] of [
    ['from', period.from],
    ['to', period.to],
  ] as const) {
    if (at !== undefined) {
      query.set(name, new Date(at).toISOString())
    }
  }
  const path = `/reports/metrics${query.size === 0 ? '' : `?${query.toString()}`}`
  const response = await askServer(server, 'GET', path)
  if (!response.ok) {
    throw new Error(
      `${server.url}${path} answered ${response.status}: ${await problemDetail(response)}`,
    )
  }
  return (await response.json()) as MetricsJson
}

async function computeMetrics(
  options: ReportOptions,
  period: Period,
  output: CliOutput,
): Promise<MetricsJson | undefined> {
  const [{ withRuntime }, { readDependenciesOf }, metrics] = await Promise.all([
    import('./runtime-actions.js'),
    import('../main.js'),
    import('../app/metrics-report.js'),
  ])
  let report: MetricsJson | undefined
  await withRuntime(options, async (runtime) => {
    const now = runtime.now()
    const window = reportWindow(period, now, metrics.DEFAULT_METRICS_SPAN_MS)
    if (window.from >= window.to) {
      output.error(
        `--from (${new Date(window.from).toISOString()}) must be before --to (${new Date(window.to).toISOString()})`,
      )
      output.exitCode(1)
      return
    }
    report = metrics.metricsReportJson(
      await metrics.metricsReportFor(readDependenciesOf(runtime), window, now),
    )
  })
  return report
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
  const rated = [
    ...report.slaCompliance.items.filter(
      (ratio) => ratio.denominator + ratio.counted.pending.length > 0,
    ),
    report.slaCompliance.overall,
    report.responseCompliance.weighted,
    report.salAcceptance,
    report.salToSql,
    report.mqlToSql,
    report.sqlToOpportunity,
    report.mqlToOpportunity,
    report.mqlQuality,
    report.liveContact,
    report.leadLeakage,
    report.overallBreach,
    report.rejectionFeedback,
  ]
  const { cohort, leadVelocity } = report
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
    `Lead velocity: ${leadVelocity.current} new MQLs against ${leadVelocity.previous} the period before: ${percent(leadVelocity.value)}`,
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

export async function reportMetrics(options: ReportOptions, output: CliOutput): Promise<void> {
  const period = periodOf(options, output)
  if (period === undefined) {
    return
  }
  const report =
    (await fetchMetrics(options, period)) ?? (await computeMetrics(options, period, output))
  if (report === undefined) {
    return
  }
  const lines = options.format === 'json' ? [JSON.stringify(report, null, 2)] : metricsText(report)
  for (const line of lines) {
    output.print(line)
  }
}
