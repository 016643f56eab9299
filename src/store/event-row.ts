/**
 * The one place where a `lead_events` row becomes a RecordedEvent: every column is checked and
 * bigint columns become numbers.
 */
import type { Selectable } from 'kysely'

import type { EventActor, RecordedEvent } from '../domain/recorded-event.js'
import { int8ToNumber, isJsonObject, jsonObjectColumn } from './column-values.js'
import type { LeadEventsTable } from './database-schema.js'
import { StoreError } from './store-error.js'

export type LeadEventRow = Selectable<LeadEventsTable>

function toActor(value: unknown): EventActor | null {
  if (value === null) {
    return null
  }
  if (
    isJsonObject(value) &&
    typeof value.id === 'string' &&
    (value.role === undefined || typeof value.role === 'string')
  ) {
    return value as unknown as EventActor
  }
  throw new StoreError('lead_events.actor: expected null or an object with a string id')
}

export function toRecordedEvent(row: LeadEventRow): RecordedEvent {
  return {
    seq: int8ToNumber(row.seq, 'lead_events.seq'),
    eventId: row.event_id,
    idempotencyKey: row.idempotency_key,
    leadId: row.lead_id,
    type: row.type,
    occurredAt: int8ToNumber(row.occurred_at, 'lead_events.occurred_at'),
    receivedAt: int8ToNumber(row.received_at, 'lead_events.received_at'),
    actor: toActor(row.actor),
    source: row.source,
    payload: jsonObjectColumn(row.payload, 'lead_events.payload'),
  }
}
