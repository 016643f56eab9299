/** The routing log (decisions and surge changes) and the settings table. */
import { sql } from 'kysely'

import type { StoredSetting } from '../app/routing-port.js'
import type { RoutingDecisionRecord, SurgeChange } from '../routing/routing-log-entries.js'
import { int8ToNumber } from './column-values.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'

const SURGE_KINDS = ['surge-started', 'surge-ended'] as const

export async function recordRoutingDecision(
  tx: StoreTransaction,
  decision: RoutingDecisionRecord,
): Promise<boolean> {
  const inserted = await tx
    .insertInto('routing_log')
    .values({
      kind: decision.kind,
      lead_id: decision.leadId,
      mql_number: decision.mqlNumber,
      decided_at: decision.decidedAt,
      owner_id: decision.ownerId,
      rule: decision.rule,
      queue: decision.queue,
      reason: decision.reason,
      due_at: decision.dueAt,
      details: '{}',
    })
    .onConflict((conflict) => conflict.columns(['lead_id', 'mql_number']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function routingLoad(executor: StoreExecutor, from: number, to: number) {
  const today = await executor
    .selectFrom('routing_log')
    .select(['owner_id', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('kind', '=', 'assigned')
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)
    .groupBy('owner_id')
    .execute()
  const last = await executor
    .selectFrom('routing_log')
    .select(['owner_id', (eb) => eb.fn.max('decided_at').as('last')])
    .where('kind', '=', 'assigned')
    .groupBy('owner_id')
    .execute()
  return {
    assignedToday: new Map(
      today.flatMap((row) => (row.owner_id === null ? [] : [[row.owner_id, Number(row.count)]])),
    ),
    lastAssignedAt: new Map(
      last.flatMap((row) =>
        row.owner_id === null || row.last === null
          ? []
          : [[row.owner_id, int8ToNumber(row.last, 'decided_at')]],
      ),
    ),
  }
}

export async function dailyRoutedCounts(
  executor: StoreExecutor,
  from: number,
  to: number,
): Promise<Map<string, number>> {
  const rows = await executor
    .selectFrom('routing_log')
    .select([
      sql<string>`to_char(to_timestamp(decided_at / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`.as(
        'day',
      ),
      (eb) => eb.fn.countAll<string | number>().as('count'),
    ])
    .where('kind', 'not in', SURGE_KINDS)
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)
    .groupBy('day')
    .execute()
  return new Map(rows.map((row) => [row.day, Number(row.count)]))
}

function toSurgeChange(row: { kind: string; decided_at: unknown; reason: string }): SurgeChange {
  return {
    kind: row.kind === 'surge-started' ? 'surge-started' : 'surge-ended',
    at: int8ToNumber(row.decided_at as number, 'decided_at'),
    reason: row.reason,
  }
}

export async function lastSurgeChange(executor: StoreExecutor): Promise<SurgeChange | undefined> {
  const row = await executor
    .selectFrom('routing_log')
    .select(['kind', 'decided_at', 'reason'])
    .where('kind', 'in', SURGE_KINDS)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? toSurgeChange(row) : undefined
}

export async function recordSurgeChange(tx: StoreTransaction, change: SurgeChange): Promise<void> {
  await tx
    .insertInto('routing_log')
    .values({
      kind: change.kind,
      lead_id: null,
      mql_number: null,
      decided_at: change.at,
      owner_id: null,
      rule: null,
      queue: null,
      reason: change.reason,
      due_at: null,
      details: '{}',
    })
    .execute()
}

export async function listRoutingDecisions(
  executor: StoreExecutor,
  from: number,
  to: number,
): Promise<RoutingDecisionRecord[]> {
  const rows = await executor
    .selectFrom('routing_log')
    .selectAll()
    .where('kind', 'not in', SURGE_KINDS)
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    kind: row.kind as RoutingDecisionRecord['kind'],
    leadId: row.lead_id ?? '',
    mqlNumber: row.mql_number ?? 0,
    decidedAt: int8ToNumber(row.decided_at, 'decided_at'),
    ownerId: row.owner_id,
    rule: row.rule,
    queue: row.queue,
    reason: row.reason,
    dueAt: row.due_at === null ? null : int8ToNumber(row.due_at, 'due_at'),
  }))
}

export async function listSurgeChanges(
  executor: StoreExecutor,
  from: number,
  to: number,
): Promise<SurgeChange[]> {
  const rows = await executor
    .selectFrom('routing_log')
    .select(['kind', 'decided_at', 'reason'])
    .where('kind', 'in', SURGE_KINDS)
    .where('decided_at', '>=', from)
    .where('decided_at', '<', to)
    .orderBy('id')
    .execute()
  return rows.map(toSurgeChange)
}

export async function getSetting(executor: StoreExecutor, key: string): Promise<unknown> {
  const row = await executor
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  return row?.value
}

/**
 * Each setting's version: the id of the transaction that wrote its row (`xmin`), which every
 * update changes. A process checks it before each request: reading it touches neither the value
 * (a TOASTed policy) nor a digest of it, which measured four times the cost of the lookup.
 */
const SETTING_VERSION = sql<string>`xmin::text`.as('version')

export async function settingVersions(
  executor: StoreExecutor,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const rows = await executor
    .selectFrom('settings')
    .select(['key', SETTING_VERSION])
    .where('key', 'in', keys)
    .execute()
  return new Map(rows.map((row) => [row.key, row.version]))
}

export async function readSettings(
  executor: StoreExecutor,
  keys: readonly string[],
): Promise<Map<string, StoredSetting>> {
  const rows = await executor
    .selectFrom('settings')
    .select(['key', 'value', 'updated_at', SETTING_VERSION])
    .where('key', 'in', keys)
    .execute()
  return new Map(
    rows.map((row) => [
      row.key,
      {
        value: row.value,
        version: row.version,
        updatedAt: int8ToNumber(row.updated_at, 'settings.updated_at'),
      },
    ]),
  )
}

export async function putSetting(
  tx: StoreTransaction,
  key: string,
  value: unknown,
  at: number,
): Promise<void> {
  const json = JSON.stringify(value)
  await tx
    .insertInto('settings')
    .values({ key, value: json, updated_at: at })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: json, updated_at: at }))
    .execute()
}
