/**
 * The lead projection: the current state of each lead as the engine derived it from the lead's
 * events, with the columns that lists filter and page on.
 */
import type { ExpressionBuilder, Expression, Selectable, SelectQueryBuilder, SqlBool } from 'kysely'
import { sql } from 'kysely'

import type { OpenClockFilter, OpenClockRef } from '../app/lead-repository.js'
import type { LeadClockSpan } from '../domain/lead-clock-spans.js'
import type { SlaClockStatus } from '../domain/sla-clock-view.js'

import {
  checkInt4,
  checkInteger,
  checkText,
  int8ToNumber,
  jsonObjectColumn,
  jsonObjectText,
  rowsPerStatement,
  stringArrayColumn,
} from './column-values.js'
import type { DatabaseSchema, LeadsTable } from './database-schema.js'
import { StoreError } from './store-error.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

export interface LeadProjection {
  readonly leadId: string
  readonly stage: string
  readonly ownerId: string | null
  readonly tier: string | null
  readonly score: number | null
  readonly source: string
  readonly country: string | null
  /** Lower-cased by the caller; intake finds duplicates by it. */
  readonly email: string | null
  /** The queues the lead waits in. */
  readonly queues: readonly string[]
  readonly policyVersion: string
  /** The full derived state (a JSON object; the store does not look inside). */
  readonly state: Readonly<Record<string, unknown>>
  readonly eventCount: number
  /** The greatest seq among the events the state was derived from. */
  readonly lastEventSeq: number
  /** Epoch ms. */
  readonly updatedAt: number
}

/** A projection as written: with what folding later events onto its state needs (or null). */
export interface LeadProjectionWrite extends LeadProjection {
  readonly fold: Readonly<Record<string, unknown>> | null
}

/** The stored fold of a lead: its state and what folding new events onto it needs. */
export interface StoredLeadFold {
  readonly leadId: string
  readonly state: Readonly<Record<string, unknown>>
  readonly fold: Readonly<Record<string, unknown>>
  readonly eventCount: number
  readonly lastEventSeq: number
  readonly updatedAt: number
}

/** Each field given narrows the list; `null` for owner or tier means "none". */
export interface LeadFilter {
  readonly stage?: string | undefined
  readonly ownerId?: string | null | undefined
  /** Only leads owned by one of these people. */
  readonly ownerIn?: readonly string[] | undefined
  readonly tier?: string | null | undefined
  readonly source?: string | undefined
  /** Leads waiting in this queue. */
  readonly queue?: string | undefined
  /** Leads whose clock `itemId` has started by `now` and, if given, is in `status` at `now`. */
  readonly clock?: LeadClockFilter | undefined
}

export interface LeadClockFilter {
  readonly itemId: string
  readonly status?: SlaClockStatus | undefined
  /** Epoch ms: statuses are judged at this instant. */
  readonly now: number
}

export interface LeadPageRequest extends LeadFilter {
  /** 1 to 1000. */
  readonly limit: number
  /** The cursor: the page starts after this lead id. */
  readonly after?: string | undefined
}

export interface LeadProjectionPage {
  readonly items: readonly LeadProjection[]
  /** Pass back as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

export const MAX_PAGE_SIZE = 1000

/**
 * Every column but `fold`, which only writers folding new events read, and the report columns
 * (report-reads.ts).
 */
const PROJECTION_COLUMNS = [
  'lead_id',
  'stage',
  'owner_id',
  'tier',
  'score',
  'source',
  'country',
  'email',
  'policy_version',
  'queues',
  'state',
  'event_count',
  'last_event_seq',
  'updated_at',
] as const

type LeadRow = Pick<Selectable<LeadsTable>, (typeof PROJECTION_COLUMNS)[number]>

function toLeadProjection(row: LeadRow): LeadProjection {
  return {
    leadId: row.lead_id,
    stage: row.stage,
    ownerId: row.owner_id,
    tier: row.tier,
    score: row.score,
    source: row.source,
    country: row.country,
    email: row.email,
    queues: stringArrayColumn(row.queues, 'leads.queues'),
    policyVersion: row.policy_version,
    state: jsonObjectColumn(row.state, 'leads.state'),
    eventCount: row.event_count,
    lastEventSeq: int8ToNumber(row.last_event_seq, 'leads.last_event_seq'),
    updatedAt: int8ToNumber(row.updated_at, 'leads.updated_at'),
  }
}

function queuesText(queues: readonly string[]): string {
  if (!Array.isArray(queues) || !queues.every((queue) => typeof queue === 'string')) {
    throw new StoreError('queues: expected an array of strings')
  }
  return JSON.stringify(queues)
}

export type UpsertOutcome = 'written' | 'stale'

/** Rows per multi-row upsert (14 parameters a row). */
const LEADS_PER_UPSERT = Math.min(1000, rowsPerStatement(14))
/** Clock rows per insert (eight parameters a row). */
const CLOCKS_PER_INSERT = rowsPerStatement(8)

function leadRow(lead: LeadProjectionWrite) {
  return {
    lead_id: checkText(lead.leadId, 'leadId'),
    stage: checkText(lead.stage, 'stage'),
    owner_id: lead.ownerId,
    tier: lead.tier,
    score: lead.score === null ? null : checkInt4(lead.score, 'score'),
    source: checkText(lead.source, 'source'),
    country: lead.country,
    email: lead.email,
    policy_version: checkText(lead.policyVersion, 'policyVersion'),
    queues: queuesText(lead.queues),
    state: jsonObjectText(lead.state, 'state'),
    event_count: checkInt4(lead.eventCount, 'eventCount', 0),
    last_event_seq: checkInteger(lead.lastEventSeq, 'lastEventSeq', 0),
    updated_at: checkInteger(lead.updatedAt, 'updatedAt'),
    fold: lead.fold === null ? null : jsonObjectText(lead.fold, 'fold'),
  }
}

/**
 * Inserts or replaces the leads' rows, a thousand per statement (one row per lead id). A row
 * derived from fewer events than the stored one (a smaller `lastEventSeq`) never overwrites it.
 * Returns the ids of the leads written.
 */
export async function upsertLeadProjections(
  tx: StoreTransaction,
  leads: readonly LeadProjectionWrite[],
): Promise<Set<string>> {
  requireTransaction(tx, 'upsertLeadProjections')
  const written = new Set<string>()
  const rows = leads.map(leadRow)
  for (let start = 0; start < rows.length; start += LEADS_PER_UPSERT) {
    const returned = await tx
      .insertInto('leads')
      .values(rows.slice(start, start + LEADS_PER_UPSERT))
      .onConflict((conflict) =>
        conflict
          .column('lead_id')
          .doUpdateSet((eb) => ({
            stage: eb.ref('excluded.stage'),
            owner_id: eb.ref('excluded.owner_id'),
            tier: eb.ref('excluded.tier'),
            score: eb.ref('excluded.score'),
            source: eb.ref('excluded.source'),
            country: eb.ref('excluded.country'),
            email: eb.ref('excluded.email'),
            policy_version: eb.ref('excluded.policy_version'),
            queues: eb.ref('excluded.queues'),
            state: eb.ref('excluded.state'),
            event_count: eb.ref('excluded.event_count'),
            last_event_seq: eb.ref('excluded.last_event_seq'),
            updated_at: eb.ref('excluded.updated_at'),
            fold: eb.ref('excluded.fold'),
          }))
          .where((eb) => eb('leads.last_event_seq', '<=', eb.ref('excluded.last_event_seq'))),
      )
      .returning('lead_id')
      .execute()
    for (const row of returned) {
      written.add(row.lead_id)
    }
  }
  return written
}

/** `upsertLeadProjections` of one lead: 'stale' when the stored row is derived from more events. */
export async function upsertLeadProjection(
  tx: StoreTransaction,
  lead: LeadProjectionWrite,
): Promise<UpsertOutcome> {
  return (await upsertLeadProjections(tx, [lead])).has(lead.leadId) ? 'written' : 'stale'
}

/** Replaces the leads' clock rows; call it in the transaction that wrote the leads' rows. */
export async function replaceLeadClocks(
  tx: StoreTransaction,
  leads: readonly { record: { leadId: string }; clocks: readonly LeadClockSpan[] }[],
): Promise<void> {
  requireTransaction(tx, 'replaceLeadClocks')
  if (leads.length === 0) {
    return
  }
  await tx
    .deleteFrom('lead_clocks')
    .where(
      'lead_id',
      'in',
      leads.map((lead) => lead.record.leadId),
    )
    .execute()
  const instant = (value: number | null, field: string): number | null =>
    value === null ? null : checkInteger(value, field)
  const rows = leads.flatMap(({ record, clocks }) =>
    clocks.map((clock) => ({
      lead_id: checkText(record.leadId, 'leadId'),
      item_id: checkText(clock.itemId, 'itemId'),
      started_at: checkInteger(clock.startedAt, 'startedAt'),
      stopped_at: instant(clock.stoppedAt, 'stoppedAt'),
      target_at: instant(clock.targetAt, 'targetAt'),
      breach_at: instant(clock.breachAt, 'breachAt'),
      paused_at: instant(clock.pausedAt, 'pausedAt'),
      problem: clock.problem,
    })),
  )
  for (let start = 0; start < rows.length; start += CLOCKS_PER_INSERT) {
    await tx
      .insertInto('lead_clocks')
      .values(rows.slice(start, start + CLOCKS_PER_INSERT))
      .execute()
  }
}

type ClockRow = ExpressionBuilder<DatabaseSchema, 'lead_clocks'>

/**
 * A clock's status at `now` in SQL, by the rules of `deriveSlaClocks`: unable to run when it has
 * a problem; stopped by `now` → met (at or before its target, or without one) or missed; paused
 * while its pause is open; else breached once its breach instant has come, running before.
 */
function clockStatusAt(eb: ClockRow, status: SlaClockStatus, now: number): Expression<SqlBool> {
  if (status === 'unable-to-run') {
    return eb('problem', 'is not', null)
  }
  const stopped = eb.and([eb('stopped_at', 'is not', null), eb('stopped_at', '<=', now)])
  const notStopped = eb.or([eb('stopped_at', 'is', null), eb('stopped_at', '>', now)])
  const runs = eb('problem', 'is', null)
  const notPaused = eb('paused_at', 'is', null)
  switch (status) {
    case 'met':
      return eb.and([
        runs,
        stopped,
        eb.or([eb('target_at', 'is', null), eb('stopped_at', '<=', eb.ref('target_at'))]),
      ])
    case 'missed':
      return eb.and([runs, stopped, eb('stopped_at', '>', eb.ref('target_at'))])
    case 'paused':
      return eb.and([runs, notStopped, eb('paused_at', 'is not', null)])
    case 'breached':
      return eb.and([runs, notStopped, notPaused, eb('breach_at', '<=', now)])
    case 'running':
      return eb.and([
        runs,
        notStopped,
        notPaused,
        eb.or([eb('breach_at', 'is', null), eb('breach_at', '>', now)]),
      ])
  }
}

export async function getLeadProjection(
  executor: StoreExecutor,
  leadId: string,
): Promise<LeadProjection | undefined> {
  const row = await executor
    .selectFrom('leads')
    .select(PROJECTION_COLUMNS)
    .where('lead_id', '=', leadId)
    .executeTakeFirst()
  return row === undefined ? undefined : toLeadProjection(row)
}

/** A condition on a table's `lead_id`: the lead is owned by one of `ownerIds`. */
export function leadOwnedByOneOf(ownerIds: readonly string[]) {
  return sql<boolean>`lead_id in (select lead_id from leads where owner_id = any(${[...ownerIds]}::text[]))`
}

function filtered<O>(
  query: SelectQueryBuilder<DatabaseSchema, 'leads', O>,
  filter: LeadFilter,
): SelectQueryBuilder<DatabaseSchema, 'leads', O> {
  let result = query
  if (filter.stage !== undefined) {
    result = result.where('stage', '=', filter.stage)
  }
  if (filter.ownerId !== undefined) {
    result =
      filter.ownerId === null
        ? result.where('owner_id', 'is', null)
        : result.where('owner_id', '=', filter.ownerId)
  }
  if (filter.ownerIn !== undefined) {
    result = result.where(sql<boolean>`owner_id = any(${[...filter.ownerIn]}::text[])`)
  }
  if (filter.tier !== undefined) {
    result =
      filter.tier === null
        ? result.where('tier', 'is', null)
        : result.where('tier', '=', filter.tier)
  }
  if (filter.source !== undefined) {
    result = result.where('source', '=', filter.source)
  }
  if (filter.queue !== undefined) {
    // jsonb containment, served by the GIN index on queues.
    result = result.where(sql<boolean>`queues @> ${JSON.stringify([filter.queue])}::jsonb`)
  }
  const clock = filter.clock
  if (clock !== undefined) {
    result = result.where((eb) =>
      eb.exists(
        eb
          .selectFrom('lead_clocks')
          .select('lead_clocks.item_id')
          .whereRef('lead_clocks.lead_id', '=', 'leads.lead_id')
          .where('lead_clocks.item_id', '=', clock.itemId)
          .where('lead_clocks.started_at', '<=', clock.now)
          .where((row) =>
            clock.status === undefined
              ? row.lit(true)
              : clockStatusAt(row, clock.status, clock.now),
          ),
      ),
    )
  }
  return result
}

/** One page of leads in lead id order (byte order), filtered. */
export async function listLeadProjections(
  executor: StoreExecutor,
  request: LeadPageRequest,
): Promise<LeadProjectionPage> {
  const limit = checkInteger(request.limit, 'limit', 1)
  if (limit > MAX_PAGE_SIZE) {
    throw new StoreError(`limit: at most ${MAX_PAGE_SIZE}, got ${limit}`)
  }
  let query = filtered(executor.selectFrom('leads').select(PROJECTION_COLUMNS), request)
  if (request.after !== undefined) {
    query = query.where('lead_id', '>', request.after)
  }
  const rows = await query
    .orderBy('lead_id')
    .limit(limit + 1)
    .execute()
  const items = rows.slice(0, limit).map(toLeadProjection)
  const last = items.at(-1)
  return { items, nextCursor: rows.length > limit && last !== undefined ? last.leadId : null }
}

export async function countLeads(executor: StoreExecutor, filter: LeadFilter): Promise<number> {
  const row = await filtered(executor.selectFrom('leads'), filter)
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
    .executeTakeFirstOrThrow()
  return int8ToNumber(row.count, 'count(*)')
}

/** The leads with any of these (lower-cased) emails, each with its creation time (from its state). */
export async function findLeadsByEmails(
  executor: StoreExecutor,
  emails: readonly string[],
): Promise<{ leadId: string; email: string; createdAt: number }[]> {
  if (emails.length === 0) {
    return []
  }
  const rows = await executor
    .selectFrom('leads')
    .select(['lead_id', 'email', sql<string>`state->>'createdAt'`.as('created_at')])
    .where(sql<boolean>`email = any(${[...new Set(emails)]}::text[])`)
    .orderBy('lead_id')
    .execute()
  return rows.map((row) => ({
    leadId: row.lead_id,
    email: row.email ?? '',
    createdAt: Number(row.created_at),
  }))
}

/** Other leads with this (lower-cased) email, each with its creation time (from its state). */
export async function findLeadsByEmail(
  executor: StoreExecutor,
  email: string,
  exceptLeadId: string,
): Promise<{ leadId: string; createdAt: number }[]> {
  return (await findLeadsByEmails(executor, [email]))
    .filter((lead) => lead.leadId !== exceptLeadId)
    .map(({ leadId, createdAt }) => ({ leadId, createdAt }))
}

/** The stored folds of these leads (leads without a row, or without a fold, are left out). */
export async function listLeadFolds(
  executor: StoreExecutor,
  leadIds: readonly string[],
): Promise<StoredLeadFold[]> {
  if (leadIds.length === 0) {
    return []
  }
  const rows = await executor
    .selectFrom('leads')
    .select(['lead_id', 'state', 'fold', 'event_count', 'last_event_seq', 'updated_at'])
    .where(sql<boolean>`lead_id = any(${[...new Set(leadIds)]}::text[])`)
    .where('fold', 'is not', null)
    .execute()
  return rows.map((row) => ({
    leadId: row.lead_id,
    state: jsonObjectColumn(row.state, 'leads.state'),
    fold: jsonObjectColumn(row.fold, 'leads.fold'),
    eventCount: row.event_count,
    lastEventSeq: int8ToNumber(row.last_event_seq, 'leads.last_event_seq'),
    updatedAt: int8ToNumber(row.updated_at, 'leads.updated_at'),
  }))
}

/**
 * The clocks still open at `now` — in one of `statuses` (running, paused, breached) — of the
 * leads owned by `ownerId` or by one of `ownerIn`, soonest breach first (a clock without one
 * last), at most `limit`.
 */
export async function listOpenClocks(
  executor: StoreExecutor,
  filter: OpenClockFilter,
): Promise<OpenClockRef[]> {
  const limit = checkInteger(filter.limit, 'limit', 1)
  if (limit > MAX_PAGE_SIZE) {
    throw new StoreError(`limit: at most ${MAX_PAGE_SIZE}, got ${limit}`)
  }
  const { now, ownerId, ownerIn } = filter
  let query = executor
    .selectFrom('lead_clocks')
    .select(['lead_id', 'item_id'])
    .where('started_at', '<=', now)
    .where((row) => row.or(filter.statuses.map((status) => clockStatusAt(row, status, now))))
  if (ownerId !== undefined) {
    query = query.where(leadOwnedByOneOf([ownerId]))
  }
  if (ownerIn !== undefined) {
    query = query.where(leadOwnedByOneOf(ownerIn))
  }
  if (filter.itemId !== undefined) {
    query = query.where('item_id', '=', filter.itemId)
  }
  const rows = await query
    .orderBy(sql`breach_at asc nulls last`)
    .orderBy('lead_id')
    .orderBy('item_id')
    .limit(limit)
    .execute()
  return rows.map((row) => ({ leadId: row.lead_id, itemId: row.item_id }))
}
