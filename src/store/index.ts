/** The store's public API. */
export type { Database, DatabaseConfig } from './create-database.js'
export { createDatabase, DEFAULT_DATA_DIR } from './create-database.js'
export type { DatabaseSchema } from './database-schema.js'
export type { AppendResult, AppendStatus, StreamOptions } from './event-log.js'
export { appendEvent, listLeadEvents, lockLead, streamAllEvents } from './event-log.js'
export type {
  LeadFilter,
  LeadPageRequest,
  LeadProjection,
  LeadProjectionPage,
  UpsertOutcome,
} from './lead-projection.js'
export {
  countLeads,
  findLeadsByEmail,
  getLeadProjection,
  listLeadProjections,
  MAX_PAGE_SIZE,
  replaceLeadClocks,
  upsertLeadProjection,
} from './lead-projection.js'
export { createLeadRepository } from './lead-repository.js'
export { StoreError } from './store-error.js'
export type { StoreExecutor, StoreTransaction } from './transaction.js'
export { withTransaction } from './transaction.js'
