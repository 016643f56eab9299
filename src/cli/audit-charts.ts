/**
 * The audit report's charts, rendered on the server by echarts into SVG that is written into the
 * HTML file itself: the report needs no script, server or network to be read.
 */
import * as echarts from 'echarts'

import type { AuditReport, ResponseDistribution } from '../reports/audit-report.js'

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

/** Compliance and breach rate of each appendix-A item that was judged. */
export function complianceChart(report: AuditReport): string | undefined {
  const judged = report.compliance.filter((item) => item.complianceRate !== null)
  if (judged.length === 0) {
    return undefined
  }
  return svgChart(
    {
      title: { text: 'Compliance per SLA item (% of judged clocks)', textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { left: 190, right: 30, top: 60, bottom: 30 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: judged.map((item) => item.name) },
      series: [
        {
          name: 'met target',
          type: 'bar',
          data: judged.map((item) => round(item.complianceRate ?? 0)),
          itemStyle: { color: RAG_COLOURS.green },
        },
        {
          name: 'breached',
          type: 'bar',
          data: judged.map((item) => ({
            value: round(item.breachRate ?? 0),
            itemStyle: { color: RAG_COLOURS[item.rag ?? 'red'] },
          })),
          itemStyle: { color: RAG_COLOURS.red },
        },
      ],
    },
    Math.max(HEIGHT, 90 + judged.length * 34),
  )
}

/** The histogram of one tier's first-response times, in business time. */
export function firstResponseChart(distribution: ResponseDistribution): string {
  return svgChart({
    title: {
      text: `${distribution.tierName}: first response (business time)`,
      textStyle: { fontSize: 14 },
    },
    grid: { left: 50, right: 20, top: 50, bottom: 40 },
    xAxis: { type: 'category', data: [...distribution.bins, 'no response yet'] },
    yAxis: { type: 'value', name: 'MQLs', minInterval: 1 },
    series: [
      {
        type: 'bar',
        barCategoryGap: '4%',
        label: { show: true, position: 'top' },
        data: [
          ...distribution.counts,
          { value: distribution.unanswered, itemStyle: { color: '#9e9e9e' } },
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

function round(value: number): number {
  return Math.round(value * 10) / 10
}
