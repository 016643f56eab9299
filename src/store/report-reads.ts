/**
 * What the reports read: counts and the few rows a report shows, gathered in SQL from the
 * escalations projection, the report columns of `leads` (migration 0009) and the event log, so
 * that no report reads every lead's state.
 */
import type { SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'

import type { MetricSource } from '../app/report-port.js'
import type { EscalationRecord, LeadState } from '../domain/lead-state.js'
import type { EscalationFacts } from '../reports/escalation-report.js'
import type { HandoffLead } from '../reports/handoff-report.js'
import type { ReportWindow } from '../reports/report-window.js'
import type { RoutedLead } from '../reports/routing-report.js'
import { int8ToNumber } from './column-values.js'
import type { DatabaseSchema, Int8Value } from './database-schema.js'
import type { StoreExecutor } from './transaction.js'

function firedWithin<O>(
  query: SelectQueryBuilder<DatabaseSchema, 'escalations', O>,
  window: ReportWindow,
): SelectQueryBuilder<DatabaseSchema, 'escalations', O> {
  let within = query
  if (Number.isFinite(window.from)) {
    within = within.where('fired_at', '>=', window.from)
  }
  if (Number.isFinite(window.to)) {
    within = within.where('fired_at', '<', window.to)
  }
  return within
}

const count = (value: Int8Value): number => int8ToNumber(value, 'count(*)')

export async function escalationFacts(
  executor: StoreExecutor,
  window: ReportWindow,
): Promise<EscalationFacts> {
  const escalations = firedWithin(executor.selectFrom('escalations'), window)
  // One scan; float8 is exact for these integers and parses as a number on both drivers.
  const groups = await escalations
    .select([
      'subject_id',
      'step_id',
      'severity',
      'kind',
      'rep_id',
      'graced',
      'open',
      sql<number[]>`array_agg(fired_at::float8)`.as('fired_at'),
      sql<number[]>`array_agg((fired_at - due_at)::float8)`.as('lags_ms'),
    ])
    .groupBy(['subject_id', 'step_id', 'severity', 'kind', 'rep_id', 'graced', 'open'])
    .execute()
  const open = await escalations
    .select(['lead_id', 'record'])
    .where('open', '=', true)
    .orderBy('fired_at')
    .orderBy('step_key')
    .execute()
  return {
    groups: groups.map((row) => ({
      subjectId: row.subject_id,
      stepId: row.step_id,
      severity: row.severity,
      kind: row.kind,
      repId: row.rep_id,
      graced: row.graced,
      open: row.open,
      firedAt: row.fired_at,
      lagsMs: row.lags_ms,
    })),
    // Written by syncEscalations from the engine's own record.
    open: open.map((row) => ({ leadId: row.lead_id, record: row.record as EscalationRecord })),
    crmRealityFlags: await crmRealityFlags(executor, window),
  }
}

/** Flags of the activities received within the window, counted by the lead's owner. */
async function crmRealityFlags(
  executor: StoreExecutor,
  window: ReportWindow,
): Promise<EscalationFacts['crmRealityFlags']> {
  const receivedAt = sql<number>`(activity ->> 'receivedAt')::bigint`
  const rows = await sql<{ owner_id: string; flag: string; count: Int8Value }>`
    select owner_id, flag, count(*) as count
    from leads
      cross join lateral jsonb_array_elements(flagged_activities) as activity
      cross join lateral jsonb_array_elements_text(activity -> 'flags') as flag
    where flagged_activities is not null and owner_id is not null
      and ${Number.isFinite(window.from) ? sql`${receivedAt} >= ${window.from}` : sql`true`}
      and ${Number.isFinite(window.to) ? sql`${receivedAt} < ${window.to}` : sql`true`}
    group by owner_id, flag
  `.execute(executor)
  return rows.rows.map((row) => ({ repId: row.owner_id, flag: row.flag, count: count(row.count) }))
}

/** The leads that reached SQL, with what the handoff report reads of them. */
export async function listHandoffLeads(executor: StoreExecutor): Promise<HandoffLead[]> {
  const rows = await executor
    .selectFrom('leads')
    .select(['owner_id', 'ae_id', 'handoff_transitions', 'ae_rejections'])
    .where(sql<boolean>`handoff_transitions @> '[{"to": "sql"}]'`)
    .orderBy('lead_id')
    .execute()
  // Generated from the engine's own state.
  return rows.map((row) => ({
    ownerId: row.owner_id,
    aeId: row.ae_id,
    transitions: row.handoff_transitions as LeadState['transitions'],
    aeRejections: row.ae_rejections as LeadState['aeRejections'],
  }))
}

/** What the routing report reads of these leads: email and when each became an MQL. */
export async function listRoutedLeads(
  executor: StoreExecutor,
  leadIds: readonly string[],
): Promise<Map<string, RoutedLead>> {
  if (leadIds.length === 0) {
    return new Map()
  }
  const rows = await executor
    .selectFrom('leads')
    .select([
      'lead_id',
      'email',
      sql<number[]>`jsonb_path_query_array(state, '$.transitions[*] ? (@.to == "mql").at')`.as(
        'mql_at',
      ),
    ])
    .where(sql<boolean>`lead_id = any(${[...leadIds]}::text[])`)
    .execute()
  return new Map(rows.map((row) => [row.lead_id, { email: row.email, mqlAt: row.mql_at }]))
}

/** How many of these leads had an owner assigned to correct a mis-route. */
export async function countMisroutedLeads(
  executor: StoreExecutor,
  leadIds: readonly string[],
): Promise<number> {
  if (leadIds.length === 0) {
    return 0
  }
  const row = await executor
    .selectFrom('lead_events')
    .select(sql<Int8Value>`count(distinct lead_id)`.as('count'))
    .where(sql<boolean>`lead_id = any(${[...leadIds]}::text[])`)
    .where('type', '=', 'owner.assigned')
    .where(sql<boolean>`payload ->> 'reassignment' = 'misroute'`)
    .executeTakeFirstOrThrow()
  return count(row.count)
}

/** Every lead that ever became an MQL: its state and its fold's clock moments (null: no fold). */
export async function listMetricSources(executor: StoreExecutor): Promise<MetricSource[]> {
  const rows = await executor
    .selectFrom('leads')
    .select(['state', sql<unknown>`fold -> 'clockEffects'`.as('clock_effects')])
    .where(sql<boolean>`state -> 'transitions' @> '[{"to": "mql"}]'`)
    .orderBy('lead_id')
    .execute()
  // The engine's own state and clock moments, stored as it gave them.
  return rows.map((row) => ({
    state: row.state as LeadState,
    clockEffects: (row.clock_effects ?? null) as MetricSource['clockEffects'],
  }))
}
