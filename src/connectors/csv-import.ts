/**
 * Reads a CSV export as import records through a mapping: streamed (bounded memory for any file
 * size), byte order mark, CRLF, quoted line breaks and empty lines handled, each row numbered by
 * the physical line it starts on. Refused rows go to a `*.rejects.csv` beside the input.
 */
import { createWriteStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { finished } from 'node:stream/promises'

import { parse } from 'csv-parse'

import type { CountedRecord, InvalidLine, RecordProblem } from '../app/import-records.js'
import type { LocatedProblem, ParsedYaml, UnlocatedProblem } from '../policy/yaml-document.js'
import type { CsvMapping, LeadAliases } from './csv-mapping.js'
import { checkCsvHeader, parseCsvMapping, rowEvents } from './csv-mapping.js'

export interface CsvRow {
  /** The physical line the row starts on (1-based). */
  readonly line: number
  /** The physical line it ends on (a quoted line break makes a row span lines). */
  readonly lastLine: number
  /** The row as written, without its line break. */
  readonly text: string
  readonly cells: readonly string[]
}

/**
 * CRLF → LF before parsing: csv-parse 6.2.1 counts a CRLF inside quotes as two lines and clips
 * its raw text, so line numbers and rejected rows would be wrong. (A quoted CRLF reads as LF.)
 */
function lineFeedsOnly(): Transform {
  let pendingReturn = false
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = chunk.toString('latin1')
      if (pendingReturn) {
        text = `\r${text}`
      }
      pendingReturn = text.endsWith('\r')
      if (pendingReturn) {
        text = text.slice(0, -1)
      }
      // latin1 maps bytes one to one, so a UTF-8 character split across chunks survives.
      done(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'))
    },
    flush(done) {
      done(null, pendingReturn ? Buffer.from('\r', 'latin1') : null)
    },
  })
}

const LEADING_LINE_FEEDS = /^\n+/

/** A row longer than this (an unclosed quote swallowing the file) stops the import. */
const MAX_ROW_CHARACTERS = 16 * 1024 * 1024

/** The rows of a CSV file, its header first; `name` names the file in a parse error. */
export async function* csvRows(
  input: Readable,
  delimiter: string,
  name: string,
): AsyncIterable<CsvRow> {
  const parser = input.pipe(lineFeedsOnly()).pipe(
    parse({
      bom: true,
      delimiter,
      info: true,
      raw: true,
      skip_empty_lines: true,
      // A row with too few or too many fields is refused by the import, not the end of it.
      relax_column_count: true,
      max_record_size: MAX_ROW_CHARACTERS,
    }),
  )
  try {
    for await (const read of parser as AsyncIterable<ParsedRow>) {
      const text = rowText(read.raw)
      yield {
        line: firstLineOf(read.info.lines, text),
        lastLine: read.info.lines,
        text,
        cells: read.record,
      }
    }
  } catch (error) {
    // Past a broken quote no row can be told from the next. What was recorded stays, and is not
    // recorded twice when the mended file is imported again.
    const { lines, raw } = error as { lines?: unknown; raw?: unknown }
    const where =
      typeof lines === 'number' && typeof raw === 'string'
        ? ` from line ${firstLineOf(lines, rowText(raw))}`
        : ''
    throw new Error(
      `cannot read ${name}${where}; the import stopped (mend the file and import it again)`,
      { cause: error },
    )
  }
}

interface ParsedRow {
  readonly record: string[]
  readonly raw: string
  readonly info: { readonly lines: number }
}

/** `raw` holds the empty lines skipped before the row and the row's own line break. */
function rowText(raw: string): string {
  return raw.replace(LEADING_LINE_FEEDS, '').replace(/\n$/, '')
}

/** The line a row starts on, from the line it ends on (a quoted line break spans lines). */
function firstLineOf(lastLine: number, text: string): number {
  return lastLine - (text.split('\n').length - 1)
}

/** The data rows (after the header) as import records of the mapping's events. */
export async function* csvRecords(
  mapping: CsvMapping,
  header: readonly string[],
  rows: AsyncIterable<CsvRow>,
  aliases: LeadAliases,
): AsyncIterable<CountedRecord> {
  for await (const row of rows) {
    yield {
      linesRead: row.lastLine,
      record: { line: row.line, text: row.text, ...rowEvents(mapping, header, row.cells, aliases) },
    }
  }
}

/** `line 4, column "Create Date": "tomorrow" does not match the format "yyyy-MM-dd HH:mm"` */
export function describeRowProblem(line: number, problem: RecordProblem): string {
  const where =
    problem.column !== undefined
      ? `, column "${problem.column}"`
      : problem.field === ''
        ? ''
        : `, field ${problem.field}`
  return `line ${line}${where}: ${problem.message}`
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}

/** `contacts.csv` → `contacts.rejects.csv`, in the same folder. */
export function rejectsPathOf(input: string): string {
  return /\.csv$/i.test(input) ? input.replace(/\.csv$/i, '.rejects.csv') : `${input}.rejects.csv`
}

/**
 * Writes each refused row as it was, plus a `reason` column, under the input's header; the file
 * is created at the first refused row only, and removed when an import refuses none.
 */
export function rejectsWriter(
  path: string,
  headerText: string,
  delimiter: string,
): { write(invalid: InvalidLine): void; close(): Promise<string | undefined> } {
  let output: ReturnType<typeof createWriteStream> | undefined
  return {
    write: ({ line, text, problems }) => {
      if (output === undefined) {
        // An error (disk full, no permission) is kept by the stream; close() rejects with it.
        output = createWriteStream(path).on('error', () => undefined)
        output.write(`${headerText}${delimiter}reason\n`)
      }
      const reason = problems.map((problem) => describeRowProblem(line, problem)).join('; ')
      output.write(`${text}${delimiter}${quoted(reason)}\n`)
    },
    close: async () => {
      if (output === undefined) {
        // The rejects file tells of the last import: one from an earlier import would mislead.
        await rm(path, { force: true })
        return undefined
      }
      await finished(output.end())
      return path
    },
  }
}

export interface CsvImport {
  readonly records: AsyncIterable<CountedRecord>
  /** What to tell of a refused row, a line each. */
  readonly describe: (invalid: InvalidLine) => readonly string[]
  /** Keeps a refused row for the rejects file. */
  readonly reject: (invalid: InvalidLine) => void
  /** Closes the rejects file: its path, or undefined when no row was refused. */
  readonly finish: () => Promise<string | undefined>
}

/** The mapping file, parsed and checked; a file that cannot be read is thrown. */
export async function readCsvMapping(path: string): Promise<ParsedYaml<CsvMapping>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`cannot read the mapping ${path}`, { cause: error })
  })
  return parseCsvMapping(text, path)
}

/** A mapping that parsed, with what locates a later problem (a column the header lacks) in it. */
export interface CheckedMapping {
  readonly value: CsvMapping
  readonly locate: (problem: UnlocatedProblem) => LocatedProblem
}

/** The first row of a CSV file, read with `delimiter`; undefined when it has none. */
export async function csvHeaderOf(
  file: string,
  input: Readable,
  delimiter: string,
): Promise<readonly string[] | undefined> {
  for await (const row of csvRows(input, delimiter, file)) {
    return row.cells
  }
  return undefined
}

/**
 * The CSV's header checked against the mapping before any row is read, so a mistyped column
 * costs nothing: its problems, located in the mapping. `aliases` is shared by the files of one
 * import (a Salesforce lead's converted contact lands on the lead).
 */
export async function openCsvImport(
  file: string,
  input: Readable,
  mapping: CheckedMapping,
  aliases: LeadAliases,
): Promise<CsvImport | { readonly problems: readonly LocatedProblem[] }> {
  const rows = csvRows(input, mapping.value.delimiter, file)[Symbol.asyncIterator]()
  const first = await rows.next()
  if (first.done === true) {
    throw new Error(`cannot import ${file}: it has no header row`)
  }
  const header = first.value.cells
  const problems = checkCsvHeader(mapping.value, header).map(mapping.locate)
  if (problems.length > 0) {
    return { problems }
  }
  const rejects = rejectsWriter(rejectsPathOf(file), first.value.text, mapping.value.delimiter)
  return {
    records: csvRecords(mapping.value, header, { [Symbol.asyncIterator]: () => rows }, aliases),
    describe: ({ line, problems }) => problems.map((problem) => describeRowProblem(line, problem)),
    reject: (invalid) => rejects.write(invalid),
    finish: () => rejects.close(),
  }
}
