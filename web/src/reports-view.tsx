/**
 * RevOps and leadership: SLA compliance per item with its green/amber/red status, and the cohort
 * funnel MQL → SAL → SQL → Opportunity with each conversion rated — as GET /reports/metrics
 * gives them for the last 30 days.
 */
import { Chart } from './chart'
import { Failure, Loading, Section } from './parts'
import type { MetricsReport, RatedRatio } from './ratios'
import { Rag, ratioColumns, ratioText } from './ratios'
import { Table } from './table'
import { useApi } from './use-api'

export function funnelChart(stages: readonly (readonly [string, number])[]) {
  return {
    grid: { left: 100, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: stages.map(([name]) => name) },
    series: [
      { type: 'bar', data: stages.map(([, count]) => count), itemStyle: { color: '#1f5fa8' } },
    ],
  }
}

export function ReportsView() {
  const { data: report, error } = useApi<MetricsReport>('/reports/metrics')
  if (report === undefined) {
    return error === undefined ? <Loading what="the metrics" /> : <Failure message={error} />
  }
  const stages: [string, number][] = [
    ['MQL', report.cohort.mql],
    ['SAL', report.cohort.sal],
    ['SQL', report.cohort.sql],
    ['Opportunity', report.cohort.opportunity],
  ]
  return (
    <div>
      <h1>SLA compliance and funnel</h1>
      <p>
        From {report.window.from.slice(0, 10)} to {report.window.to.slice(0, 10)} (UTC). Overall
        compliance{' '}
        <strong data-testid="overall-compliance">{ratioText(report.slaCompliance.overall)}</strong>{' '}
        <Rag status={report.slaCompliance.overall.status} />
      </p>
      <Section title="Compliance per SLA item">
        <Table<RatedRatio>
          caption="SLA items"
          testId="compliance"
          rows={report.slaCompliance.items}
          rowKey={(row) => row.id}
          empty="No clock started in the period."
          columns={ratioColumns}
        />
      </Section>
      <Section title="Funnel">
        <Chart label="Cohort funnel" option={funnelChart(stages)} />
        <Table<RatedRatio>
          caption="Conversions"
          testId="conversions"
          rows={[report.salAcceptance, report.salToSql, report.sqlToOpportunity, report.mqlToSql]}
          rowKey={(row) => row.id}
          empty="Nothing to convert."
          columns={ratioColumns}
        />
        <p data-testid="funnel-counts">
          {stages.map(([name, count]) => `${name} ${count}`).join(' → ')}
        </p>
      </Section>
    </div>
  )
}
