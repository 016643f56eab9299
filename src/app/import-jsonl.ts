/**
 * Use case: import a JSON Lines file of lead events (one event per line) — exports, audits, the
 * sample. Streams the file in batches, reports progress, and tells of every invalid line (and every
 * line reusing a key of its source for a different event) with its number as it meets it: nothing is dropped silently, and a file of a million bad lines costs no
 * more memory than a good one.
 */
import type { InputProblem, SystemTimestampRule } from './event-input.js'
import { parseEventInput } from './event-input.js'
import type { IngestDependencies } from './ingest-events.js'
import { idempotencyConflictProblem, ingestEvents } from './ingest-events.js'
import { unstorableJsonProblems } from './storable-text.js'

export interface ImportProgress {
  readonly linesRead: number
  readonly appended: number
  readonly duplicates: number
  readonly invalid: number
}

export interface InvalidLine {
  /** 1-based. */
  readonly line: number
  readonly problems: readonly InputProblem[]
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
  /** Each invalid line, in line order, once its batch is through. */
  readonly onInvalidLine?: (invalid: InvalidLine) => void
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

const BYTE_ORDER_MARK = '\uFEFF'
const NUL = '\u0000'
/** A blank line, skipped. (`trim` would also take a byte order mark for blank.) */
const JSON_WHITESPACE_ONLY = /^[ \t\r\n]*$/

/**
 * What is wrong with a line's text before it is parsed: characters that no JSON export should
 * hold. A byte order mark is dropped from the start of the file (spreadsheet exports write one);
 * anywhere else it is refused.
 */
function textProblems(text: string): InputProblem[] {
  const problems: InputProblem[] = []
  const nul = text.indexOf(NUL)
  if (nul >= 0) {
    problems.push({
      field: '',
      rule: 'nul-character',
      message: `a NUL character (U+0000) at column ${nul + 1}; a text file of JSON lines cannot contain one`,
    })
  }
  const mark = text.indexOf(BYTE_ORDER_MARK)
  if (mark >= 0) {
    problems.push({
      field: '',
      rule: 'byte-order-mark',
      message: `a byte order mark (U+FEFF) at column ${mark + 1}; only the start of the file may have one (files joined together?)`,
    })
  }
  return problems
}

/** A line parsed into an input, or what is wrong with it. */
function parseLine(text: string): { input: unknown } | { problems: readonly InputProblem[] } {
  const found = textProblems(text)
  if (found.length > 0) {
    return { problems: found }
  }
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (error) {
    return {
      problems: [
        { field: '', rule: 'json', message: `not valid JSON: ${(error as Error).message}` },
      ],
    }
  }
  const unstorable = unstorableJsonProblems(input)
  return unstorable.length > 0 ? { problems: unstorable } : { input }
}

export async function importJsonLines(
  deps: IngestDependencies,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportProgress> {
  const batchSize = options.batchSize ?? IMPORT_BATCH_LINES
  let linesRead = 0
  let appended = 0
  let duplicates = 0
  let invalid = 0
  let batch: ({ line: number; input: unknown } | InvalidLine)[] = []

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
    const parsed = batch.flatMap((entry) => ('input' in entry ? [entry] : []))
    const outcomes = await ingestEvents(
      deps,
      parsed.map(({ input }) => parseEventInput(input, context)),
    )
    const refused = new Map<number, readonly InputProblem[]>()
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'appended') {
        appended += 1
      } else if (outcome.status === 'duplicate') {
        duplicates += 1
      } else {
        refused.set(
          parsed[index]?.line ?? 0,
          outcome.status === 'conflict'
            ? [idempotencyConflictProblem(outcome.conflict)]
            : outcome.problems,
        )
      }
    })
    for (const entry of batch) {
      const problems = 'problems' in entry ? entry.problems : refused.get(entry.line)
      if (problems !== undefined) {
        invalid += 1
        options.onInvalidLine?.({ line: entry.line, problems })
      }
    }
    batch = []
    options.onProgress?.({ linesRead, appended, duplicates, invalid })
  }

  for await (const read of lines) {
    linesRead += 1
    const text = linesRead === 1 && read.startsWith(BYTE_ORDER_MARK) ? read.slice(1) : read
    if (JSON_WHITESPACE_ONLY.test(text)) {
      continue
    }
    batch.push({ line: linesRead, ...parseLine(text) })
    if (batch.length >= batchSize) {
      await flush()
    }
  }
  await flush()
  return { linesRead, appended, duplicates, invalid }
}
