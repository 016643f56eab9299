/**
 * The audit report's charts, rendered on the server by echarts into SVG that is written into the
 * HTML file itself: the report needs no script, server or network to be read.
 */
import * as echarts from 'echarts'

import type { AuditReport, TierResponse } from '../reports/audit-report.js'
import type { ResponseBand } from '../reports/metrics/metrics-report.js'

const WIDTH = 760
const HEIGHT = 320
const RAG_COLOURS = { green: '#2e7d32', amber: '#f9a825', red: '#c62828' } as const

/**
 * One chart as an SVG element. Inline SVG in HTML needs no namespace declarations; they are left
 * out so that the file names no URL at all.
 */
export function svgChart(option: echarts.EChartsCoreOption, height = HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height })
  try {
    chart.setOption({ animation: false, ...option })
    return chart
      .renderToSVGString()
      .replace(/ xmlns(:xlink)?="[^"]*"/g, '')
      .replace('<svg ', '<svg role="img" ')
  } finally {
    // Without it the renderer keeps the process alive.
    chart.dispose()
  }
}

/** Compliance (coloured by its RAG status) and breach rate of each appendix-A item measured. */
export function complianceChart(report: AuditReport): string | undefined {
  const measured = report.compliance.items.flatMap(({ name, compliance, breaches }) =>
    compliance === null || breaches === null || compliance.value === null
      ? []
      : [{ name, compliance, breaches }],
  )
  if (measured.length === 0) {
    return undefined
  }
  return svgChart(
    {
      title: { text: 'Compliance per SLA item (% of decided clocks)', textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { left: 190, right: 30, top: 60, bottom: 30 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: measured.map((item) => item.name) },
      series: [
        {
          name: 'met target',
          type: 'bar',
          data: measured.map((item) => ({
            value: item.compliance.value ?? 0,
            itemStyle: { color: RAG_COLOURS[item.compliance.status ?? 'green'] },
          })),
          itemStyle: { color: RAG_COLOURS.green },
        },
        {
          name: 'breached',
          type: 'bar',
          data: measured.map((item) => item.breaches.value ?? 0),
          itemStyle: { color: '#616161' },
        },
      ],
    },
    Math.max(HEIGHT, 90 + measured.length * 34),
  )
}

/** "5 min", "4 h": a rubric band's bound. */
function formatBound(ms: number): string {
  const minutes = ms / 60_000
  return minutes < 60 ? `${minutes} min` : `${minutes / 60} h`
}

/** "≤ 5 min", …, "> 8 h": each band of the response rubric, in order. */
export function bandLabels(bands: readonly ResponseBand[]): string[] {
  return bands.map((band, index) =>
    band.withinMs !== null
      ? `≤ ${formatBound(band.withinMs)}`
      : `> ${formatBound(bands[index - 1]?.withinMs ?? 0)}`,
  )
}

/** The histogram of one tier's first-response times over the rubric's bands, in business time. */
export function firstResponseChart({ tierName, times }: TierResponse): string {
  return svgChart({
    title: {
      text: `${tierName}: first response (business time)`,
      textStyle: { fontSize: 14 },
    },
    grid: { left: 50, right: 20, top: 50, bottom: 40 },
    xAxis: {
      type: 'category',
      data: [...bandLabels(times.byBand), 'not responded', 'pending'],
      axisLabel: { interval: 0 },
    },
    yAxis: { type: 'value', name: 'MQLs', minInterval: 1 },
    series: [
      {
        type: 'bar',
        barCategoryGap: '4%',
        label: { show: true, position: 'top' },
        data: [
          ...times.byBand.map((band) => band.responses),
          { value: times.notResponded.length, itemStyle: { color: RAG_COLOURS.red } },
          { value: times.pending.length, itemStyle: { color: '#9e9e9e' } },
        ],
      },
    ],
  })
}

/** Formal and critical breaches per rep. */
export function escalationsChart(report: AuditReport): string | undefined {
  const reps = report.escalations.byRep
  if (reps.length === 0) {
    return undefined
  }
  return svgChart(
    {
      title: { text: 'Breach escalations per rep', textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { left: 150, right: 30, top: 60, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: reps.map((rep) => rep.name) },
      series: [
        {
          name: 'formal breach (T+24h)',
          type: 'bar',
          stack: 'breaches',
          data: reps.map((rep) => rep.formalBreaches),
          itemStyle: { color: RAG_COLOURS.amber },
        },
        {
          name: 'critical (T+48h)',
          type: 'bar',
          stack: 'breaches',
          data: reps.map((rep) => rep.criticalBreaches),
          itemStyle: { color: RAG_COLOURS.red },
        },
      ],
    },
    Math.max(HEIGHT, 90 + reps.length * 26),
  )
}

/** Rejections per source, stacked by reason code. */
export function rejectionsChart(report: AuditReport): string | undefined {
  const sources = report.rejections
  if (sources.length === 0) {
    return undefined
  }
  const codes = [...new Set(sources.flatMap((source) => Object.keys(source.byCode)))]
  return svgChart(
    {
      title: { text: 'Rejection codes by source', textStyle: { fontSize: 14 } },
      legend: { top: 24, type: 'scroll' },
      grid: { left: 150, right: 30, top: 60, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: sources.map((source) => source.source) },
      series: codes.map((code) => ({
        name: code,
        type: 'bar',
        stack: 'codes',
        data: sources.map((source) => source.byCode[code] ?? 0),
      })),
    },
    Math.max(HEIGHT, 90 + sources.length * 26),
  )
}
