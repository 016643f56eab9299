import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { packageFilePath } from '../policy/load-policy-file.js'
import { formatLocatedProblem } from '../policy/yaml-document.js'
import type { CsvMapping } from './csv-mapping.js'
import { ACCEPTED_INSTANT_FORMS } from '../domain/instant.js'
import { LEAD_EVENT_TYPES } from '../domain/lead-events.js'
import { checkCsvHeader, parseCsvMapping, rowEvents } from './csv-mapping.js'

const MAPPING = `format: csv
source: crm
timeZone: America/New_York
leadId: { column: Record ID }
events:
  - type: { value: lead.created }
    at: { column: Create Date, format: 'yyyy-MM-dd HH:mm' }
    payload:
      source: { value: hubspot }
      profile.email: { column: Email }
      profile.country: { column: Country, map: { United States: US } }
      profile.companySize: { column: Employees, as: number }
  - type: { value: owner.assigned }
    at: { column: Assigned At }
    payload:
      ownerId: { column: Owner, map: { Ana Lopez: sdr-ana-lopez } }
      reason: { value: imported }
`
/** The key the content of a row gives: lead id, type, instant, key column (null without one). */
const sha256Key = (parts: readonly unknown[]): string =>
  `csv-${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`

const HEADER = ['Record ID', 'Create Date', 'Email', 'Country', 'Employees', 'Owner', 'Assigned At']

function mappingOf(text: string): CsvMapping {
  const parsed = parseCsvMapping(text, 'map.yaml')
  if (!parsed.ok) {
    throw new Error(parsed.problems.map(formatLocatedProblem).join('\n'))
  }
  return parsed.value
}

function problemsOf(text: string): string[] {
  const parsed = parseCsvMapping(text, 'map.yaml')
  return parsed.ok ? [] : parsed.problems.map(formatLocatedProblem)
}

describe('parseCsvMapping', () => {
  it('accepts the example mapping shipped in mappings/', () => {
    const path = packageFilePath('mappings', 'activity-log.example.yaml')
    expect(problemsOf(readFileSync(path, 'utf8'))).toEqual([])
  })

  it('locates every problem by line, column and path, saying what is allowed', () => {
    const text = `format: csv
source: crm
timeZone: America/Nowhere
leadId: { column: Record ID }
events:
  - type: { value: lead.invented }
    at: { column: Create Date, format: 'yyyy-MM-dd' }
    payload:
      source: { value: hubspot, column: Source }
      profile.email: { colum: Email }
  - type: { value: lead.created }
    at: { column: Create Date, zone: Mars/Olympus }
`
    expect(problemsOf(text)).toEqual([
      'map.yaml:10:31 events[0].payload.profile.email.colum: unknown key "colum"; check its spelling (the JSON Schema lists every key)',
    ])
    expect(problemsOf(text.replace('{ colum: Email }', '{ column: Email }'))).toEqual([
      'map.yaml:3:11 timeZone: "America/Nowhere" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)',
      `map.yaml:6:20 events[0].type.value: unknown event type "lead.invented"; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
      'map.yaml:9:15 events[0].payload.source: give either value (the same for every row) or column, not both',
      'map.yaml:12:38 events[1].at.zone: "Mars/Olympus" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)',
    ])
  })

  it('asks for a zone when a timestamp format has no offset and no zone is given', () => {
    expect(problemsOf(MAPPING.replace('timeZone: America/New_York\n', ''))).toEqual([
      'map.yaml:6:40 events[0].at.format: a timestamp read with format "yyyy-MM-dd HH:mm" needs a zone: set timeZone (for the file) or at.zone',
    ])
  })
})

describe('checkCsvHeader', () => {
  it('names each mapped column missing from the header, located where the mapping names it', () => {
    const parsed = parseCsvMapping(MAPPING, 'map.yaml')
    if (!parsed.ok) {
      throw new Error('expected the mapping to be accepted')
    }
    const header = ['Record ID', 'Create Date', 'Email', 'Email', 'Employees', 'Owner']
    expect(
      checkCsvHeader(parsed.value, header).map(parsed.locate).map(formatLocatedProblem),
    ).toEqual([
      'map.yaml:10:32 events[0].payload.profile.email.column: column "Email" appears 2 times in the CSV header; which one is meant?',
      'map.yaml:11:34 events[0].payload.profile.country.column: column "Country" is not in the CSV header; the header has: Record ID, Create Date, Email, Email, Employees, Owner',
      'map.yaml:14:19 events[1].at.column: column "Assigned At" is not in the CSV header; the header has: Record ID, Create Date, Email, Email, Employees, Owner',
    ])
    expect(checkCsvHeader(parsed.value, HEADER)).toEqual([])
  })
})

describe('rowEvents', () => {
  const mapping = mappingOf(MAPPING)
  const row = [
    'C-1',
    '2026-03-02 09:14',
    'dana@example.com',
    'United States',
    '200',
    'Ana Lopez',
    '',
  ]

  it("turns a row into the events its filled timestamps name, keyed by content, in the mapping's source", () => {
    const converted = rowEvents(mapping, HEADER, row)
    expect('events' in converted && converted.events).toEqual([
      {
        idempotencyKey: sha256Key([
          'C-1',
          'lead.created',
          Date.parse('2026-03-02T14:14:00Z'),
          null,
        ]),
        leadId: 'C-1',
        type: 'lead.created',
        occurredAt: Date.parse('2026-03-02T14:14:00Z'),
        source: 'crm',
        payload: {
          source: 'hubspot',
          profile: { email: 'dana@example.com', country: 'US', companySize: 200 },
        },
      },
    ])
    const assigned = rowEvents(mapping, HEADER, row.with(6, '2026-03-02T09:20:00-05:00'))
    expect('events' in assigned && assigned.events[1]).toEqual({
      idempotencyKey: sha256Key([
        'C-1',
        'owner.assigned',
        Date.parse('2026-03-02T14:20:00Z'),
        null,
      ]),
      leadId: 'C-1',
      type: 'owner.assigned',
      occurredAt: Date.parse('2026-03-02T14:20:00Z'),
      source: 'crm',
      payload: { ownerId: 'sdr-ana-lopez', reason: 'imported' },
    })
    // The same content gives the same key; another instant another one.
    const again = rowEvents(mapping, HEADER, [...row])
    const later = rowEvents(mapping, HEADER, row.with(1, '2026-03-02 09:15'))
    const keyOf = (result: typeof converted) =>
      'events' in result ? result.events[0]?.idempotencyKey : undefined
    expect(keyOf(again)).toBe(keyOf(converted))
    expect(keyOf(later)).not.toBe(keyOf(converted))
    expect('events' in converted && converted.columnOf(0, 'payload.profile.email')).toBe('Email')
  })

  it('refuses a row with every bad cell named by its column', () => {
    const bad = ['', 'yesterday', 'x@example.com', 'Narnia', 'many', 'Nobody', '2026-03-02 09:20']
    expect(rowEvents(mapping, HEADER, bad)).toEqual({
      problems: [
        {
          field: 'leadId',
          column: 'Record ID',
          rule: 'required',
          message: 'is empty; every row needs its lead id',
        },
        {
          field: 'occurredAt',
          column: 'Create Date',
          rule: 'timestamp-format',
          message: '"yesterday" does not match the format "yyyy-MM-dd HH:mm"',
        },
        {
          field: 'payload.profile.country',
          column: 'Country',
          rule: 'mapped-value',
          message: '"Narnia" is not in the mapping\'s map; mapped: United States',
        },
        {
          field: 'payload.profile.companySize',
          column: 'Employees',
          rule: 'number',
          message: '"many" is not a number',
        },
        {
          field: 'occurredAt',
          column: 'Assigned At',
          rule: 'instant',
          message: `"2026-03-02 09:20" is not an instant; send ${ACCEPTED_INSTANT_FORMS}`,
        },
        {
          field: 'payload.ownerId',
          column: 'Owner',
          rule: 'mapped-value',
          message: '"Nobody" is not in the mapping\'s map; mapped: Ana Lopez',
        },
      ],
    })
    expect(rowEvents(mapping, HEADER, ['C-1'])).toEqual({
      problems: [
        { field: '', rule: 'column-count', message: 'the row has 1 fields; the header has 7' },
      ],
    })
  })

  it("reads a timestamp in the row's own zone (the prospect's), else the mapping's", () => {
    const zoned = mappingOf(`format: csv
source: crm
timeZone: America/New_York
leadId: { column: Id }
events:
  - type: { value: intent.recorded }
    at: { column: At, format: 'yyyy-MM-dd HH:mm', zoneColumn: Zone }
    payload: { action: { value: pricing-page } }
`)
    const header = ['Id', 'At', 'Zone']
    const instantOf = (zone: string) => {
      const converted = rowEvents(zoned, header, ['L-1', '2026-03-02 09:00', zone])
      return 'events' in converted ? converted.events[0]?.occurredAt : converted.problems
    }
    expect(instantOf('America/Los_Angeles')).toBe(Date.parse('2026-03-02T17:00:00Z'))
    expect(instantOf('')).toBe(Date.parse('2026-03-02T14:00:00Z'))
    expect(instantOf('Pacific Time')).toEqual([
      {
        field: 'occurredAt',
        column: 'Zone',
        rule: 'time-zone',
        message: '"Pacific Time" is not an IANA time zone (e.g. America/New_York)',
      },
    ])
  })
})
