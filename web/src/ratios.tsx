/** The API's rated measures (GET /reports/metrics): types, the RAG badge and the table columns. */
import { percentText } from './format'
import type { Column } from './table'

export interface RatedRatio {
  readonly id: string
  readonly name: string
  readonly formula: string
  readonly numerator: number
  readonly denominator: number
  readonly value: number | null
  readonly status: 'green' | 'amber' | 'red' | null
  readonly thresholds: {
    readonly green: number
    readonly red: number
    readonly better: string
  } | null
}

/** What the views read of GET /reports/metrics (and /reports/metrics/mine). */
export interface MetricsReport {
  readonly window: { readonly from: string; readonly to: string }
  readonly mqlToOpportunity: RatedRatio
  readonly slaCompliance: { readonly items: readonly RatedRatio[]; readonly overall: RatedRatio }
  readonly responseCompliance: { readonly weighted: RatedRatio }
  readonly cohort: {
    readonly mql: number
    readonly sal: number
    readonly sql: number
    readonly opportunity: number
    readonly won: number
  }
  readonly salAcceptance: RatedRatio
  readonly salToSql: RatedRatio
  readonly sqlToOpportunity: RatedRatio
  readonly mqlToSql: RatedRatio
  readonly liveContact: RatedRatio
  readonly contactByResponseTime: readonly {
    readonly grade: string
    readonly withinMs: number | null
    readonly touched: boolean
    readonly contact: RatedRatio
  }[]
}

export function Rag({ status }: { readonly status: RatedRatio['status'] }) {
  return <span class={`rag rag-${status ?? 'none'}`}>{status ?? 'not rated'}</span>
}

export const ratioText = (row: RatedRatio) => percentText(row.value)

/** The green and red thresholds a measure is rated against, as section 11 writes them. */
const thresholdText = (row: RatedRatio) =>
  row.thresholds === null
    ? '—'
    : `${row.thresholds.better === 'higher' ? '>' : '<'} ${row.thresholds.green} % green, ${row.thresholds.better === 'higher' ? '<' : '>'} ${row.thresholds.red} % red`

export const ratioColumns: readonly Column<RatedRatio>[] = [
  { title: 'Measure', value: (row) => row.name },
  { title: 'Value', value: (row) => row.value, cell: ratioText },
  {
    title: 'Counted',
    value: (row) => row.denominator,
    cell: (row) => `${row.numerator} / ${row.denominator}`,
  },
  { title: 'Thresholds', value: thresholdText },
  { title: 'Status', value: (row) => row.status, cell: (row) => <Rag status={row.status} /> },
]
