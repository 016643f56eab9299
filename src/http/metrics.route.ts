/** GET /reports/metrics: section 11's and seed 001's measures of a period, with RAG. */
import { z } from 'zod'

import {
  DEFAULT_METRICS_SPAN_MS,
  metricsReportFor,
  metricsReportJson,
} from '../app/metrics-report.js'
import type { ServerDependencies } from './create-server.js'
import { invalidInput, problemSchema, sendProblem } from './problem.js'
import { reportWindow, windowQuery } from './report-window.query.js'
import type { TypedApp } from './typed-app.js'

export function registerMetricsRoutes(app: TypedApp, deps: ServerDependencies): void {
  app.get(
    '/reports/metrics',
    {
      config: { access: 'reports:read' },
      schema: {
        summary:
          'SLA compliance per item and weighted by tier, first-response times, cohort funnel, velocity, leakage, rep scores, feedback completion — each with its inputs and RAG status',
        description:
          'The period runs from `from` (inclusive) to `to` (exclusive); `to` defaults to now, `from` to 30 days before `to`. Facts are as of `to`, or now while the period runs. Instants are ISO 8601 UTC, durations milliseconds of business time; formulas and conventions: docs/metrics.md.',
        tags: ['reports'],
        querystring: z.strictObject(windowQuery),
        response: { 200: z.record(z.string(), z.unknown()), 400: problemSchema },
      },
    },
    async (request, reply) => {
      const now = deps.now()
      const window = reportWindow(request.query, now, DEFAULT_METRICS_SPAN_MS)
      if (window.from >= window.to) {
        return sendProblem(
          reply,
          invalidInput('from must be before to', [
            {
              field: 'querystring.from',
              rule: 'before-to',
              message: `from (${new Date(window.from).toISOString()}) must be before to (${new Date(window.to).toISOString()})`,
            },
          ]),
        )
      }
      return metricsReportJson(await metricsReportFor(deps, window, now))
    },
  )
}
