/**
 * POST /connectors/salesforce/events: Salesforce Change Data Capture events, one or an array, as a
 * relay (a Pub/Sub API subscriber, MuleSoft…) posts them: Salesforce does not push CDC over HTTP
 * itself, so the relay holds an integration token like any other intake. Each event is translated
 * by the connector and recorded through the live intake with source `salesforce`.
 */
import { z } from 'zod'

import type { CrmTranslator } from '../app/crm-webhook.js'
import type { ServerDependencies } from './create-server.js'
import { crmAnswerSchema, recordCrmItems } from './crm-intake.js'
import { problemSchema } from './problem.js'
import type { TypedApp } from './typed-app.js'

export const SALESFORCE_EVENTS_PATH = '/connectors/salesforce/events'

const MAX_EVENTS = 1000

export function registerSalesforceEventsRoute(
  app: TypedApp,
  deps: ServerDependencies,
  translator: CrmTranslator,
): void {
  app.post(
    SALESFORCE_EVENTS_PATH,
    {
      config: { access: 'events:record' },
      schema: {
        summary: 'Receive Salesforce change events',
        description:
          `Salesforce Change Data Capture events (\`ChangeEventHeader\` and the changed fields), one object or an array of up to ${MAX_EVENTS}, posted by a relay with an integration token; a body over the server's limit (1 MiB) is refused (413) and nothing is recorded. ` +
          'Each record an event names gets its results: appended, duplicate (the relay delivered the change again), ignored (the mapping gives it no meaning; `leadclock connectors` prints the mapping), needs-refetch (a GAP_* event: re-read the record), refused (malformed, or an owner not in the owner mapping), invalid or conflict.',
        tags: ['connectors'],
        body: z.union([
          z.array(z.unknown()).min(1).max(MAX_EVENTS),
          z.record(z.string(), z.unknown()),
        ]),
        response: { 200: crmAnswerSchema, 400: problemSchema, 413: problemSchema },
      },
    },
    (request) =>
      recordCrmItems(
        deps,
        translator,
        Array.isArray(request.body) ? request.body : [request.body],
        request.log,
        'Salesforce change',
      ),
  )
}
