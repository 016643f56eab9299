/**
 * A CSV mapping: which columns of an export make which Leadclock events. Parsed and checked like
 * the policy (problems located by file, line and column), then checked against the CSV's header,
 * then used to turn each row into its events — the events `leadclock import FILE.jsonl` takes.
 */
import { createHash } from 'node:crypto'

import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'

import { ruleOf } from '../app/event-input.js'
import type { RecordProblem } from '../app/import-records.js'
import { instantSchema } from '../domain/instant.js'
import { isLeadEventType, LEAD_EVENT_TYPES } from '../domain/lead-events.js'
import type { DocumentPath, ParsedYaml, UnlocatedProblem } from '../policy/yaml-document.js'
import { parseValidatedYaml } from '../policy/yaml-document.js'

const scalarSchema = z.union([z.string(), z.number(), z.boolean()])

/** Where a field's value comes from: a fixed `value`, or the row's cell in `column`. */
const cellSchema = z.strictObject({
  value: scalarSchema.optional(),
  /** An empty cell leaves the field out. */
  column: z.string().min(1).optional(),
  /** Cell text → value (e.g. `pricing_form` → `pricing-page`); other cells refuse the row… */
  map: z.record(z.string(), scalarSchema).optional(),
  /** …unless they are kept as they are. */
  keepUnmapped: z.boolean().optional(),
  /** How an unmapped cell is read. */
  as: z.enum(['text', 'number', 'boolean']).optional(),
})
type Cell = z.infer<typeof cellSchema>

const eventSchema = z.strictObject({
  /** Only rows whose cell in `column` is one of `in` have this event (an activity log's kinds). */
  when: z.strictObject({ column: z.string().min(1), in: z.array(z.string()).min(1) }).optional(),
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
  format: z.literal('csv'),
  /** The events' source: their idempotency keys are unique within it. */
  source: z.string().trim().min(1).max(100),
  delimiter: z.string().length(1).default(','),
  /** The zone of timestamps written without an offset, unless their `at.zone` says otherwise. */
  timeZone: z.string().min(1).optional(),
  leadId: z.strictObject({ column: z.string().min(1) }),
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
    { path: ['leadId', 'column'], column: mapping.leadId.column },
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

function cellProblems(cell: Cell, path: DocumentPath): UnlocatedProblem[] {
  if ((cell.value === undefined) === (cell.column === undefined)) {
    return [{ path, message: 'give either value (the same for every row) or column, not both' }]
  }
  const columnOnly = (['map', 'keepUnmapped', 'as'] as const).filter(
    (key) => cell.column === undefined && cell[key] !== undefined,
  )
  return columnOnly.map((key) => ({
    path: [...path, key],
    message: `${key} reads a column's cells; it has no meaning next to value`,
  }))
}

function typeProblems(cell: Cell, path: DocumentPath): UnlocatedProblem[] {
  const types =
    cell.value === undefined
      ? Object.entries(cell.map ?? {}).map(([text, type]) => ({
          type,
          path: [...path, 'map', text],
        }))
      : [{ type: cell.value, path: [...path, 'value'] }]
  return types.flatMap(({ type, path: at }) =>
    typeof type === 'string' && isLeadEventType(type)
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

function checkMapping(mapping: CsvMapping): UnlocatedProblem[] {
  return [
    ...zoneProblems(mapping.timeZone, ['timeZone']),
    ...mapping.events.flatMap((event, index): UnlocatedProblem[] => {
      const path = ['events', index] as const
      return [
        ...cellProblems(event.type, [...path, 'type']),
        ...typeProblems(event.type, [...path, 'type']),
        ...(event.actor ? cellProblems(event.actor, [...path, 'actor']) : []),
        ...Object.entries(event.payload).flatMap(([field, cell]) =>
          cellProblems(cell, [...path, 'payload', field]),
        ),
        ...zoneProblems(event.at.zone, [...path, 'at', 'zone']),
        ...(event.at.format !== 'iso' &&
        event.at.zone === undefined &&
        event.at.zoneColumn === undefined &&
        mapping.timeZone === undefined
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

function readCell(cell: Cell, text: string): Read<unknown> {
  if (cell.value !== undefined) {
    return { value: cell.value }
  }
  if (text === '') {
    return { value: undefined }
  }
  if (cell.map !== undefined) {
    if (Object.hasOwn(cell.map, text)) {
      return { value: cell.map[text] }
    }
    if (cell.keepUnmapped !== true) {
      return {
        rule: 'mapped-value',
        problem: `"${text}" is not in the mapping's map; mapped: ${Object.keys(cell.map).join(', ')}`,
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

/** One data row (its cells, in header order) → the events it describes, or all that is wrong. */
export function rowEvents(
  mapping: CsvMapping,
  header: readonly string[],
  cells: readonly string[],
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
    problems.push({
      field,
      rule: read.rule,
      message: read.problem,
      ...(column === undefined ? {} : { column }),
    })
  }
  const leadId = textOf(mapping.leadId.column)
  if (leadId === '') {
    refuse('leadId', mapping.leadId.column, {
      rule: 'required',
      problem: 'is empty; every row needs its lead id',
    })
  }
  const key = mapping.key ? textOf(mapping.key.column) : undefined
  const emitted: { event: Record<string, unknown>; spec: CsvMapping['events'][number] }[] = []
  for (const spec of mapping.events) {
    const atText = textOf(spec.at.column)
    if (atText === '' || (spec.when && !spec.when.in.includes(textOf(spec.when.column)))) {
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
    const type = readCell(spec.type, spec.type.column === undefined ? '' : textOf(spec.type.column))
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
      const read = readCell(cell, cell.column === undefined ? '' : textOf(cell.column))
      if ('problem' in read) {
        refuse(`payload.${field}`, cell.column, read)
      } else if (read.value !== undefined) {
        setPath(payload, field, read.value)
      }
    }
    const actor = spec.actor
      ? readCell(spec.actor, spec.actor.column === undefined ? '' : textOf(spec.actor.column))
      : undefined
    if (actor !== undefined && 'problem' in actor) {
      refuse('actor.id', spec.actor?.column, actor)
    }
    if ('value' in at && 'value' in type && (actor === undefined || 'value' in actor)) {
      emitted.push({
        spec,
        event: {
          idempotencyKey: idempotencyKeyOf([leadId, type.value, at.value, key]),
          leadId,
          type: type.value,
          occurredAt: at.value,
          source: mapping.source,
          ...(actor?.value === undefined ? {} : { actor: { id: actor.value } }),
          payload,
        },
      })
    }
  }
  if (problems.length > 0) {
    return { problems }
  }
  return {
    events: emitted.map(({ event }) => event),
    columnOf: (eventIndex, field) => {
      const spec = emitted[eventIndex]?.spec
      if (spec === undefined) {
        return undefined
      }
      if (field === 'leadId') {
        return mapping.leadId.column
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
