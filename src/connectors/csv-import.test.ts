import { Readable } from 'node:stream'

import { describe, expect, it } from 'vitest'

import type { CsvRow } from './csv-import.js'
import { csvRows, rejectsPathOf } from './csv-import.js'

async function rowsOf(chunks: readonly Buffer[]): Promise<CsvRow[]> {
  const rows: CsvRow[] = []
  for await (const row of csvRows(Readable.from(chunks), ',', 'export.csv')) {
    rows.push(row)
  }
  return rows
}

const FILE = '\uFEFFid,note\r\n1,"café\r\nmenu"\r\n\r\n2,plain\r\n3,"a ""quoted"" word"\r\n\r\n\r\n'

const EXPECTED: CsvRow[] = [
  { line: 1, lastLine: 1, text: 'id,note', cells: ['id', 'note'] },
  { line: 2, lastLine: 3, text: '1,"café\nmenu"', cells: ['1', 'café\nmenu'] },
  { line: 5, lastLine: 5, text: '2,plain', cells: ['2', 'plain'] },
  { line: 6, lastLine: 6, text: '3,"a ""quoted"" word"', cells: ['3', 'a "quoted" word'] },
]

describe('csvRows', () => {
  it('numbers rows by the physical line they start on, whatever the chunks', async () => {
    const bytes = Buffer.from(FILE, 'utf8')
    expect(await rowsOf([bytes])).toEqual(EXPECTED)
    // Every split: a CRLF, a UTF-8 character or the byte order mark cut in two.
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(await rowsOf([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).toEqual(
        EXPECTED,
      )
    }
  })

  it('reads LF-only files the same', async () => {
    expect(await rowsOf([Buffer.from(FILE.replace(/\r\n/g, '\n'), 'utf8')])).toEqual(EXPECTED)
  })
})

describe('csvRows of a broken file', () => {
  it('stops at an unclosed quote, naming the file and the line of the broken row', async () => {
    const broken = rowsOf([Buffer.from('id,note\n1,ok\n2,"unclosed\n3,more\n', 'utf8')])
    const error = await broken.then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    )
    expect(error?.message).toBe(
      'cannot read export.csv from line 3; the import stopped (mend the file and import it again)',
    )
    expect((error?.cause as Error).message).toBe(
      'Quote Not Closed: the parsing is finished with an opening quote at line 4',
    )
  })
})

describe('rejectsPathOf', () => {
  it('puts the rejects beside the input', () => {
    expect(rejectsPathOf('/data/contacts.CSV')).toBe('/data/contacts.rejects.csv')
    expect(rejectsPathOf('/data/export.txt')).toBe('/data/export.txt.rejects.csv')
  })
})
