/**
 * The app's LeadRepository port, implemented on the store's event log and lead projection.
 */
import type { LeadRecord, LeadRepository, LeadTransaction } from '../app/lead-repository.js'
import type { LeadState } from '../domain/lead-state.js'
import type { Database } from './create-database.js'
import { appendEvent, listLeadEvents, lockLead } from './event-log.js'
import type { LeadProjection } from './lead-projection.js'
import {
  countLeads,
  findLeadsByEmail,
  getLeadProjection,
  listLeadProjections,
  upsertLeadProjection,
} from './lead-projection.js'
import { findDomainSuppression, findLeadIdsAtDomain, suppressDomain } from './suppressed-domains.js'
import {
  dailyRoutedCounts,
  getSetting,
  lastSurgeChange,
  listRoutingDecisions,
  listSurgeChanges,
  putSetting,
  recordRoutingDecision,
  recordSurgeChange,
  routingLoad,
} from './routing-log.js'
import type { StoreTransaction } from './transaction.js'
import { withTransaction } from './transaction.js'

function toProjection(record: LeadRecord): LeadProjection {
  return {
    leadId: record.leadId,
    stage: record.stage,
    ownerId: record.ownerId,
    tier: record.tier,
    score: record.score,
    source: record.source,
    country: record.country,
    email: record.email,
    queues: record.state.queues,
    policyVersion: record.policyVersion,
    state: record.state as unknown as Readonly<Record<string, unknown>>,
    eventCount: record.eventCount,
    lastEventSeq: record.lastEventSeq,
    updatedAt: record.updatedAt,
  }
}

function toLeadRecord(projection: LeadProjection): LeadRecord {
  return {
    leadId: projection.leadId,
    stage: projection.stage,
    ownerId: projection.ownerId,
    tier: projection.tier,
    score: projection.score,
    source: projection.source,
    country: projection.country,
    email: projection.email,
    policyVersion: projection.policyVersion,
    // The engine's own output, stored as it gave it.
    state: projection.state as unknown as LeadState,
    eventCount: projection.eventCount,
    lastEventSeq: projection.lastEventSeq,
    updatedAt: projection.updatedAt,
  }
}

function leadTransaction(tx: StoreTransaction): LeadTransaction {
  return {
    lockLead: (leadId) => lockLead(tx, leadId),
    suppressDomain: (suppression) => suppressDomain(tx, suppression),
    findDomainSuppression: (domain) => findDomainSuppression(tx, domain),
    findLeadIdsAtDomain: (domain, since) => findLeadIdsAtDomain(tx, domain, since),
    appendEvent: (event) => appendEvent(tx, event),
    listLeadEvents: (leadId) => listLeadEvents(tx, leadId),
    findLeadsByEmail: (email, exceptLeadId) => findLeadsByEmail(tx, email, exceptLeadId),
    async upsertLead(record) {
      await upsertLeadProjection(tx, toProjection(record))
    },
    routing: {
      recordDecision: (decision) => recordRoutingDecision(tx, decision),
      load: (from, to) => routingLoad(tx, from, to),
      dailyRoutedCounts: (from, to) => dailyRoutedCounts(tx, from, to),
      lastSurgeChange: () => lastSurgeChange(tx),
      recordSurgeChange: (change) => recordSurgeChange(tx, change),
    },
  }
}

export function createLeadRepository(database: Database): LeadRepository {
  return {
    withLeadsLocked: (leadIds, work) =>
      withTransaction(database, async (tx) => {
        // One stable order for every writer, so two never wait on each other in a cycle.
        for (const leadId of [...new Set(leadIds)].sort()) {
          await lockLead(tx, leadId)
        }
        return work(leadTransaction(tx))
      }),
    async getLead(leadId) {
      const projection = await getLeadProjection(database.db, leadId)
      return projection === undefined ? undefined : toLeadRecord(projection)
    },
    async listLeads(filter, page) {
      const { items, nextCursor } = await listLeadProjections(database.db, { ...filter, ...page })
      return { leads: items.map(toLeadRecord), nextCursor }
    },
    countLeads: (filter) => countLeads(database.db, filter),
    listLeadEvents: (leadId) => listLeadEvents(database.db, leadId),
    routingLog: {
      listDecisions: (from, to) => listRoutingDecisions(database.db, from, to),
      listSurgeChanges: (from, to) => listSurgeChanges(database.db, from, to),
    },
    settings: {
      getSetting: (key) => getSetting(database.db, key),
      putSetting: (key, value, at) =>
        withTransaction(database, (tx) => putSetting(tx, key, value, at)),
    },
  }
}
