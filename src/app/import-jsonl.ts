/**
 * Use case: import a JSON Lines file of lead events (one event per line) — exports, audits, the
 * sample. Streams the file in batches, reports progress, and returns a per-line account: nothing
 * is dropped silently.
 */
import type { InputProblem, SystemTimestampRule } from './event-input.js'
import { parseEventInput } from './event-input.js'
import type { IngestDependencies } from './ingest-events.js'
import { ingestEvents } from './ingest-events.js'

export interface ImportProgress {
  readonly linesRead: number
  readonly appended: number
  readonly duplicates: number
  readonly invalid: number
}

export interface ImportReport extends ImportProgress {
  /** The first problems found, with their line numbers (1-based). */
  readonly problems: readonly {
    readonly line: number
    readonly problems: readonly InputProblem[]
  }[]
}

export interface ImportOptions {
  readonly now: () => number
  /** The ids of the people in the roster; a line naming anyone else is invalid. */
  readonly people: ReadonlySet<string>
  /**
   * The system timestamp of a line without `receivedAt`: its `occurredAt` (default, history
   * keeps its own time) or the import's clock.
   */
  readonly systemTimestamp?: Exclude<SystemTimestampRule, 'intake'>
  readonly batchSize?: number
  readonly onProgress?: (progress: ImportProgress) => void
  /** How many invalid lines to keep in the report (all are counted). */
  readonly maxReportedProblems?: number
}

/**
 * Lines per batch (one transaction each): large enough that round trips do not dominate, small
 * enough that a batch's events and folded leads stay a few megabytes, whatever the file's size.
 */
const IMPORT_BATCH_LINES = 5000
/**
 * Embedded PGlite fails to parse a result of the size a 5,000-line batch of the sample reads back
 * ("RangeError: Invalid array length" in its protocol parser); 1,000 lines stay clear of it.
 */
const PGLITE_IMPORT_BATCH_LINES = 1000

/** Lines per import batch on a store of this dialect. */
export function importBatchLines(dialect: 'pglite' | 'postgres'): number {
  return dialect === 'pglite' ? PGLITE_IMPORT_BATCH_LINES : IMPORT_BATCH_LINES
}

export async function importJsonLines(
  deps: IngestDependencies,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? IMPORT_BATCH_LINES
  const maxReported = options.maxReportedProblems ?? 50
  const problems: { line: number; problems: readonly InputProblem[] }[] = []
  let linesRead = 0
  let appended = 0
  let duplicates = 0
  let invalid = 0
  let batch: { line: number; input: unknown }[] = []
  const reportInvalid = (line: number, found: readonly InputProblem[]): void => {
    invalid += 1
    if (problems.length < maxReported) {
      problems.push({ line, problems: found })
    }
  }

  const flush = async (): Promise<void> => {
    if (batch.length === 0) {
      return
    }
    const context = {
      now: options.now(),
      defaultSource: 'import',
      systemTimestamp: options.systemTimestamp ?? 'history-occurred-at',
      people: options.people,
    } as const
    const items = batch.map(({ input }) => parseEventInput(input, context))
    const outcomes = await ingestEvents(deps, items)
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'appended') {
        appended += 1
      } else if (outcome.status === 'duplicate') {
        duplicates += 1
      } else {
        reportInvalid(batch[index]?.line ?? 0, outcome.problems)
      }
    })
    batch = []
    options.onProgress?.({ linesRead, appended, duplicates, invalid })
  }

  for await (const text of lines) {
    linesRead += 1
    if (text.trim() === '') {
      continue
    }
    try {
      batch.push({ line: linesRead, input: JSON.parse(text) as unknown })
    } catch (error) {
      reportInvalid(linesRead, [
        { field: '', rule: 'json', message: `not valid JSON: ${(error as Error).message}` },
      ])
    }
    if (batch.length >= batchSize) {
      await flush()
    }
  }
  await flush()
  return { linesRead, appended, duplicates, invalid, problems }
}
