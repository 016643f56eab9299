/**
 * The README's event reference, generated from the payload schemas so the two cannot drift: each
 * event type with its required and optional payload fields. A test keeps the README equal to it.
 */
import type { z } from 'zod'

import type { LeadEventType } from '../domain/lead-events.js'
import { LEAD_EVENT_TYPES, leadEventPayloadSchemas } from '../domain/lead-events.js'

export interface EventTypeFields {
  readonly type: LeadEventType
  readonly required: readonly string[]
  readonly optional: readonly string[]
}

/** A field is required when leaving it out fails validation. */
export function eventTypeFields(): EventTypeFields[] {
  return LEAD_EVENT_TYPES.map((type) => {
    const shape: Record<string, z.ZodType> = leadEventPayloadSchemas[type].shape
    const names = Object.keys(shape)
    const required = names.filter((name) => !shape[name]?.safeParse(undefined).success)
    return { type, required, optional: names.filter((name) => !required.includes(name)) }
  })
}

const fieldList = (names: readonly string[]): string =>
  names.length === 0 ? '—' : names.map((name) => `\`${name}\``).join(', ')

/** The Markdown table the README carries between its event-reference markers. */
export function eventReferenceTable(): string {
  const rows = eventTypeFields().map(
    ({ type, required, optional }) =>
      `| \`${type}\` | ${fieldList(required)} | ${fieldList(optional)} |`,
  )
  return [
    '| event type | required payload fields | optional payload fields |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n')
}
