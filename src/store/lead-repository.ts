/**
 * The app's LeadRepository port, implemented on the store's event log and lead projection.
 */
import type {
  LeadRecord,
  LeadRepository,
  LeadTransaction,
  StoredSnapshot,
} from '../app/lead-repository.js'
import { createAccessStore } from './access-store.js'
import { appendAuditEntry, listAuditEntriesAbout, rewriteAuditEntries } from './audit-log.js'
import type { LeadFold } from '../domain/lead-snapshot.js'
import type { LeadState } from '../domain/lead-state.js'
import type { Database } from './create-database.js'
import {
  appendEvent,
  appendEvents,
  appendEventsUnread,
  listEventsAfter,
  listEventsOfLeads,
  listLeadEvents,
  lockLead,
  lockLeads,
  lockOrder,
} from './event-log.js'
import type { LeadProjection, LeadProjectionWrite, StoredLeadFold } from './lead-projection.js'
import {
  countLeads,
  listOpenClocks,
  findLeadsByEmails,
  getLeadProjection,
  listLeadFolds,
  listLeadProjections,
  replaceLeadClocks,
  upsertLeadProjections,
} from './lead-projection.js'
import {
  findDomainSuppressions,
  findLeadIdsAtDomain,
  suppressDomain,
} from './suppressed-domains.js'
import {
  dailyRoutedCounts,
  getSetting,
  lastSurgeChange,
  listRoutingDecisions,
  listSurgeChanges,
  putSetting,
  readSettings,
  recordRoutingDecision,
  recordSurgeChange,
  routingLoad,
  settingVersions,
} from './routing-log.js'
import * as escalationStore from './escalation-store.js'
import {
  declareErasure,
  eraseMessageFields,
  rewriteEventPayloads,
} from './personal-data-erasure.js'
import {
  clearPendingDerivations,
  countPendingDerivations,
  listPendingDerivations,
  markPendingDerivations,
} from './pending-derivations.js'
import * as reportReads from './report-reads.js'
import * as taskStore from './task-store.js'
import type { StoreTransaction } from './transaction.js'
import { withTransaction } from './transaction.js'

/** A lead record is the projection row with the engine's typed state; queues come from it. */
function toProjection(record: LeadRecord, fold: LeadFold | null): LeadProjectionWrite {
  return {
    ...record,
    queues: record.state.queues,
    state: record.state as unknown as Readonly<Record<string, unknown>>,
    fold,
  }
}

function toStoredSnapshot({
  state,
  fold,
  eventCount,
  lastEventSeq,
  updatedAt,
}: StoredLeadFold): StoredSnapshot {
  // The engine's own output, stored as it gave it.
  return {
    snapshot: { ...(fold as unknown as LeadFold), state: state as unknown as LeadState },
    eventCount,
    lastEventSeq,
    updatedAt,
  }
}

function toLeadRecord({ queues: _queues, state, ...columns }: LeadProjection): LeadRecord {
  // The engine's own output, stored as it gave it.
  return { ...columns, state: state as unknown as LeadState }
}

function leadTransaction(tx: StoreTransaction): LeadTransaction {
  return {
    lockLeads: (leadIds) => lockLeads(tx, lockOrder(leadIds)),
    suppressDomain: (suppression) => suppressDomain(tx, suppression),
    findDomainSuppressions: (domains) => findDomainSuppressions(tx, domains),
    findLeadIdsAtDomain: (domain, since) => findLeadIdsAtDomain(tx, domain, since),
    appendEvent: (event) => appendEvent(tx, event),
    appendEvents: (events) => appendEvents(tx, events),
    appendEventsUnread: (events) => appendEventsUnread(tx, events),
    markPendingDerivations: (leadIds) => markPendingDerivations(tx, leadIds),
    clearPendingDerivations: (leadIds) => clearPendingDerivations(tx, leadIds),
    listLeadEvents: (leadId) => listLeadEvents(tx, leadId),
    async getLead(leadId) {
      const projection = await getLeadProjection(tx, leadId)
      return projection === undefined ? undefined : toLeadRecord(projection)
    },
    appendAudit: (entry) => appendAuditEntry(tx, entry),
    listEventsOfLeads: (leadIds) => listEventsOfLeads(tx, leadIds),
    loadSnapshots: async (leadIds) =>
      new Map(
        (await listLeadFolds(tx, leadIds)).map((stored) => [
          stored.leadId,
          toStoredSnapshot(stored),
        ]),
      ),
    listEventsAfter: (afterSeqByLead) => listEventsAfter(tx, afterSeqByLead),
    findLeadsByEmails: (emails) => findLeadsByEmails(tx, emails),
    async upsertLeads(leads) {
      const written = await upsertLeadProjections(
        tx,
        leads.map((lead) => toProjection(lead.record, lead.fold)),
      )
      await replaceLeadClocks(
        tx,
        leads.filter((lead) => written.has(lead.record.leadId)),
      )
    },
    escalation: {
      syncTimers: (schedules) => escalationStore.syncTimers(tx, schedules),
      databaseNow: () => escalationStore.databaseNow(tx),
      claimDueTimers: (now, limit) => escalationStore.claimDueTimers(tx, now, limit),
      tryLockLeads: (leadIds) => escalationStore.tryLockLeads(tx, leadIds),
      isolated: (work) => escalationStore.inSavepoint(tx, work),
      deferTimers: (stepKeys, retryAt, error) =>
        escalationStore.deferTimers(tx, stepKeys, retryAt, error),
      lockKey: (key) => lockLead(tx, key),
      settleTimers: (settlements) => escalationStore.settleTimers(tx, settlements),
      stampFiringLagAtCommit: (stepKeys) => escalationStore.stampFiringLagAtCommit(tx, stepKeys),
      rescheduleTimers: (moves) => escalationStore.rescheduleTimers(tx, moves),
      syncEscalations: (leads) => escalationStore.syncEscalations(tx, leads),
      syncTasks: (leads) => taskStore.syncTasks(tx, leads),
      countEscalations: (repId, kind, severity, from, to) =>
        escalationStore.countEscalations(tx, repId, kind, severity, from, to),
      enqueueNotifications: (notifications) =>
        escalationStore.enqueueNotifications(tx, notifications),
      nextDueAt: (until) => escalationStore.nextDueAt(tx, until),
    },
    erasure: {
      declare: () => declareErasure(tx),
      rewritePayloads: (events) => rewriteEventPayloads(tx, events),
      auditEntriesAbout: (leadIds) => listAuditEntriesAbout(tx, leadIds),
      rewriteAuditEntries: (entries) => rewriteAuditEntries(tx, entries),
      eraseMessageFields: (leadIds, fields, tombstone) =>
        eraseMessageFields(tx, leadIds, fields, tombstone),
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
    access: createAccessStore(database),
    withLeadsLocked: (leadIds, work) =>
      withTransaction(database, async (tx) => {
        // One stable order for every writer, so two never wait on each other in a cycle.
        await lockLeads(tx, lockOrder(leadIds))
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
    listOpenClocks: (filter) => listOpenClocks(database.db, filter),
    listLeadEvents: (leadId) => listLeadEvents(database.db, leadId),
    listPendingDerivations: (limit, afterLeadId) =>
      listPendingDerivations(database.db, limit, afterLeadId),
    countPendingDerivations: () => countPendingDerivations(database.db),
    escalations: {
      listEscalations: (filter) => escalationStore.listEscalations(database.db, filter),
      timerCounts: () => escalationStore.timerCounts(database.db),
    },
    outbox: {
      claimDeliveries: (now, limit, channels) =>
        withTransaction(database, (tx) =>
          escalationStore.claimDeliveries(tx, now, limit, channels),
        ),
      markDelivered: (key, at) => escalationStore.markDelivered(database.db, key, at),
      markFailed: (key, error, next) => escalationStore.markFailed(database.db, key, error, next),
      releaseStale: (before) => escalationStore.releaseStale(database.db, before),
      listDeliveries: (filter) => escalationStore.listDeliveries(database.db, filter),
      replay: (key, now, audit) =>
        withTransaction(database, async (tx) => {
          const was = await escalationStore.replayDelivery(tx, key, now)
          if (was !== undefined && audit !== undefined) {
            await appendAuditEntry(tx, audit(was))
          }
          return was !== undefined
        }),
    },
    routingLog: {
      listDecisions: (from, to) => listRoutingDecisions(database.db, from, to),
      listSurgeChanges: (from, to) => listSurgeChanges(database.db, from, to),
    },
    tasks: {
      listTasks: (filter) => taskStore.listTasks(database.db, filter),
    },
    reports: {
      escalationFacts: (window) => reportReads.escalationFacts(database.db, window),
      listHandoffLeads: () => reportReads.listHandoffLeads(database.db),
      listRoutedLeads: (leadIds) => reportReads.listRoutedLeads(database.db, leadIds),
      countMisroutedLeads: (leadIds) => reportReads.countMisroutedLeads(database.db, leadIds),
      listMetricSources: () => reportReads.listMetricSources(database.db),
    },
    settings: {
      getSetting: (key) => getSetting(database.db, key),
      readSettings: (keys) => readSettings(database.db, keys),
      settingVersions: (keys) => settingVersions(database.db, keys),
      putSetting: (key, value, at, audit) =>
        withTransaction(database, async (tx) => {
          await putSetting(tx, key, value, at)
          if (audit !== undefined) {
            await appendAuditEntry(tx, audit)
          }
        }),
    },
  }
}
