/**
 * What every CRM connector route does once a delivery is authenticated: translate each item,
 * record the events through the live intake like POST /events/batch, and answer each item's
 * result with the counts. What was not recorded is logged: a CRM does not retry a 200.
 */
import type { FastifyBaseLogger } from 'fastify'
import { z } from 'zod'

import type { CrmTranslator, TranslatedItem } from '../app/crm-webhook.js'
import type { ParsedEventInput } from '../app/event-input.js'
import { parseEventInput } from '../app/event-input.js'
import type { IngestOutcome } from '../app/ingest-events.js'
import { ingestEvents } from '../app/ingest-events.js'
import type { ServerDependencies } from './create-server.js'
import { intakeContext } from './events.route.js'

const itemResultSchema = z.object({
  /** The delivered item this result is for (an item naming several records has several). */
  index: z.number(),
  status: z.enum([
    'appended',
    'duplicate',
    'ignored',
    'needs-refetch',
    'refused',
    'invalid',
    'conflict',
  ]),
  type: z.string().optional(),
  leadId: z.string().optional(),
  rule: z.string().optional(),
  reason: z.string().optional(),
})
type ItemResult = z.infer<typeof itemResultSchema>

export const crmAnswerSchema = z.object({
  results: z.array(itemResultSchema),
  counts: z.record(z.string(), z.number()),
})
export type CrmAnswer = z.infer<typeof crmAnswerSchema>

const STATUSES = itemResultSchema.shape.status.options
const NOT_RECORDED: ReadonlySet<ItemResult['status']> = new Set([
  'needs-refetch',
  'refused',
  'invalid',
  'conflict',
])
type Counts = Record<(typeof STATUSES)[number], number>

function countsOf(results: readonly ItemResult[]): Counts {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Counts
  for (const result of results) {
    counts[result.status] += 1
  }
  return counts
}

function resultOf(
  index: number,
  item: TranslatedItem,
  outcome: IngestOutcome | undefined,
): ItemResult {
  switch (item.kind) {
    case 'ignored':
    case 'needs-refetch':
      return { index, status: item.kind, reason: item.reason }
    case 'refused':
      return { index, status: 'refused', rule: item.rule, reason: item.reason }
    case 'event': {
      const at = { index, type: item.input.type, leadId: item.input.leadId }
      if (outcome === undefined) {
        throw new Error(`no outcome for item ${index}`)
      }
      switch (outcome.status) {
        case 'invalid': {
          const [first] = outcome.problems
          return {
            ...at,
            status: 'invalid',
            rule: first?.rule ?? 'invalid',
            reason: outcome.problems
              .map((problem) => `${problem.field}: ${problem.message}`)
              .join('; '),
          }
        }
        case 'conflict':
          return {
            ...at,
            status: 'conflict',
            reason: `idempotency key ${outcome.conflict.idempotencyKey} was used for a different event`,
          }
        case 'duplicate':
          return { ...at, status: 'duplicate' }
        case 'appended':
          return {
            ...at,
            status: 'appended',
            ...(outcome.refusal === null
              ? {}
              : { rule: outcome.refusal.rule, reason: outcome.refusal.message }),
          }
      }
    }
  }
}

export async function recordCrmItems(
  deps: ServerDependencies,
  translator: CrmTranslator,
  items: readonly unknown[],
  log: FastifyBaseLogger,
  vendor: string,
): Promise<CrmAnswer> {
  const translated = items.flatMap((item, index) =>
    translator.translate(item).map((meaning) => ({ index, meaning })),
  )
  const context = intakeContext(deps)
  const recorded = translated.flatMap(({ meaning }, position) =>
    meaning.kind === 'event' ? [{ position, parsed: parseEventInput(meaning.input, context) }] : [],
  )
  const outcomes = await ingestEvents(
    deps,
    recorded.map(({ parsed }): ParsedEventInput => parsed),
  )
  const outcomeAt = new Map(recorded.map(({ position }, n) => [position, outcomes[n]]))
  const results = translated.map(({ index, meaning }, position) =>
    resultOf(index, meaning, outcomeAt.get(position)),
  )
  const unrecorded = results.filter((result) => NOT_RECORDED.has(result.status))
  if (unrecorded.length > 0) {
    log.warn({ unrecorded }, `${vendor} events not recorded`)
  }
  return { results, counts: countsOf(results) }
}
