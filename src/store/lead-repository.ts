/**
 * LeadRepository on PostgreSQL (PGlite or a server): the append-only event log and the lead
 * projection derived from it. Rows are mapped to domain values in one place each.
 */
import type { Kysely, Selectable, Transaction } from 'kysely'
import { sql } from 'kysely'
import { monotonicFactory } from 'ulid'

import type {
  LeadFilter,
  LeadRecord,
  LeadRepository,
  LeadTransaction,
} from '../app/lead-repository.js'
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import type { Database } from './create-database.js'
import type { DatabaseSchema, LeadEventsTable, LeadsTable } from './database-schema.js'

const nextUlid = monotonicFactory()

function toEvent(row: Selectable<LeadEventsTable>): RecordedEvent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    idempotencyKey: row.idempotency_key,
    leadId: row.lead_id,
    type: row.type,
    occurredAt: Number(row.occurred_at),
    receivedAt: Number(row.received_at),
    actor: (row.actor as RecordedEvent['actor']) ?? null,
    source: row.source,
    payload: row.payload as RecordedEvent['payload'],
  }
}

function toLeadRecord(row: Selectable<LeadsTable>): LeadRecord {
  return {
    leadId: row.lead_id,
    stage: row.stage,
    ownerId: row.owner_id,
    tier: row.tier,
    score: row.score,
    source: row.source,
    country: row.country,
    email: row.email,
    policyVersion: row.policy_version,
    state: row.state as LeadState,
    eventCount: row.event_count,
    lastEventSeq: Number(row.last_event_seq),
    updatedAt: Number(row.updated_at),
  }
}

type Executor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>

function listEvents(executor: Executor, leadId: string): Promise<RecordedEvent[]> {
  return (
    executor
      .selectFrom('lead_events')
      .selectAll()
      .where('lead_id', '=', leadId)
      // Byte order on the key, as compareByOccurrence does.
      .orderBy('occurred_at')
      .orderBy(sql`idempotency_key collate "C"`)
      .execute()
      .then((rows) => rows.map(toEvent))
  )
}

function filtered(executor: Executor, filter: LeadFilter) {
  let query = executor.selectFrom('leads')
  if (filter.stage !== undefined) {
    query = query.where('stage', '=', filter.stage)
  }
  if (filter.ownerId !== undefined) {
    query = query.where('owner_id', '=', filter.ownerId)
  }
  if (filter.tier !== undefined) {
    query = query.where('tier', '=', filter.tier)
  }
  if (filter.source !== undefined) {
    query = query.where('source', '=', filter.source)
  }
  if (filter.queue !== undefined) {
    query = query.where(sql<boolean>`queues ? ${filter.queue}`)
  }
  return query
}

function transactionOf(trx: Transaction<DatabaseSchema>): LeadTransaction {
  return {
    async appendEvent(event: NewLeadEvent) {
      const inserted = await trx
        .insertInto('lead_events')
        .values({
          event_id: `evt_${nextUlid()}`,
          idempotency_key: event.idempotencyKey,
          lead_id: event.leadId,
          type: event.type,
          occurred_at: event.occurredAt,
          received_at: event.receivedAt,
          actor: event.actor === null ? null : JSON.stringify(event.actor),
          source: event.source,
          payload: JSON.stringify(event.payload),
        })
        .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted) {
        return { status: 'appended', event: toEvent(inserted) }
      }
      const original = await trx
        .selectFrom('lead_events')
        .selectAll()
        .where('idempotency_key', '=', event.idempotencyKey)
        .executeTakeFirstOrThrow()
      return { status: 'duplicate', event: toEvent(original) }
    },
    listLeadEvents: (leadId) => listEvents(trx, leadId),
    async findLeadIdByEmail(email, exceptLeadId) {
      const row = await trx
        .selectFrom('leads')
        .select('lead_id')
        .where('email', '=', email)
        .where('lead_id', '!=', exceptLeadId)
        .orderBy('lead_id')
        .executeTakeFirst()
      return row?.lead_id
    },
    async upsertLead(record) {
      const row = {
        lead_id: record.leadId,
        stage: record.stage,
        owner_id: record.ownerId,
        tier: record.tier,
        score: record.score,
        source: record.source,
        country: record.country,
        email: record.email,
        policy_version: record.policyVersion,
        queues: JSON.stringify(record.state.queues),
        state: JSON.stringify(record.state),
        event_count: record.eventCount,
        last_event_seq: record.lastEventSeq,
        updated_at: record.updatedAt,
      }
      const { lead_id: _leadId, ...changes } = row
      await trx
        .insertInto('leads')
        .values(row)
        .onConflict((conflict) => conflict.column('lead_id').doUpdateSet(changes))
        .execute()
    },
  }
}

export function createLeadRepository(database: Database): LeadRepository {
  const { db } = database
  return {
    withLeadsLocked(leadIds, work) {
      return db.transaction().execute(async (trx) => {
        // A stable order, so two writers never wait on each other's locks in a cycle.
        for (const leadId of [...new Set(leadIds)].sort()) {
          await sql`select pg_advisory_xact_lock(hashtextextended(${leadId}, 0))`.execute(trx)
        }
        return work(transactionOf(trx))
      })
    },
    async getLead(leadId) {
      const row = await db
        .selectFrom('leads')
        .selectAll()
        .where('lead_id', '=', leadId)
        .executeTakeFirst()
      return row ? toLeadRecord(row) : undefined
    },
    async listLeads(filter, page) {
      let query = filtered(db, filter)
        .selectAll()
        .orderBy('lead_id')
        .limit(page.limit + 1)
      if (page.after !== undefined) {
        query = query.where('lead_id', '>', page.after)
      }
      const rows = await query.execute()
      const leads = rows.slice(0, page.limit).map(toLeadRecord)
      return { leads, nextCursor: rows.length > page.limit ? (leads.at(-1)?.leadId ?? null) : null }
    },
    async countLeads(filter) {
      const row = await filtered(db, filter)
        .select((eb) => eb.fn.countAll<string | number>().as('count'))
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },
    listLeadEvents: (leadId) => listEvents(db, leadId),
  }
}
