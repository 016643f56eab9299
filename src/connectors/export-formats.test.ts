import { readFileSync } from 'node:fs'
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { packageFilePath } from '../policy/load-policy-file.js'
import { defaultMappingPath, inImportOrder, mappingsOf, planFile } from './export-formats.js'
import type { ImportFormat } from './import-formats.js'
import { EXPORT_FORMATS } from './import-formats.js'

const FIXTURES = packageFilePath('test', 'integration', 'fixtures', 'crm-exports')

describe('planFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-formats-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const plan = async (file: string, mappings: string[] = [], format?: ImportFormat) =>
    planFile(
      file,
      () => open(file, 'r'),
      { mappings, ...(format === undefined ? {} : { format }) },
      await mappingsOf(mappings, undefined),
    )

  it.each(EXPORT_FORMATS)(
    'tells a %s export by its header, and reads it with the default mapping',
    async (format) => {
      const planned = await plan(join(FIXTURES, `${format}.csv`))
      expect(planned.format).toBe(format)
      expect(planned.mapping?.path).toBe(defaultMappingPath(format))
    },
  )

  it('takes a mapping given for a format instead of the default', async () => {
    const own = join(dir, 'my-contacts.yaml')
    await writeFile(
      own,
      `format: hubspot-contacts\nsource: my-portal\ntimeZone: Europe/Berlin\nleadId: { column: Record ID }\nevents:\n  - type: { value: lead.created }\n    at: { column: Create Date, format: 'yyyy-MM-dd HH:mm' }\n    payload: { source: { value: my-portal } }\n`,
    )
    const planned = await plan(join(FIXTURES, 'hubspot-contacts.csv'), [own])
    expect(planned.format).toBe('hubspot-contacts')
    expect(planned.mapping?.path).toBe(own)
    expect(planned.mapping?.value.source).toBe('my-portal')
  })

  it('reads JSON Lines by extension or by a first character opening an object', async () => {
    const lines = join(dir, 'events.txt')
    await writeFile(lines, '\uFEFF  {"leadId":"lead-1"}\n')
    expect(await plan(lines)).toEqual({ file: lines, format: 'jsonl' })
    expect(await plan(join(dir, 'missing-but-named.jsonl'))).toEqual({
      file: join(dir, 'missing-but-named.jsonl'),
      format: 'jsonl',
    })
  })

  it('says it cannot tell a header no mapping reads, listing the formats', async () => {
    const file = join(dir, 'other.csv')
    await writeFile(file, 'id,when\n1,2026-03-02\n')
    await expect(plan(file)).rejects.toThrow(
      `cannot import ${file}: its header is not that of a known export; give --format (hubspot-contacts, hubspot-deals, hubspot-activities, salesforce-lead, salesforce-contact, salesforce-opportunity, salesforce-task, salesforce-event, csv (with --mapping), jsonl)`,
    )
  })

  it('asks which when two mappings read as many of the header’s columns', async () => {
    const twin = join(dir, 'twin-task.yaml')
    await writeFile(
      twin,
      readFileSync(defaultMappingPath('salesforce-task'), 'utf8').replace(
        'format: salesforce-task',
        'format: csv',
      ),
    )
    const file = join(FIXTURES, 'salesforce-task.csv')
    await expect(plan(file, [twin])).rejects.toThrow(
      `cannot import ${file}: its header fits csv (${twin}) and salesforce-task (${defaultMappingPath('salesforce-task')}); say which with --format`,
    )
    expect((await plan(file, [twin], 'csv')).mapping?.path).toBe(twin)
  })

  it('asks for a mapping for --format csv without one', async () => {
    const file = join(FIXTURES, 'hubspot-deals.csv')
    await expect(plan(file, [], 'csv')).rejects.toThrow(
      `cannot import ${file}: a CSV file needs --mapping MAPPING.yaml (see mappings/)`,
    )
  })
})

describe('inImportOrder', () => {
  it('puts Salesforce leads first, then contacts and other files as given, deals, activities', () => {
    const formats: ImportFormat[] = [
      'salesforce-task',
      'hubspot-activities',
      'jsonl',
      'salesforce-opportunity',
      'salesforce-contact',
      'hubspot-deals',
      'csv',
      'salesforce-event',
      'hubspot-contacts',
      'salesforce-lead',
    ]
    const ordered = inImportOrder(formats.map((format, index) => ({ file: `${index}`, format })))
    expect(ordered.map(({ format }) => format)).toEqual([
      'salesforce-lead',
      'jsonl',
      'salesforce-contact',
      'csv',
      'hubspot-contacts',
      'salesforce-opportunity',
      'hubspot-deals',
      'salesforce-task',
      'hubspot-activities',
      'salesforce-event',
    ])
  })
})
