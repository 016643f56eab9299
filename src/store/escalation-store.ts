/**
 * Durable timers, the escalation projection and the notification outbox. Timers are claimed
 * with `FOR UPDATE SKIP LOCKED` inside the transaction that fires them, so a step and its
 * notifications commit together or not at all, and two workers never claim the same row.
 */
import { sql } from 'kysely'

import type {
  DeliveryRecord,
  DeliveryState,
  DueTimer,
  EscalationRow,
  LeadSchedule,
  TimerSettlement,
} from '../app/escalation-port.js'
import type { EscalationRecord } from '../domain/lead-state.js'
import { isOpenEscalation } from '../domain/escalation/escalation-records.js'
import type { NotificationChannelName, OutboundNotification } from '../notify/notification.js'
import { checkText, int8ToNumber } from './column-values.js'
import { leadOwnedByOneOf } from './lead-projection.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

const ROWS_PER_INSERT = 500

function toDueTimer(row: { step_key: string; lead_id: string; due_at: unknown }): DueTimer {
  return {
    stepKey: row.step_key,
    leadId: row.lead_id,
    dueAt: int8ToNumber(row.due_at as number, 'sla_timers.due_at'),
  }
}

/**
 * New planned steps are inserted (a known key is left alone); pending timers that moved get their
 * new instant; pending timers no longer planned are cancelled. Rows another worker holds (it
 * claimed them but could not lock the lead) are skipped rather than waited for: waiting there is
 * how two workers deadlock. Such a timer keeps its old instant, and firing re-plans anyway — a
 * step no longer planned is skipped, one planned later is rescheduled.
 * One statement per kind of change, for any number of leads.
 */
export async function syncTimers(
  tx: StoreTransaction,
  schedules: readonly LeadSchedule[],
): Promise<void> {
  requireTransaction(tx, 'syncTimers')
  if (schedules.length === 0) {
    return
  }
  const planned = schedules.flatMap((schedule) =>
    schedule.planned.map((timer) => ({
      step_key: checkText(timer.stepKey, 'stepKey'),
      lead_id: schedule.leadId,
      due_at: timer.dueAt,
    })),
  )
  for (let start = 0; start < planned.length; start += ROWS_PER_INSERT) {
    await tx
      .insertInto('sla_timers')
      .values(planned.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.column('step_key').doNothing())
      .execute()
  }
  const pending = await tx
    .selectFrom('sla_timers')
    .select(['step_key', 'lead_id', 'due_at'])
    .where(sql<boolean>`lead_id = any(${schedules.map((schedule) => schedule.leadId)}::text[])`)
    .where('state', '=', 'pending')
    .forUpdate()
    .skipLocked()
    .execute()
  const plannedDue = new Map(planned.map((timer) => [timer.step_key, timer.due_at]))
  const settledAt = new Map(schedules.map((schedule) => [schedule.leadId, schedule.at]))
  const moved: { stepKey: string; dueAt: number }[] = []
  const cancelled: { stepKey: string; at: number }[] = []
  for (const timer of pending.map(toDueTimer)) {
    const dueAt = plannedDue.get(timer.stepKey)
    if (dueAt === undefined) {
      cancelled.push({ stepKey: timer.stepKey, at: settledAt.get(timer.leadId) ?? 0 })
    } else if (dueAt !== timer.dueAt) {
      moved.push({ stepKey: timer.stepKey, dueAt })
    }
  }
  await rescheduleTimers(tx, moved)
  if (cancelled.length > 0) {
    await sql`
      update sla_timers set state = 'cancelled', settled_at = cancelled.at
      from unnest(${cancelled.map((timer) => timer.stepKey)}::text[],
        ${cancelled.map((timer) => timer.at)}::int8[]) as cancelled (step_key, at)
      where sla_timers.step_key = cancelled.step_key and sla_timers.state = 'pending'`.execute(tx)
  }
}

export async function databaseNow(executor: StoreExecutor): Promise<number> {
  const result = await sql<{ now: unknown }>`
    select floor(extract(epoch from clock_timestamp()) * 1000)::int8 as now`.execute(executor)
  return int8ToNumber(result.rows[0]?.now as number, 'clock_timestamp()')
}

export async function claimDueTimers(
  tx: StoreTransaction,
  now: number,
  limit: number,
): Promise<DueTimer[]> {
  requireTransaction(tx, 'claimDueTimers')
  const rows = await tx
    .selectFrom('sla_timers')
    .select(['step_key', 'lead_id', 'due_at'])
    .where('state', '=', 'pending')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map(toDueTimer)
}

/** Runs `work` in a savepoint: if it throws, only its own writes are rolled back. */
export async function inSavepoint<T>(tx: StoreTransaction, work: () => Promise<T>): Promise<T> {
  requireTransaction(tx, 'inSavepoint')
  await sql`savepoint lead_work`.execute(tx)
  try {
    const result = await work()
    await sql`release savepoint lead_work`.execute(tx)
    return result
  } catch (error) {
    await sql`rollback to savepoint lead_work`.execute(tx)
    throw error
  }
}

/** A lead that could not be processed: its due timers wait `retryAt` and keep the error. */
export async function deferTimers(
  tx: StoreTransaction,
  stepKeys: readonly string[],
  retryAt: number,
  error: string,
): Promise<void> {
  if (stepKeys.length === 0) {
    return
  }
  await tx
    .updateTable('sla_timers')
    .set((eb) => ({
      due_at: retryAt,
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 2000),
    }))
    .where('step_key', 'in', stepKeys)
    .where('state', '=', 'pending')
    .execute()
}

export async function tryLockLeads(
  tx: StoreTransaction,
  leadIds: readonly string[],
): Promise<Set<string>> {
  requireTransaction(tx, 'tryLockLeads')
  if (leadIds.length === 0) {
    return new Set()
  }
  const result = await sql<{ lead_id: string }>`
    select lead_id from unnest(${leadIds.map((leadId) => checkText(leadId, 'leadId'))}::text[])
      as candidate (lead_id)
    where pg_try_advisory_xact_lock(hashtextextended(lead_id, 0))`.execute(tx)
  return new Set(result.rows.map((row) => row.lead_id))
}

export async function settleTimers(
  tx: StoreTransaction,
  settlements: readonly TimerSettlement[],
): Promise<void> {
  if (settlements.length === 0) {
    return
  }
  await sql`
    update sla_timers
    set state = settled.state, settled_at = settled.at, fired_lag_ms = settled.lag_ms
    from unnest(${settlements.map((settlement) => settlement.stepKey)}::text[],
      ${settlements.map((settlement) => settlement.outcome)}::text[],
      ${settlements.map((settlement) => settlement.at)}::int8[],
      ${settlements.map((settlement) => settlement.lagMs)}::int8[])
      as settled (step_key, state, at, lag_ms)
    where sla_timers.step_key = settled.step_key and sla_timers.state = 'pending'`.execute(tx)
}

export async function stampFiringLagAtCommit(
  tx: StoreTransaction,
  stepKeys: readonly string[],
): Promise<void> {
  await sql`
    update sla_timers
    set fired_lag_ms = floor(extract(epoch from clock_timestamp()) * 1000)::int8 - due_at
    where step_key = any(${stepKeys.map((key) => checkText(key, 'stepKey'))}::text[])
      and state = 'fired'`.execute(tx)
}

export async function rescheduleTimers(
  tx: StoreTransaction,
  moves: readonly { readonly stepKey: string; readonly dueAt: number }[],
): Promise<void> {
  if (moves.length === 0) {
    return
  }
  await sql`
    update sla_timers set due_at = moved.due_at
    from unnest(${moves.map((timer) => timer.stepKey)}::text[],
      ${moves.map((timer) => timer.dueAt)}::int8[]) as moved (step_key, due_at)
    where sla_timers.step_key = moved.step_key and sla_timers.state = 'pending'`.execute(tx)
}

export async function nextDueAt(
  executor: StoreExecutor,
  until: number,
): Promise<number | undefined> {
  const row = await executor
    .selectFrom('sla_timers')
    .select((eb) => eb.fn.min('due_at').as('due_at'))
    .where('state', '=', 'pending')
    .where('due_at', '<=', until)
    .executeTakeFirst()
  return row?.due_at === null || row?.due_at === undefined
    ? undefined
    : int8ToNumber(row.due_at, 'sla_timers.due_at')
}

export async function syncEscalations(
  tx: StoreTransaction,
  leads: readonly { readonly leadId: string; readonly records: readonly EscalationRecord[] }[],
): Promise<void> {
  const rows = leads.flatMap(({ leadId, records }) =>
    records.map((record) => ({
      step_key: record.stepKey,
      lead_id: leadId,
      kind: record.kind,
      subject_id: record.subjectId,
      step_id: record.stepId,
      severity: record.severity,
      rep_id: record.repId,
      graced: record.graced,
      due_at: record.dueAt,
      fired_at: record.firedAt,
      open: isOpenEscalation(record),
      record: JSON.stringify(record),
    })),
  )
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await tx
      .insertInto('escalations')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) =>
        conflict.column('step_key').doUpdateSet((eb) => ({
          open: eb.ref('excluded.open'),
          record: eb.ref('excluded.record'),
        })),
      )
      .execute()
  }
}

export async function countEscalations(
  executor: StoreExecutor,
  repId: string,
  kind: string,
  severity: string,
  from: number,
  to: number,
): Promise<number> {
  const row = await executor
    .selectFrom('escalations')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('rep_id', '=', repId)
    .where('severity', '=', severity)
    .where('kind', '=', kind)
    .where('graced', '=', false)
    .where('fired_at', '>=', from)
    .where('fired_at', '<', to)
    .executeTakeFirst()
  return Number(row?.count ?? 0)
}

export async function listEscalations(
  executor: StoreExecutor,
  filter: {
    open?: boolean
    repId?: string
    from?: number
    to?: number
    leadOwnerIn?: readonly string[]
    limit: number
  },
): Promise<EscalationRow[]> {
  let query = executor
    .selectFrom('escalations')
    .select(['step_key', 'lead_id', 'open', 'record'])
    .orderBy('fired_at', 'desc')
    .orderBy('step_key')
    .limit(filter.limit)
  if (filter.open !== undefined) {
    query = query.where('open', '=', filter.open)
  }
  if (filter.repId !== undefined) {
    query = query.where('rep_id', '=', filter.repId)
  }
  if (filter.from !== undefined) {
    query = query.where('fired_at', '>=', filter.from)
  }
  if (filter.to !== undefined) {
    query = query.where('fired_at', '<', filter.to)
  }
  if (filter.leadOwnerIn !== undefined) {
    query = query.where(leadOwnedByOneOf(filter.leadOwnerIn))
  }
  const rows = await query.execute()
  return rows.map((row) => ({
    stepKey: row.step_key,
    leadId: row.lead_id,
    open: row.open,
    // Written by syncEscalations from the engine's own record.
    record: row.record as EscalationRecord,
  }))
}

export async function timerCounts(executor: StoreExecutor): Promise<Record<string, number>> {
  const rows = await executor
    .selectFrom('sla_timers')
    .select(['state', (eb) => eb.fn.countAll<string | number>().as('count')])
    .groupBy('state')
    .execute()
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]))
}

// ---- Notification outbox ----

export async function enqueueNotifications(
  tx: StoreTransaction,
  notifications: readonly OutboundNotification[],
): Promise<number> {
  if (notifications.length === 0) {
    return 0
  }
  const inserted = await tx
    .insertInto('notification_outbox')
    .values(
      notifications.map((notification) => ({
        delivery_key: checkText(notification.deliveryKey, 'deliveryKey'),
        step_key: notification.message.stepKey,
        lead_id: notification.message.leadId,
        channel: notification.channel,
        recipient: JSON.stringify(notification.recipient),
        message: JSON.stringify(notification.message),
        next_attempt_at: notification.message.firedAt,
        created_at: notification.message.firedAt,
      })),
    )
    .onConflict((conflict) => conflict.column('delivery_key').doNothing())
    .returning('delivery_key')
    .execute()
  return inserted.length
}

type OutboxRow = {
  delivery_key: string
  step_key: string
  lead_id: string
  channel: string
  recipient: unknown
  message: unknown
  state: string
  attempts: number
  next_attempt_at: unknown
  last_error: string | null
  created_at: unknown
  delivered_at: unknown
}

function toDeliveryRecord(row: OutboxRow): DeliveryRecord {
  const channel = row.channel as NotificationChannelName
  return {
    deliveryKey: row.delivery_key,
    stepKey: row.step_key,
    leadId: row.lead_id,
    channel,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptAt: int8ToNumber(row.next_attempt_at as number, 'next_attempt_at'),
    lastError: row.last_error,
    createdAt: int8ToNumber(row.created_at as number, 'created_at'),
    deliveredAt:
      row.delivered_at === null ? null : int8ToNumber(row.delivered_at as number, 'delivered_at'),
    // Written by enqueueNotifications from typed values.
    notification: {
      deliveryKey: row.delivery_key,
      channel,
      recipient: row.recipient as OutboundNotification['recipient'],
      message: row.message as OutboundNotification['message'],
    },
  }
}

const OUTBOX_COLUMNS = [
  'delivery_key',
  'step_key',
  'lead_id',
  'channel',
  'recipient',
  'message',
  'state',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
  'delivered_at',
] as const

export async function claimDeliveries(
  tx: StoreTransaction,
  now: number,
  limit: number,
  channels: readonly string[],
): Promise<DeliveryRecord[]> {
  if (channels.length === 0) {
    return []
  }
  const due = tx
    .selectFrom('notification_outbox')
    .select('delivery_key')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where('channel', 'in', channels)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
  const rows = await tx
    .updateTable('notification_outbox')
    .set((eb) => ({ state: 'sending', locked_at: now, attempts: eb('attempts', '+', 1) }))
    .where('delivery_key', 'in', due)
    .returning(OUTBOX_COLUMNS)
    .execute()
  return rows.map(toDeliveryRecord)
}

export async function markDelivered(
  executor: StoreExecutor,
  deliveryKey: string,
  at: number,
): Promise<void> {
  await executor
    .updateTable('notification_outbox')
    .set({ state: 'delivered', delivered_at: at, locked_at: null, last_error: null })
    .where('delivery_key', '=', deliveryKey)
    .execute()
}

export async function markFailed(
  executor: StoreExecutor,
  deliveryKey: string,
  error: string,
  nextAttemptAt: number | null,
): Promise<void> {
  await executor
    .updateTable('notification_outbox')
    .set(
      nextAttemptAt === null
        ? { state: 'dead', locked_at: null, last_error: error.slice(0, 2000) }
        : {
            state: 'pending',
            locked_at: null,
            last_error: error.slice(0, 2000),
            next_attempt_at: nextAttemptAt,
          },
    )
    .where('delivery_key', '=', deliveryKey)
    .execute()
}

export async function releaseStale(executor: StoreExecutor, staleBefore: number): Promise<number> {
  const rows = await executor
    .updateTable('notification_outbox')
    .set({ state: 'pending', locked_at: null, last_error: 'worker stopped while sending; retried' })
    .where('state', '=', 'sending')
    .where('locked_at', '<', staleBefore)
    .returning('delivery_key')
    .execute()
  return rows.length
}

export async function listDeliveries(
  executor: StoreExecutor,
  filter: { state?: DeliveryState; leadId?: string; limit: number },
): Promise<DeliveryRecord[]> {
  let query = executor
    .selectFrom('notification_outbox')
    .select(OUTBOX_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('delivery_key')
    .limit(filter.limit)
  if (filter.state !== undefined) {
    query = query.where('state', '=', filter.state)
  }
  if (filter.leadId !== undefined) {
    query = query.where('lead_id', '=', filter.leadId)
  }
  return (await query.execute()).map(toDeliveryRecord)
}

export async function replayDelivery(
  executor: StoreExecutor,
  deliveryKey: string,
  now: number,
): Promise<boolean> {
  const rows = await executor
    .updateTable('notification_outbox')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now, locked_at: null })
    .where('delivery_key', '=', deliveryKey)
    .where('state', 'in', ['dead', 'delivered'])
    .returning('delivery_key')
    .execute()
  return rows.length > 0
}
