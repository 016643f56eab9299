/**
 * Use case: import a JSON Lines file of lead events (one event per line) — exports, audits, the
 * sample. Each line becomes a record of the shared import pipeline (import-records.ts), which
 * batches, ingests and tells of every invalid line (and every line reusing a key of its source for
 * a different event) with its number: nothing is dropped silently, and a file of a million bad
 * lines costs no more memory than a good one.
 */
import type { InputProblem } from './event-input.js'
import type { CountedRecord, ImportOptions, ImportProgress } from './import-records.js'
import { importRecords } from './import-records.js'
import type { IngestDependencies } from './ingest-events.js'
import { unstorableJsonProblems } from './storable-text.js'

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

/** The lines of a JSON Lines file as import records, one event each; blank lines are skipped. */
export async function* jsonLineRecords(lines: AsyncIterable<string>): AsyncIterable<CountedRecord> {
  let linesRead = 0
  for await (const read of lines) {
    linesRead += 1
    const text = linesRead === 1 && read.startsWith(BYTE_ORDER_MARK) ? read.slice(1) : read
    if (JSON_WHITESPACE_ONLY.test(text)) {
      yield { linesRead }
      continue
    }
    const parsed = parseLine(text)
    yield {
      linesRead,
      record:
        'input' in parsed
          ? { line: linesRead, text, events: [parsed.input] }
          : { line: linesRead, text, problems: parsed.problems },
    }
  }
}

export async function importJsonLines(
  deps: IngestDependencies,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportProgress> {
  return importRecords(deps, jsonLineRecords(lines), options)
}
