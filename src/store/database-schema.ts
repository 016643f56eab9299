/** Table shapes as Kysely sees them. Timestamps are epoch milliseconds in bigint columns. */
import type { ColumnType, Generated } from 'kysely'

/** pg returns int8 as a string, PGlite as a number or bigint; rows are mapped in one place. */
type Int8 = ColumnType<string | number | bigint, number, number>
type Json = ColumnType<unknown, string, string>

export interface LeadEventsTable {
  seq: Generated<Int8>
  event_id: string
  idempotency_key: string
  lead_id: string
  type: string
  occurred_at: Int8
  received_at: Int8
  actor: ColumnType<unknown, string | null, string | null>
  source: string
  payload: Json
}

export interface LeadsTable {
  lead_id: string
  stage: string
  owner_id: string | null
  tier: string | null
  score: number | null
  source: string
  country: string | null
  email: string | null
  policy_version: string
  queues: Json
  state: Json
  event_count: number
  last_event_seq: Int8
  updated_at: Int8
}

export interface DatabaseSchema {
  lead_events: LeadEventsTable
  leads: LeadsTable
}
