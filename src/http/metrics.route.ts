/**
 * GET /reports/metrics: section 11's and seed 001's measures of a period, with RAG, whole or cut
 * by a dimension; GET /reports/metrics/trends: the headline measures week by week.
 */
import { z } from 'zod'

import {
  DEFAULT_METRICS_SPAN_MS,
  metricsCutFor,
  metricsCutJson,
  metricsReportFor,
  metricsReportJson,
  metricsTrendFor,
  metricsTrendJson,
  trendWindow,
} from '../app/metrics-report.js'
import { instantQuerySchema } from '../domain/instant.js'
import { CUT_DIMENSIONS, MAX_TREND_WEEKS } from '../reports/metrics/metric-options.js'
import type { ReportWindow } from '../reports/report-window.js'
import { leadScopeFor } from './access-control.js'
import type { ServerDependencies } from './create-server.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import { reportWindow, windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

const windowJson = z.strictObject({ from: z.string().nullable(), to: z.string().nullable() })
const count = z.number().int().min(0)
const readonlyArray = <T extends z.ZodType>(item: T) => z.array(item).readonly()
const trendSchema = z.strictObject({
  window: windowJson,
  asOf: z.string().nullable(),
  weeks: readonlyArray(
    z.strictObject({
      window: windowJson,
      newMqls: count,
      recycledMqls: count,
      surge: z.boolean(),
      surgeDays: readonlyArray(z.string()),
      measures: readonlyArray(
        z.strictObject({
          id: z.string(),
          name: z.string(),
          numerator: count,
          denominator: count,
          value: z.number().nullable(),
          status: z.enum(['green', 'amber', 'red']).nullable(),
        }),
      ),
      firstResponse: z.strictObject({
        responded: count,
        averageMs: z.number().nullable(),
        medianMs: z.number().nullable(),
      }),
    }),
  ),
  surgeDays: readonlyArray(
    z.strictObject({
      date: z.string(),
      mqls: count,
      trailingAverage: z.number(),
      threshold: z.number(),
    }),
  ),
})

const DAY_MS = 86_400_000

/** A period must run forwards. */
function fromAfterTo(window: ReportWindow) {
  return invalidInput('from must be before to', [
    {
      field: 'querystring.from',
      rule: 'before-to',
      message: `from (${new Date(window.from).toISOString()}) must be before to (${new Date(window.to).toISOString()})`,
    },
  ])
}

export function registerMetricsRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/reports/metrics',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'MQL → Opportunity first, SLA compliance per item and weighted by tier, first-response times, cohort funnel (recycled MQLs apart), velocity, leakage, rep scores, feedback completion, contact rate per response time, surge days — each with its inputs and RAG status; optionally cut by a dimension',
        description:
          'The period runs from `from` (inclusive) to `to` (exclusive); `to` defaults to now, `from` to 30 days before `to`. Facts are as of `to`, or now while the period runs. With `cut`, the answer adds `cut: { dimension, values: [{ value, leads, metrics }] }`: every measure per value (null: leads without one), each lead in exactly one value. Instants are ISO 8601 UTC, durations milliseconds of business time; formulas and conventions: docs/metrics.md.',
        tags: ['reports'],
        querystring: z.strictObject({ ...windowQuery, cut: z.enum(CUT_DIMENSIONS).optional() }),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request, reply) => {
      const now = deps.now()
      const window = reportWindow(request.query, now, DEFAULT_METRICS_SPAN_MS)
      if (window.from >= window.to) {
        return sendProblem(reply, fromAfterTo(window))
      }
      const { cut } = request.query
      return cut === undefined
        ? metricsReportJson(await metricsReportFor(deps, window, now))
        : metricsCutJson(await metricsCutFor(deps, window, now, cut))
    },
  )

  app.get(
    '/reports/metrics/mine',
    {
      config: { access: 'reports:own-leads' },
      schema: {
        summary:
          'The measures of /reports/metrics for the caller’s own leads: a rep’s compliance this week',
        description:
          'As GET /reports/metrics, of the leads the caller owns (a manager: their team’s; revops and admin: all). `to` defaults to now, `from` to 7 days before `to`.',
        tags: ['reports'],
        querystring: z.strictObject(windowQuery),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request, reply) => {
      const now = deps.now()
      const window = reportWindow(request.query, now, 7 * DAY_MS)
      if (window.from >= window.to) {
        return sendProblem(reply, fromAfterTo(window))
      }
      return metricsReportJson(
        await metricsReportFor(deps, window, now, leadScopeFor(request, deps)),
      )
    },
  )

  app.get(
    '/reports/metrics/trends',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'The headline measures week by week (MQL → Opportunity first), new and recycled MQLs, surge weeks marked',
        description:
          'The `weeks` whole weeks (7 days) before `to` (default now); `weeks` defaults to the policy’s `measurement.trendWeeks`. Every week is measured from the facts as of `to` (or now), so the weeks add up to the period. A week is a surge week when a surge day (policy `surge`) overlaps it. Formulas: docs/metrics.md.',
        tags: ['reports'],
        querystring: z.strictObject({
          to: instantQuerySchema.optional(),
          weeks: z.coerce.number().int().min(1).max(MAX_TREND_WEEKS).optional(),
        }),
        response: { 200: trendSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const now = deps.now()
      const window = trendWindow(deps.policy, request.query.to ?? now, request.query.weeks)
      return metricsTrendJson(await metricsTrendFor(deps, window, now))
    },
  )
}
