/**
 * Use case: import records of lead events — lines of a JSON Lines file, rows of a CSV export —
 * whatever their format. A record carries zero or more events, or what made its reader refuse it.
 * Every event of a record is validated before any is stored: a record with one bad event is
 * refused whole and reported with its physical line number. Records go to the store in batches
 * (one transaction each), so a file of any size costs the memory of one batch; then each lead
 * the file touched is derived once (its state, clocks, timers), in chunks of leads.
 */
import type { InputProblem, SystemTimestampRule } from './event-input.js'
import { parseEventInput } from './event-input.js'
import type { DerivationProgress, IngestDependencies } from './ingest-events.js'
import {
  appendForDerivation,
  derivePendingLeads,
  idempotencyConflictProblem,
} from './ingest-events.js'

/** A problem of a record: `column` names the CSV column it came from, when there is one. */
export interface RecordProblem extends InputProblem {
  readonly column?: string
}

interface RecordPosition {
  /** 1-based physical line where the record starts. */
  readonly line: number
  /** The record as written in the file (without its line break), for a file of rejects. */
  readonly text: string
}

export type ImportRecord = RecordPosition &
  (
    | {
        readonly events: readonly unknown[]
        /** The column an event's field came from (`payload.ownerId` → `Contact owner`). */
        readonly columnOf?: (eventIndex: number, field: string) => string | undefined
      }
    | { readonly problems: readonly RecordProblem[] }
  )

export interface ImportProgress {
  /** Lines (JSON Lines, blank ones included) or rows (CSV) read so far. */
  readonly linesRead: number
  readonly appended: number
  readonly duplicates: number
  readonly invalid: number
}

export interface InvalidLine extends RecordPosition {
  readonly problems: readonly RecordProblem[]
}

export interface ImportOptions {
  readonly now: () => number
  /** The ids of the people in the roster; a record naming anyone else is invalid. */
  readonly people: ReadonlySet<string>
  /**
   * The system timestamp of an event without `receivedAt`: its `occurredAt` (default, history
   * keeps its own time) or the import's clock.
   */
  readonly systemTimestamp?: Exclude<SystemTimestampRule, 'intake'>
  readonly batchSize?: number
  /** Leads derived per transaction in the second phase. */
  readonly deriveChunkLeads?: number
  readonly onProgress?: (progress: ImportProgress) => void
  readonly onDerivationProgress?: (progress: DerivationProgress) => void
  /** Each invalid record, in file order, once its batch is through. */
  readonly onInvalidLine?: (invalid: InvalidLine) => void
}

/**
 * Records per batch (one transaction each): large enough that round trips do not dominate, small
 * enough that a batch's events and folded leads stay a few megabytes, whatever the file's size.
 */
const IMPORT_BATCH_LINES = 5000
/**
 * Embedded PGlite fails to parse a result of the size a 5,000-line batch of the sample reads back
 * ("RangeError: Invalid array length" in its protocol parser); 1,000 lines stay clear of it.
 */
const PGLITE_IMPORT_BATCH_LINES = 1000

/** Records per import batch on a store of this dialect. */
export function importBatchLines(dialect: 'pglite' | 'postgres'): number {
  return dialect === 'pglite' ? PGLITE_IMPORT_BATCH_LINES : IMPORT_BATCH_LINES
}

/**
 * Leads per derivation transaction: each reads its leads' new events in one result, which
 * PGlite's protocol parser must hold whole (see PGLITE_IMPORT_BATCH_LINES).
 */
const DERIVATION_CHUNK_LEADS = 1000
const PGLITE_DERIVATION_CHUNK_LEADS = 200

export function derivationChunkLeads(dialect: 'pglite' | 'postgres'): number {
  return dialect === 'pglite' ? PGLITE_DERIVATION_CHUNK_LEADS : DERIVATION_CHUNK_LEADS
}

/** Where the reader stands (blank lines count), and the record it read there, if any. */
export interface CountedRecord {
  readonly record?: ImportRecord
  readonly linesRead: number
}

export async function importRecords(
  deps: IngestDependencies,
  records: AsyncIterable<CountedRecord>,
  options: ImportOptions,
): Promise<ImportProgress> {
  const batchSize = options.batchSize ?? IMPORT_BATCH_LINES
  let linesRead = 0
  let appended = 0
  let duplicates = 0
  let invalid = 0
  let batch: ImportRecord[] = []
  // The batch the store is appending while the next one is read and validated: the database
  // and this process work at the same time.
  let inFlight: Promise<void> = Promise.resolve()

  const flush = async (): Promise<void> => {
    if (batch.length === 0) {
      return
    }
    const records = batch
    const linesReadThen = linesRead
    batch = []
    const context = {
      now: options.now(),
      defaultSource: 'import',
      systemTimestamp: options.systemTimestamp ?? 'history-occurred-at',
      people: options.people,
    } as const
    const refused = new Map<ImportRecord, readonly RecordProblem[]>()
    const accepted: { record: ImportRecord; event: ReturnType<typeof parseEventInput> }[] = []
    for (const record of records) {
      if ('problems' in record) {
        refused.set(record, record.problems)
        continue
      }
      const parsed = record.events.map((input) => parseEventInput(input, context))
      const problems = parsed.flatMap((event, index) =>
        event.ok
          ? []
          : event.problems.map((problem) =>
              withColumn(problem, record.columnOf?.(index, problem.field)),
            ),
      )
      if (problems.length > 0) {
        refused.set(record, problems)
      } else {
        accepted.push(...parsed.map((event) => ({ record, event })))
      }
    }
    // One batch in flight at a time, reported in file order.
    await inFlight
    const appending = appendForDerivation(
      deps.repository,
      accepted.map(({ event }) => event),
    )
    inFlight = appending.then((outcomes) => {
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'appended') {
          appended += 1
        } else if (outcome.status === 'duplicate') {
          duplicates += 1
        } else {
          // Refused by the store's rules (a key reused for another event): its record is
          // reported; events of the record the store took before are kept, as on live intake.
          const record = accepted[index]?.record
          if (record !== undefined) {
            refused.set(record, [
              ...(refused.get(record) ?? []),
              ...(outcome.status === 'conflict'
                ? [idempotencyConflictProblem(outcome.conflict)]
                : outcome.problems),
            ])
          }
        }
      })
      for (const record of records) {
        const problems = refused.get(record)
        if (problems !== undefined) {
          invalid += 1
          options.onInvalidLine?.({ line: record.line, text: record.text, problems })
        }
      }
      options.onProgress?.({ linesRead: linesReadThen, appended, duplicates, invalid })
    })
    // Handled here so that a failure waits, unreported, for the `await` that rethrows it.
    inFlight.catch(() => undefined)
  }

  for await (const counted of records) {
    linesRead = counted.linesRead
    if (counted.record === undefined) {
      continue
    }
    batch.push(counted.record)
    if (batch.length >= batchSize) {
      await flush()
    }
  }
  await flush()
  await inFlight
  await derivePendingLeads(deps, {
    chunkLeads: options.deriveChunkLeads ?? DERIVATION_CHUNK_LEADS,
    ...(options.onDerivationProgress === undefined
      ? {}
      : { onProgress: options.onDerivationProgress }),
  })
  return { linesRead, appended, duplicates, invalid }
}

function withColumn(problem: InputProblem, column: string | undefined): RecordProblem {
  return column === undefined ? problem : { ...problem, column }
}
