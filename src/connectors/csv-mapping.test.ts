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

/** A mapping of a CRM export: named maps, labels meaning nothing, lead ids by record kind. */
const EXPORT_MAPPING = `format: salesforce-task
source: crm
leadId: { columns: [WhoId, OtherId], prefix: { '00Q': lead-, '003': contact- } }
maps:
  statuses: { Completed: activity.logged, Open: null }
  kinds: { Call: call, Task: blank-task }
events:
  - type: { column: Status, map: statuses }
    at: { column: Done }
    payload:
      activityType: { column: Kind, map: kinds, ifEmpty: blank-task }
  - ownLeadOnly: true
    when: { column: Owner, matches: '^005' }
    type: { value: owner.assigned }
    at: { column: Done }
    payload:
      ownerId: { column: Owner, map: { 005A: sdr-ana-lopez } }
      reason: { value: imported }
`
const EXPORT_HEADER = ['WhoId', 'OtherId', 'Status', 'Kind', 'Done', 'Owner']
const DONE = '2026-03-02T14:30:00Z'

describe('rowEvents of a CRM export mapping', () => {
  const mapping = mappingOf(EXPORT_MAPPING)
  const eventsOf = (cells: string[], aliases?: Map<string, string>) => {
    const converted = rowEvents(mapping, EXPORT_HEADER, cells, aliases)
    return 'events' in converted
      ? converted.events.map((event) => [event.leadId, event.type, event.payload])
      : converted.problems
  }

  it('reads named maps; a label mapped to null gives no event; an empty cell its ifEmpty value', () => {
    expect(eventsOf(['00Q1', '', 'Completed', '', DONE, '005A'])).toEqual([
      ['lead-00Q1', 'activity.logged', { activityType: 'blank-task' }],
      ['lead-00Q1', 'owner.assigned', { ownerId: 'sdr-ana-lopez', reason: 'imported' }],
    ])
    // An open task and a queue owner (not ^005): nothing.
    expect(eventsOf(['00Q1', '', 'Open', 'Call', DONE, '00G9'])).toEqual([])
    expect(eventsOf(['00Q1', '', 'Deferred', 'Call', DONE, ''])).toEqual([
      {
        field: 'type',
        column: 'Status',
        rule: 'mapped-value',
        message: '"Deferred" is not in the mapping\'s map statuses; mapped: Completed, Open',
      },
    ])
  })

  it('prefixes the lead id by the kind of record its id names, refusing any other kind', () => {
    expect(eventsOf(['', '0037', 'Completed', 'Call', DONE, ''])).toEqual([
      ['contact-0037', 'activity.logged', { activityType: 'call' }],
    ])
    expect(eventsOf(['0019', '', 'Completed', 'Call', DONE, ''])).toEqual([
      {
        field: 'leadId',
        column: 'WhoId or OtherId',
        rule: 'lead-id',
        message: '"0019" is not the id of a record a lead can be (ids starting 00Q, 003)',
      },
    ])
  })

  it('puts a row whose id another export named as an alias on that lead, without its own-lead events', () => {
    const aliases = new Map([['0037', 'lead-00Q1']])
    expect(eventsOf(['0037', '', 'Completed', 'Call', DONE, '005A'], aliases)).toEqual([
      ['lead-00Q1', 'activity.logged', { activityType: 'call' }],
    ])
    const leads = mappingOf(`format: salesforce-lead
source: crm
leadId: { column: Id, prefix: { '00Q': lead- } }
aliases: [ConvertedContactId]
events:
  - type: { value: lead.created }
    at: { column: CreatedDate }
    payload: { source: { value: web } }
`)
    const found = new Map<string, string>()
    rowEvents(leads, ['Id', 'ConvertedContactId', 'CreatedDate'], ['00Q1', '0037', DONE], found)
    rowEvents(leads, ['Id', 'ConvertedContactId', 'CreatedDate'], ['00Q2', '', DONE], found)
    expect([...found]).toEqual([['0037', 'lead-00Q1']])
  })

  it('takes the first of several ids a cell lists', () => {
    const deals = mappingOf(`format: hubspot-deals
source: crm
leadId: { column: Contacts, separator: ';', prefix: contact- }
events:
  - type: { value: opportunity.created }
    at: { column: At }
`)
    const converted = rowEvents(deals, ['Contacts', 'At'], ['51001;51003', DONE])
    expect('events' in converted && converted.events.map((event) => event.leadId)).toEqual([
      'contact-51001',
    ])
  })

  it('locates what a CRM export mapping gets wrong', () => {
    expect(
      problemsOf(`format: hubspot-contacts
source: crm
timeZone: UTC
timeZoneFromFlag: true
leadId: { column: Id, columns: [Id] }
events:
  - when: { column: Owner, matches: '(' }
    type: { column: Stage, map: stages }
    at: { column: At, format: 'yyyy-MM-dd' }
  - when: { column: Owner }
    type: { value: lead.created }
    at: { column: At }
`),
    ).toEqual([
      'map.yaml:4:19 timeZoneFromFlag: the zone is either timeZone (fixed) or --time-zone (timeZoneFromFlag), not both',
      'map.yaml:5:9 leadId: give either column or columns (the first filled), not both',
      'map.yaml:7:37 events[0].when.matches: Invalid regular expression: /(/: Unterminated group',
      'map.yaml:8:33 events[0].type.map: no map named "stages" in maps; named: (none)',
      'map.yaml:10:11 events[1].when: give in (the cells that qualify) or matches (a regular expression)',
    ])
  })
})
