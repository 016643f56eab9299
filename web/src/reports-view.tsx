/**
 * RevOps and leadership: SLA compliance per item with its green/amber/red status, and the cohort
 * funnel MQL → SAL → SQL → Opportunity with each conversion rated — as GET /reports/metrics
 * gives them for the last 30 days.
 */
import { BarChart } from 'echarts/charts'
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'preact/hooks'

import { Failure, Loading, Section } from './parts'
import { Table } from './table'
import { useApi } from './use-api'

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer])

interface RatedRatio {
  readonly id: string
  readonly name: string
  readonly formula: string
  readonly numerator: number
  readonly denominator: number
  readonly value: number | null
  readonly status: 'green' | 'amber' | 'red' | null
}

interface MetricsReport {
  readonly window: { readonly from: string; readonly to: string }
  readonly slaCompliance: { readonly items: readonly RatedRatio[]; readonly overall: RatedRatio }
  readonly cohort: {
    readonly mql: number
    readonly sal: number
    readonly sql: number
    readonly opportunity: number
  }
  readonly salAcceptance: RatedRatio
  readonly salToSql: RatedRatio
  readonly sqlToOpportunity: RatedRatio
  readonly mqlToSql: RatedRatio
}

function Rag({ status }: { readonly status: RatedRatio['status'] }) {
  return <span class={`rag rag-${status ?? 'none'}`}>{status ?? 'not rated'}</span>
}

function FunnelChart({ stages }: { readonly stages: readonly [string, number][] }) {
  const element = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (element.current === null) {
      return undefined
    }
    const chart = echarts.init(element.current, undefined, { renderer: 'svg' })
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: {},
      grid: { left: 100, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: stages.map(([name]) => name) },
      series: [
        { type: 'bar', data: stages.map(([, count]) => count), itemStyle: { color: '#1f5fa8' } },
      ],
    })
    return () => chart.dispose()
  }, [stages])
  return <div ref={element} class="chart" role="img" aria-label="Cohort funnel" />
}

/** The API's value is already a percentage with one decimal. */
const ratioText = (row: RatedRatio) => (row.value === null ? '—' : `${row.value.toFixed(1)} %`)

const ratioColumns = [
  { title: 'Measure', value: (row: RatedRatio) => row.name, cell: (row: RatedRatio) => row.name },
  { title: 'Value', value: (row: RatedRatio) => row.value, cell: ratioText },
  {
    title: 'Counted',
    value: (row: RatedRatio) => row.denominator,
    cell: (row: RatedRatio) => `${row.numerator} / ${row.denominator}`,
  },
  {
    title: 'Status',
    value: (row: RatedRatio) => row.status,
    cell: (row: RatedRatio) => <Rag status={row.status} />,
  },
]

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
        <FunnelChart stages={stages} />
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
