/** What an erasure of personal data needs of the store, inside the leads' transaction. */
import type { RecordedAuditEntry } from './access-port.js'

export interface ErasureTransaction {
  /**
   * Declares the transaction an erasure: the one kind allowed to rewrite the append-only event
   * payloads and audit records. Call it before the rewrites.
   */
  declare(): Promise<void>
  rewritePayloads(
    events: readonly { eventId: string; payload: Readonly<Record<string, unknown>> }[],
  ): Promise<void>
  /** The audit entries whose subject is one of these leads, oldest first. */
  auditEntriesAbout(leadIds: readonly string[]): Promise<RecordedAuditEntry[]>
  rewriteAuditEntries(
    entries: readonly Pick<RecordedAuditEntry, 'seq' | 'before' | 'after' | 'detail'>[],
  ): Promise<void>
  /** Sets these string fields of the leads' notification messages to `tombstone`. */
  eraseMessageFields(
    leadIds: readonly string[],
    fields: readonly string[],
    tombstone: string,
  ): Promise<void>
}
