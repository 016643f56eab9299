/**
 * Leadership: the north star (MQL → Opportunity), the cohort funnel MQL → SAL → SQL → Opportunity
 * → Won with each conversion rated against section 11's thresholds (GET /reports/metrics, the
 * last 30 days), the headline measures week by week (GET /reports/metrics/trends) and the
 * contact rate per first-response band (section 11's curve).
 */
import { Chart } from './chart'
import { duration, percentText } from './format'
import { Failure, Loading, Section } from './parts'
import type { MetricsReport, RatedRatio } from './ratios'
import { Rag, ratioColumns, ratioText } from './ratios'
import { funnelChart } from './reports-view'
import { Table } from './table'
import { useApi } from './use-api'

interface Trend {
  readonly weeks: readonly {
    readonly window: { readonly from: string | null; readonly to: string | null }
    readonly newMqls: number
    readonly surge: boolean
    readonly measures: readonly {
      readonly id: string
      readonly name: string
      readonly value: number | null
    }[]
  }[]
}

function trendChart(trend: Trend) {
  const names = new Map(
    trend.weeks.flatMap((week) => week.measures.map((measure) => [measure.id, measure.name])),
  )
  return {
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    xAxis: {
      type: 'category',
      data: trend.weeks.map((week) => (week.window.from ?? '').slice(0, 10)),
    },
    yAxis: { type: 'value', name: '%' },
    series: [...names].map(([id, name]) => ({
      type: 'line',
      name,
      connectNulls: false,
      data: trend.weeks.map(
        (week) => week.measures.find((measure) => measure.id === id)?.value ?? null,
      ),
    })),
  }
}

function contactChart(bands: MetricsReport['contactByResponseTime']) {
  return {
    grid: { left: 48, right: 24, top: 24, bottom: 96 },
    xAxis: {
      type: 'category',
      data: bands.map(bandLabel),
      axisLabel: { interval: 0, rotate: 30 },
    },
    yAxis: { type: 'value', name: 'contact %' },
    series: [
      {
        type: 'line',
        data: bands.map((band) => band.contact.value),
        itemStyle: { color: '#1f5fa8' },
      },
    ],
  }
}

const bandLabel = (band: MetricsReport['contactByResponseTime'][number]) =>
  !band.touched
    ? 'no response'
    : band.withinMs === null
      ? 'later'
      : `≤ ${duration(band.withinMs, 'business')}`

function Trends() {
  const { data: trend, error } = useApi<Trend>('/reports/metrics/trends')
  if (trend === undefined) {
    return error === undefined ? <Loading what="the trends" /> : <Failure message={error} />
  }
  return (
    <>
      <Chart
        label="Headline measures week by week"
        option={trendChart(trend)}
        testId="trend-chart"
      />
      <p data-testid="trend-weeks">
        {trend.weeks.length} weeks, new MQLs:{' '}
        {trend.weeks.map((week) => `${week.newMqls}${week.surge ? ' (surge)' : ''}`).join(', ')}
      </p>
    </>
  )
}

export function LeadershipView() {
  const { data: report, error } = useApi<MetricsReport>('/reports/metrics')
  if (report === undefined) {
    return error === undefined ? <Loading what="the metrics" /> : <Failure message={error} />
  }
  const { cohort } = report
  const stages: [string, number][] = [
    ['MQL', cohort.mql],
    ['SAL', cohort.sal],
    ['SQL', cohort.sql],
    ['Opportunity', cohort.opportunity],
    ['Won', cohort.won],
  ]
  return (
    <div>
      <h1>Pipeline</h1>
      <p class="north-star">
        North star, MQL → Opportunity ({report.window.from.slice(0, 10)} to{' '}
        {report.window.to.slice(0, 10)}, UTC):{' '}
        <strong data-testid="north-star">{ratioText(report.mqlToOpportunity)}</strong>{' '}
        <Rag status={report.mqlToOpportunity.status} /> ({report.mqlToOpportunity.numerator} of{' '}
        {report.mqlToOpportunity.denominator} MQLs)
      </p>
      <Section title="Funnel">
        <Chart label="Cohort funnel MQL to Won" option={funnelChart(stages)} />
        <p data-testid="leadership-funnel">
          {stages.map(([name, count]) => `${name} ${count}`).join(' → ')}
        </p>
        <Table<RatedRatio>
          caption="Conversions against section 11"
          testId="leadership-conversions"
          rows={[
            report.salAcceptance,
            report.salToSql,
            report.sqlToOpportunity,
            report.mqlToSql,
            report.mqlToOpportunity,
          ]}
          rowKey={(row) => row.id}
          empty="Nothing to convert."
          columns={ratioColumns}
        />
        <p>
          Opportunity → Won (not rated by section 11):{' '}
          <span data-testid="win-rate">
            {cohort.opportunity === 0
              ? '—'
              : percentText(Math.round((1000 * cohort.won) / cohort.opportunity) / 10)}
          </span>
        </p>
      </Section>
      <Section title="Trends">
        <Trends />
      </Section>
      <Section title="Contact rate vs response time">
        <Chart
          label="Contact rate per first-response band"
          option={contactChart(report.contactByResponseTime)}
        />
        <Table
          caption="Contact rate per response band"
          testId="contact-curve"
          rows={report.contactByResponseTime}
          rowKey={(band) => band.grade}
          empty="No first response in the period."
          columns={[
            { title: 'Responded', value: bandLabel },
            { title: 'Grade', value: (band) => band.grade },
            {
              title: 'Contact rate',
              value: (band) => band.contact.value,
              cell: (band) => ratioText(band.contact),
            },
            {
              title: 'Counted',
              value: (band) => band.contact.denominator,
              cell: (band) => `${band.contact.numerator} / ${band.contact.denominator}`,
            },
          ]}
        />
      </Section>
    </div>
  )
}
