/**
 * Table shapes as Kysely sees them. Select types say what the drivers really return (pg gives
 * int8 as a string, PGlite as a number or bigint; jsonb as parsed JSON): rows are checked and
 * converted where they enter, in event-row.ts and lead-projection.ts. Timestamps are epoch
 * milliseconds in bigint columns. jsonb columns are written as JSON text.
 */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely'

/** What a driver returns for a bigint column. */
export type Int8Value = string | number | bigint

type Int8 = ColumnType<Int8Value, number, number>
type NullableInt8 = ColumnType<Int8Value | null, number | null, number | null>
type Jsonb = ColumnType<unknown, string, string>

/**
 * Append-only: a trigger refuses UPDATE and DELETE, but for the payload in an erasure of personal
 * data (migration 0012).
 */
export interface LeadEventsTable {
  seq: ColumnType<Int8Value, never, never>
  event_id: ColumnType<string, string, never>
  idempotency_key: ColumnType<string, string, never>
  lead_id: ColumnType<string, string, never>
  type: ColumnType<string, string, never>
  occurred_at: ColumnType<Int8Value, number, never>
  received_at: ColumnType<Int8Value, number, never>
  actor: ColumnType<unknown, string | null, never>
  source: ColumnType<string, string, never>
  payload: ColumnType<unknown, string, string>
}

export interface LeadsTable {
  lead_id: string
  stage: string
  owner_id: string | null
  tier: string | null
  score: number | null
  source: string
  country: string | null
  /** Lower-cased; intake looks up duplicates by it. */
  email: string | null
  policy_version: string
  /** JSON array of queue names, so a queue filter can use a GIN index. */
  queues: Jsonb
  /** The full derived state, as the engine produced it (a JSON object). */
  state: Jsonb
  event_count: number
  last_event_seq: Int8
  updated_at: Int8
  /** Clock moments, fold position and policy fingerprint of `state`; null: replay the history. */
  fold: ColumnType<unknown, string | null, string | null>
  /** Generated from `state` for the reports (migration 0009); JSON arrays, null when empty. */
  flagged_activities: GeneratedAlways<unknown>
  handoff_transitions: GeneratedAlways<unknown>
  ae_id: GeneratedAlways<string | null>
  ae_rejections: GeneratedAlways<unknown>
}

/** One SLA clock a lead has started; its status at `now` follows from these instants. */
export interface LeadClocksTable {
  lead_id: string
  item_id: string
  started_at: Int8
  stopped_at: NullableInt8
  target_at: NullableInt8
  breach_at: NullableInt8
  paused_at: NullableInt8
  problem: string | null
}

export interface SuppressedDomainsTable {
  domain: string
  since: Int8
  lead_id: string
  reason: string
}

export interface RoutingLogTable {
  id: Generated<Int8>
  kind: string
  lead_id: string | null
  mql_number: number | null
  decided_at: Int8
  owner_id: string | null
  rule: string | null
  queue: string | null
  reason: string
  due_at: ColumnType<Int8Value | null, number | null, number | null>
  details: Jsonb
}

export interface SettingsTable {
  key: string
  value: Jsonb
  updated_at: Int8
}

export interface SlaTimersTable {
  step_key: string
  lead_id: string
  due_at: Int8
  state: ColumnType<string, string | undefined, string>
  settled_at: ColumnType<Int8Value | null, number | null | undefined, number | null>
  fired_lag_ms: ColumnType<Int8Value | null, number | null | undefined, number | null>
  attempts: ColumnType<number, number | undefined, number>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
}

export interface EscalationsTable {
  step_key: string
  lead_id: string
  kind: string
  subject_id: string
  step_id: string
  severity: string
  rep_id: string | null
  graced: boolean
  due_at: Int8
  fired_at: Int8
  open: boolean
  record: Jsonb
}

export interface NotificationOutboxTable {
  delivery_key: string
  step_key: string
  lead_id: string
  channel: string
  recipient: Jsonb
  message: Jsonb
  state: ColumnType<string, string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Int8
  locked_at: ColumnType<Int8Value | null, number | null | undefined, number | null>
  last_error: ColumnType<string | null, string | null | undefined, string | null>
  created_at: Int8
  delivered_at: ColumnType<Int8Value | null, number | null | undefined, number | null>
}

export interface TasksTable {
  task_id: string
  lead_id: string
  owner_role: string
  owner_id: string | null
  due_at: ColumnType<Int8Value | null, number | null, number | null>
  state: string
  opened_at: Int8
  completed_at: ColumnType<Int8Value | null, number | null, number | null>
  /** The task as the domain's view gives it (a JSON object). */
  task: Jsonb
}

export interface ApiTokensTable {
  token_id: string
  /** SHA-256 (HMAC with the pepper when one is set) of the secret; the secret is never stored. */
  secret_hash: string
  role: string
  person_id: string | null
  label: string | null
  created_at: Int8
  expires_at: NullableInt8
  revoked_at: ColumnType<Int8Value | null, number | null | undefined, number | null>
  last_used_at: ColumnType<Int8Value | null, number | null | undefined, number | null>
}

export interface SessionsTable {
  session_hash: string
  token_id: string
  csrf_hash: string
  created_at: Int8
  expires_at: Int8
}

/** Append-only: a trigger refuses UPDATE and DELETE, but for what an entry recorded in an erasure. */
export interface AuditLogTable {
  seq: ColumnType<Int8Value, never, never>
  at: ColumnType<Int8Value, number, never>
  action: ColumnType<string, string, never>
  subject: ColumnType<string, string, never>
  person_id: ColumnType<string | null, string | null, never>
  token_id: ColumnType<string | null, string | null, never>
  origin: ColumnType<string, string, never>
  before: ColumnType<unknown, string | null, string | null>
  after: ColumnType<unknown, string | null, string | null>
  detail: ColumnType<unknown, string | null, string | null>
}

/** Leads whose derived rows lag their log (migration 0013). */
export interface PendingDerivationsTable {
  lead_id: string
}

export interface DatabaseSchema {
  pending_derivations: PendingDerivationsTable
  api_tokens: ApiTokensTable
  sessions: SessionsTable
  audit_log: AuditLogTable
  tasks: TasksTable
  sla_timers: SlaTimersTable
  escalations: EscalationsTable
  notification_outbox: NotificationOutboxTable
  routing_log: RoutingLogTable
  settings: SettingsTable
  lead_events: LeadEventsTable
  leads: LeadsTable
  lead_clocks: LeadClocksTable
  suppressed_domains: SuppressedDomainsTable
}
