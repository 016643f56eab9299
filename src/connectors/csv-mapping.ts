/**
 * A CSV mapping: which columns of an export make which Leadclock events. Parsed and checked like
 * the policy (problems located by file, line and column), then checked against the CSV's header,
 * then used to turn each row into its events — the events `leadclock import FILE.jsonl` takes.
 */
import { createHash } from 'node:crypto'

import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'

import { ruleOf } from '../app/event-input.js'
import { EXPORT_FORMATS } from './import-formats.js'
import type { RecordProblem } from '../app/import-records.js'
import { instantSchema } from '../domain/instant.js'
import { isLeadEventType, LEAD_EVENT_TYPES } from '../domain/lead-events.js'
import type { DocumentPath, ParsedYaml, UnlocatedProblem } from '../policy/yaml-document.js'
import { parseValidatedYaml } from '../policy/yaml-document.js'

const scalarSchema = z.union([z.string(), z.number(), z.boolean()])

/**
 * Cell text → value. `null` reads the cell as known but meaning nothing: a type mapped to null
 * gives the row no such event, a payload field mapped to null is left out.
 */
const valueMapSchema = z.record(z.string(), scalarSchema.nullable())
type ValueMap = z.infer<typeof valueMapSchema>

/** Where a field's value comes from: a fixed `value`, or the row's cell in `column`. */
const cellSchema = z.strictObject({
  value: scalarSchema.optional(),
  /** An empty cell leaves the field out, unless `ifEmpty` gives its value. */
  column: z.string().min(1).optional(),
  ifEmpty: scalarSchema.nullable().optional(),
  /**
   * Cell text → value (e.g. `pricing_form` → `pricing-page`), or the name of one of the mapping's
   * `maps`; other cells refuse the row…
   */
  map: z.union([z.string().min(1), valueMapSchema]).optional(),
  /** …unless they are kept as they are. */
  keepUnmapped: z.boolean().optional(),
  /** How an unmapped cell is read. */
  as: z.enum(['text', 'number', 'boolean']).optional(),
})
type Cell = z.infer<typeof cellSchema>

const eventSchema = z.strictObject({
  /**
   * Only rows whose cell in `column` is one of `in` (an activity log's kinds), or matches the
   * regular expression `matches` (e.g. `^005` for a Salesforce user), have this event.
   */
  when: z
    .strictObject({
      column: z.string().min(1),
      in: z.array(z.string()).min(1).optional(),
      matches: z.string().min(1).optional(),
    })
    .optional(),
  /**
   * Only rows whose lead id is their own have this event, not rows another export of the import
   * says belong to an older lead (a Salesforce contact converted from a lead: the lead has its
   * own `lead.created`).
   */
  ownLeadOnly: z.boolean().optional(),
  /** The event type: a `value`, or a `column` (through its `map`, e.g. `call` → `activity.logged`). */
  type: cellSchema,
  /** When it happened; a row whose cell is empty has no such event. */
  at: z.strictObject({
    column: z.string().min(1),
    /** `iso` (ISO 8601 with an offset) or a Luxon format read in `zone`, e.g. `yyyy-MM-dd HH:mm`. */
    format: z.string().min(1).default('iso'),
    zone: z.string().min(1).optional(),
    /** A column with each row's zone (the prospect's); an empty cell falls back to `zone`. */
    zoneColumn: z.string().min(1).optional(),
  }),
  actor: cellSchema.optional(),
  /** Dotted payload paths (`profile.email`) → where their values come from. */
  payload: z.record(z.string(), cellSchema).default({}),
})

export const csvMappingSchema = z.strictObject({
  /** The export it reads: `csv` (any file), or a CRM export format it is the mapping of. */
  format: z.enum(['csv', ...EXPORT_FORMATS]),
  /** The events' source: their idempotency keys are unique within it. */
  source: z.string().trim().min(1).max(100),
  delimiter: z.string().length(1).default(','),
  /** The zone of timestamps written without an offset, unless their `at.zone` says otherwise. */
  timeZone: z.string().min(1).optional(),
  /**
   * The zone of timestamps written without an offset is given by `--time-zone` on each import,
   * which then requires it (HubSpot writes times in the portal's zone, which the file never says).
   */
  timeZoneFromFlag: z.boolean().optional(),
  /** Named value maps, for cells that read the same labels (`map: owners`). */
  maps: z.record(z.string().min(1), valueMapSchema).default({}),
  /**
   * The lead id: the cell in `column`, or the first filled of `columns`. A cell may list several
   * ids split by `separator` (HubSpot's associations): the first is the lead. An id that another
   * export of the same import names in its `aliases` columns is read as that export's lead.
   */
  leadId: z.strictObject({
    column: z.string().min(1).optional(),
    columns: z.array(z.string().min(1)).min(1).optional(),
    separator: z.string().length(1).optional(),
    /**
     * Put before the id, so an export's leads are the ones the CRM's webhooks name
     * (`hubspot-contact-`); or by the id's first characters, a record's kind in Salesforce
     * (`00Q: salesforce-lead-`): an id starting with none of them refuses the row.
     */
    prefix: z.union([z.string(), z.record(z.string().min(1), z.string())]).optional(),
  }),
  /**
   * Columns holding other ids the row's lead goes by in the exports imported after this one (a
   * Salesforce lead's ConvertedContactId): their rows land on this row's lead.
   */
  aliases: z.array(z.string().min(1)).default([]),
  /** A column that tells rows of the same lead, type and instant apart (an activity id). */
  key: z.strictObject({ column: z.string().min(1) }).optional(),
  events: z.array(eventSchema).min(1),
})
export type CsvMapping = z.infer<typeof csvMappingSchema>

interface ColumnReference {
  readonly path: DocumentPath
  readonly column: string
}

function cellReferences(cell: Cell | undefined, path: DocumentPath): ColumnReference[] {
  return cell?.column === undefined ? [] : [{ path: [...path, 'column'], column: cell.column }]
}

/** Every column the mapping reads, with where it names it. */
function columnReferences(mapping: CsvMapping): ColumnReference[] {
  return [
    ...(mapping.leadId.column === undefined
      ? []
      : [{ path: ['leadId', 'column'], column: mapping.leadId.column }]),
    ...(mapping.leadId.columns ?? []).map((column, index) => ({
      path: ['leadId', 'columns', index],
      column,
    })),
    ...mapping.aliases.map((column, index) => ({ path: ['aliases', index], column })),
    ...(mapping.key ? [{ path: ['key', 'column'], column: mapping.key.column }] : []),
    ...mapping.events.flatMap((event, index) => [
      ...(event.when
        ? [{ path: ['events', index, 'when', 'column'], column: event.when.column }]
        : []),
      ...cellReferences(event.type, ['events', index, 'type']),
      { path: ['events', index, 'at', 'column'], column: event.at.column },
      ...(event.at.zoneColumn === undefined
        ? []
        : [{ path: ['events', index, 'at', 'zoneColumn'], column: event.at.zoneColumn }]),
      ...cellReferences(event.actor, ['events', index, 'actor']),
      ...Object.entries(event.payload).flatMap(([field, cell]) =>
        cellReferences(cell, ['events', index, 'payload', field]),
      ),
    ]),
  ]
}

/** The columns a mapping reads. */
export function columnsReadBy(mapping: CsvMapping): ReadonlySet<string> {
  return new Set(columnReferences(mapping).map((reference) => reference.column))
}

function cellProblems(
  cell: Cell,
  path: DocumentPath,
  maps: CsvMapping['maps'],
): UnlocatedProblem[] {
  if ((cell.value === undefined) === (cell.column === undefined)) {
    return [{ path, message: 'give either value (the same for every row) or column, not both' }]
  }
  const columnOnly = (['map', 'keepUnmapped', 'as', 'ifEmpty'] as const).filter(
    (key) => cell.column === undefined && cell[key] !== undefined,
  )
  const unknownMap =
    typeof cell.map === 'string' && !Object.hasOwn(maps, cell.map)
      ? [
          {
            path: [...path, 'map'],
            message: `no map named "${cell.map}" in maps; named: ${Object.keys(maps).join(', ') || '(none)'}`,
          },
        ]
      : []
  return [
    ...columnOnly.map((key) => ({
      path: [...path, key],
      message: `${key} reads a column's cells; it has no meaning next to value`,
    })),
    ...unknownMap,
  ]
}

/** The cell's map: its own, or the named one of the mapping's `maps`. */
function mapOf(cell: Cell, maps: CsvMapping['maps']): ValueMap | undefined {
  return typeof cell.map === 'string' ? maps[cell.map] : cell.map
}

function typeProblems(
  cell: Cell,
  path: DocumentPath,
  maps: CsvMapping['maps'],
): UnlocatedProblem[] {
  const types =
    cell.value === undefined
      ? Object.entries(mapOf(cell, maps) ?? {}).map(([text, type]) => ({
          type,
          path: typeof cell.map === 'string' ? [...path, 'map'] : [...path, 'map', text],
        }))
      : [{ type: cell.value, path: [...path, 'value'] }]
  return types.flatMap(({ type, path: at }) =>
    type === null || (typeof type === 'string' && isLeadEventType(type))
      ? []
      : [
          {
            path: at,
            message: `unknown event type ${JSON.stringify(type)}; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
          },
        ],
  )
}

function zoneProblems(zone: string | undefined, path: DocumentPath): UnlocatedProblem[] {
  return zone === undefined || IANAZone.isValidZone(zone)
    ? []
    : [
        {
          path,
          message: `"${zone}" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)`,
        },
      ]
}

function leadIdProblems(mapping: CsvMapping): UnlocatedProblem[] {
  return (mapping.leadId.column === undefined) === (mapping.leadId.columns === undefined)
    ? [{ path: ['leadId'], message: 'give either column or columns (the first filled), not both' }]
    : []
}

function whenProblems(
  when: CsvMapping['events'][number]['when'],
  path: DocumentPath,
): UnlocatedProblem[] {
  if (when === undefined) {
    return []
  }
  if (when.in === undefined && when.matches === undefined) {
    return [{ path, message: 'give in (the cells that qualify) or matches (a regular expression)' }]
  }
  try {
    new RegExp(when.matches ?? '')
    return []
  } catch (error) {
    return [{ path: [...path, 'matches'], message: (error as Error).message }]
  }
}

function checkMapping(mapping: CsvMapping): UnlocatedProblem[] {
  const zoneGiven = mapping.timeZone !== undefined || mapping.timeZoneFromFlag === true
  return [
    ...zoneProblems(mapping.timeZone, ['timeZone']),
    ...(mapping.timeZone !== undefined && mapping.timeZoneFromFlag === true
      ? [
          {
            path: ['timeZoneFromFlag'],
            message:
              'the zone is either timeZone (fixed) or --time-zone (timeZoneFromFlag), not both',
          },
        ]
      : []),
    ...leadIdProblems(mapping),
    ...mapping.events.flatMap((event, index): UnlocatedProblem[] => {
      const path = ['events', index] as const
      return [
        ...whenProblems(event.when, [...path, 'when']),
        ...cellProblems(event.type, [...path, 'type'], mapping.maps),
        ...typeProblems(event.type, [...path, 'type'], mapping.maps),
        ...(event.actor ? cellProblems(event.actor, [...path, 'actor'], mapping.maps) : []),
        ...Object.entries(event.payload).flatMap(([field, cell]) =>
          cellProblems(cell, [...path, 'payload', field], mapping.maps),
        ),
        ...zoneProblems(event.at.zone, [...path, 'at', 'zone']),
        ...(event.at.format !== 'iso' &&
        event.at.zone === undefined &&
        event.at.zoneColumn === undefined &&
        !zoneGiven
          ? [
              {
                path: [...path, 'at', 'format'],
                message: `a timestamp read with format "${event.at.format}" needs a zone: set timeZone (for the file) or at.zone`,
              },
            ]
          : []),
      ]
    }),
  ]
}

export function parseCsvMapping(text: string, file: string): ParsedYaml<CsvMapping> {
  return parseValidatedYaml(text, file, csvMappingSchema, checkMapping)
}

/** The CSV's header against the mapping: every column it reads must be there, exactly once. */
export function checkCsvHeader(mapping: CsvMapping, header: readonly string[]): UnlocatedProblem[] {
  return columnReferences(mapping).flatMap(({ path, column }) => {
    const count = header.filter((name) => name === column).length
    if (count === 1) {
      return []
    }
    return [
      {
        path,
        message:
          count === 0
            ? `column "${column}" is not in the CSV header; the header has: ${header.join(', ')}`
            : `column "${column}" appears ${count} times in the CSV header; which one is meant?`,
      },
    ]
  })
}

type Read<T> =
  { readonly value: T | undefined } | { readonly problem: string; readonly rule: string }

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A cell's value; `null` when its map reads it as meaning nothing. */
function readCell(cell: Cell, text: string, maps: CsvMapping['maps']): Read<unknown> {
  if (cell.value !== undefined) {
    return { value: cell.value }
  }
  if (text === '') {
    return { value: cell.ifEmpty }
  }
  const map = mapOf(cell, maps)
  if (map !== undefined) {
    if (Object.hasOwn(map, text)) {
      return { value: map[text] }
    }
    if (cell.keepUnmapped !== true) {
      const named = typeof cell.map === 'string' ? ` ${cell.map}` : ''
      return {
        rule: 'mapped-value',
        problem: `"${text}" is not in the mapping's map${named}; mapped: ${Object.keys(map).join(', ') || '(nothing yet: fill it)'}`,
      }
    }
  }
  if (cell.as === 'number') {
    return NUMBER.test(text)
      ? { value: Number(text) }
      : { rule: 'number', problem: `"${text}" is not a number` }
  }
  if (cell.as === 'boolean') {
    const lower = text.toLowerCase()
    return lower === 'true' || lower === 'false'
      ? { value: lower === 'true' }
      : { rule: 'boolean', problem: `"${text}" is neither true nor false` }
  }
  return { value: text }
}

function readInstant(format: string, zone: string, text: string): Read<number> {
  if (format === 'iso') {
    const parsed = instantSchema.safeParse(text)
    const issue = parsed.error?.issues[0]
    return issue === undefined
      ? { value: parsed.data }
      : { rule: ruleOf(issue), problem: issue.message }
  }
  const read = DateTime.fromFormat(text, format, { zone })
  return read.isValid
    ? { value: read.toMillis() }
    : { rule: 'timestamp-format', problem: `"${text}" does not match the format "${format}"` }
}

/** The zone a row's timestamp is read in: its own zone cell, else the mapping's. */
function zoneOf(
  at: CsvMapping['events'][number]['at'],
  fallback: string | undefined,
  cell: string,
): Read<string> {
  if (cell === '') {
    return at.format === 'iso' || (at.zone ?? fallback) !== undefined
      ? { value: at.zone ?? fallback ?? 'UTC' }
      : { rule: 'required', problem: 'is empty, and the mapping gives no zone to fall back on' }
  }
  return IANAZone.isValidZone(cell)
    ? { value: cell }
    : { rule: 'time-zone', problem: `"${cell}" is not an IANA time zone (e.g. America/New_York)` }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.')
  const last = keys.pop() ?? dotted
  let node = target
  for (const key of keys) {
    const child = node[key]
    node = (typeof child === 'object' && child !== null ? child : (node[key] = {})) as Record<
      string,
      unknown
    >
  }
  node[last] = value
}

/** A deterministic key from what the row says, not where it sits: a re-export imports the same. */
function idempotencyKeyOf(parts: readonly unknown[]): string {
  return `csv-${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`
}

export type RowEvents =
  | {
      readonly events: readonly Record<string, unknown>[]
      readonly columnOf: (eventIndex: number, field: string) => string | undefined
    }
  | { readonly problems: readonly RecordProblem[] }

/**
 * Ids another export of the same import goes by → the lead they belong to (a Salesforce lead's
 * ConvertedContactId → its Id). Filled by the rows of mappings with `aliases`, read by every row.
 */
export type LeadAliases = Map<string, string>

/** The lead id of an id the row names: with its prefix, or why it is none. */
function prefixed(prefix: CsvMapping['leadId']['prefix'], id: string): Read<string> {
  if (prefix === undefined || typeof prefix === 'string') {
    return { value: `${prefix ?? ''}${id}` }
  }
  const start = Object.keys(prefix).find((key) => id.startsWith(key))
  return start === undefined
    ? {
        rule: 'lead-id',
        problem: `"${id}" is not the id of a record a lead can be (ids starting ${Object.keys(prefix).join(', ')})`,
      }
    : { value: `${prefix[start] ?? ''}${id}` }
}

/**
 * The row's lead id, and whether it is the row's own or one an alias led to; empty when the row
 * names none.
 */
function leadIdOf(
  mapping: CsvMapping,
  textOf: (column: string) => string,
  aliases: LeadAliases,
): { readonly id: Read<string>; readonly own: boolean } {
  const separator = mapping.leadId.separator
  const ids = (mapping.leadId.columns ?? [mapping.leadId.column ?? ''])
    .map((column) => {
      const text = textOf(column)
      return (separator === undefined ? text : (text.split(separator)[0] ?? '')).trim()
    })
    .filter((id) => id !== '')
  const aliased = ids.map((id) => aliases.get(id)).find((lead) => lead !== undefined)
  if (aliased !== undefined) {
    return { id: { value: aliased }, own: false }
  }
  const [id] = ids
  return { id: id === undefined ? { value: '' } : prefixed(mapping.leadId.prefix, id), own: true }
}

/** Each `when.matches` compiled once, not once a row. */
const compiled = new Map<string, RegExp>()

function applies(spec: CsvMapping['events'][number], textOf: (column: string) => string): boolean {
  const when = spec.when
  if (when === undefined) {
    return true
  }
  const text = textOf(when.column)
  if (when.in !== undefined && !when.in.includes(text)) {
    return false
  }
  if (when.matches === undefined) {
    return true
  }
  const pattern = compiled.get(when.matches) ?? new RegExp(when.matches)
  compiled.set(when.matches, pattern)
  return pattern.test(text)
}

/**
 * One data row (its cells, in header order) → the events it describes, or all that is wrong. A
 * row of a mapping with `aliases` records its lead's other ids in `aliases`.
 */
export function rowEvents(
  mapping: CsvMapping,
  header: readonly string[],
  cells: readonly string[],
  aliases: LeadAliases = new Map(),
): RowEvents {
  if (cells.length !== header.length) {
    return {
      problems: [
        {
          field: '',
          rule: 'column-count',
          message: `the row has ${cells.length} fields; the header has ${header.length}`,
        },
      ],
    }
  }
  const textOf = (column: string): string => (cells[header.indexOf(column)] ?? '').trim()
  const problems: RecordProblem[] = []
  const refuse = (
    field: string,
    column: string | undefined,
    read: { problem: string; rule: string },
  ): void => {
    // A cell several events read (a date, a stage) tells its first problem once.
    if (column !== undefined && problems.some((told) => told.column === column)) {
      return
    }
    problems.push({
      field,
      rule: read.rule,
      message: read.problem,
      ...(column === undefined ? {} : { column }),
    })
  }
  const leadIdColumn = mapping.leadId.column ?? mapping.leadId.columns?.join(' or ')
  const lead = leadIdOf(mapping, textOf, aliases)
  const leadId = 'value' in lead.id ? (lead.id.value ?? '') : ''
  if ('problem' in lead.id) {
    refuse('leadId', leadIdColumn, lead.id)
  } else if (leadId === '') {
    refuse('leadId', leadIdColumn, {
      rule: 'required',
      problem: 'is empty; every row needs its lead id',
    })
  }
  const key = mapping.key ? textOf(mapping.key.column) : undefined
  const emitted: { event: Record<string, unknown>; spec: CsvMapping['events'][number] }[] = []
  for (const spec of mapping.events) {
    const atText = textOf(spec.at.column)
    if (atText === '' || !applies(spec, textOf) || (spec.ownLeadOnly === true && !lead.own)) {
      continue
    }
    const zone = zoneOf(
      spec.at,
      mapping.timeZone,
      spec.at.zoneColumn === undefined ? '' : textOf(spec.at.zoneColumn),
    )
    const at = 'problem' in zone ? zone : readInstant(spec.at.format, zone.value ?? 'UTC', atText)
    if ('problem' in at) {
      refuse('occurredAt', 'problem' in zone ? spec.at.zoneColumn : spec.at.column, at)
    }
    const type = readCell(
      spec.type,
      spec.type.column === undefined ? '' : textOf(spec.type.column),
      mapping.maps,
    )
    if ('problem' in type) {
      refuse('type', spec.type.column, type)
    } else if (type.value === undefined) {
      refuse('type', spec.type.column, {
        rule: 'required',
        problem: 'is empty; the event type is needed',
      })
    }
    const payload: Record<string, unknown> = {}
    for (const [field, cell] of Object.entries(spec.payload)) {
      const read = readCell(
        cell,
        cell.column === undefined ? '' : textOf(cell.column),
        mapping.maps,
      )
      if ('problem' in read) {
        refuse(`payload.${field}`, cell.column, read)
      } else if (read.value !== undefined && read.value !== null) {
        setPath(payload, field, read.value)
      }
    }
    const actor = spec.actor
      ? readCell(
          spec.actor,
          spec.actor.column === undefined ? '' : textOf(spec.actor.column),
          mapping.maps,
        )
      : undefined
    if (actor !== undefined && 'problem' in actor) {
      refuse('actor.id', spec.actor?.column, actor)
    }
    if (
      'value' in at &&
      'value' in type &&
      type.value !== null &&
      (actor === undefined || 'value' in actor)
    ) {
      emitted.push({
        spec,
        event: {
          idempotencyKey: idempotencyKeyOf([leadId, type.value, at.value, key]),
          leadId,
          type: type.value,
          occurredAt: at.value,
          source: mapping.source,
          ...(actor?.value === undefined || actor.value === null
            ? {}
            : { actor: { id: actor.value } }),
          payload,
        },
      })
    }
  }
  if (problems.length > 0) {
    return { problems }
  }
  for (const column of mapping.aliases) {
    const alias = textOf(column)
    if (alias !== '') {
      aliases.set(alias, leadId)
    }
  }
  return {
    events: emitted.map(({ event }) => event),
    columnOf: (eventIndex, field) => {
      const spec = emitted[eventIndex]?.spec
      if (spec === undefined) {
        return undefined
      }
      if (field === 'leadId') {
        return leadIdColumn
      }
      if (field === 'occurredAt') {
        return spec.at.column
      }
      if (field === 'type') {
        return spec.type.column
      }
      if (field.startsWith('actor')) {
        return spec.actor?.column
      }
      const longest = Object.keys(spec.payload)
        .filter((path) => field === `payload.${path}` || field.startsWith(`payload.${path}.`))
        .sort((a, b) => b.length - a.length)[0]
      return longest === undefined ? undefined : spec.payload[longest]?.column
    },
  }
}

/** What each column of the mapping's export becomes, a line each (for `leadclock connectors`). */
export function describeCsvMapping(mapping: CsvMapping): string[] {
  const prefix = mapping.leadId.prefix
  const leadIds =
    prefix === undefined
      ? ''
      : typeof prefix === 'string'
        ? ` (lead id ${prefix}<id>)`
        : ` (lead id ${Object.entries(prefix)
            .map(([start, before]) => `${before}<id> for ${start}…`)
            .join(', ')})`
  const typeOf = (cell: Cell): string => {
    if (cell.value !== undefined) {
      return String(cell.value)
    }
    const mapped = Object.entries(mapOf(cell, mapping.maps) ?? {})
      .filter(([, type]) => type !== null)
      .map(([label, type]) => `${label} → ${String(type)}`)
    return `${cell.column ?? ''} ${mapped.length === 0 ? 'labels checked, no event' : `${mapped.join(', ')}, other labels no event`}`
  }
  const owners = mapping.maps.owners
  return [
    `  lead: ${mapping.leadId.column ?? mapping.leadId.columns?.join(', else ') ?? ''}${leadIds}`,
    ...(mapping.aliases.length === 0
      ? []
      : [`  also the lead of later exports' ${mapping.aliases.join(', ')}`]),
    ...mapping.events.map((event) => {
      const when =
        event.when === undefined
          ? ''
          : ` when ${event.when.column} ${event.when.in ? `is ${event.when.in.join(' or ')}` : `matches ${event.when.matches ?? ''}`}`
      const own = event.ownLeadOnly === true ? ', unless a converted lead already has it' : ''
      return `  ${event.at.column} → ${typeOf(event.type)}${when}${own}`
    }),
    ...(owners === undefined
      ? []
      : [
          `  owners: ${Object.keys(owners).length} mapped (--owners FILE gives them); an owner not listed is refused`,
        ]),
  ]
}
