/**
 * The store's part of an erasure of personal data: the one transaction allowed to rewrite the
 * event log's payloads and the audit trail's records (migration 0012), and the notification
 * outbox's messages.
 */
import { sql } from 'kysely'

import { jsonObjectText } from './column-values.js'
import type { StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

/** Declares the transaction an erasure, until it ends: the append-only triggers let it rewrite. */
export async function declareErasure(tx: StoreTransaction): Promise<void> {
  requireTransaction(tx, 'declareErasure')
  await sql`select set_config('leadclock.erasure', 'on', true)`.execute(tx)
}

/** Replaces events' payloads (in an erasure: the trigger refuses it otherwise). */
export async function rewriteEventPayloads(
  tx: StoreTransaction,
  events: readonly { eventId: string; payload: Readonly<Record<string, unknown>> }[],
): Promise<void> {
  requireTransaction(tx, 'rewriteEventPayloads')
  for (const event of events) {
    await tx
      .updateTable('lead_events')
      .set({ payload: jsonObjectText(event.payload, 'payload') })
      .where('event_id', '=', event.eventId)
      .execute()
  }
}

/** Sets the string fields `fields` of the leads' queued and sent messages to `tombstone` (a null stays null). */
export async function eraseMessageFields(
  tx: StoreTransaction,
  leadIds: readonly string[],
  fields: readonly string[],
  tombstone: string,
): Promise<void> {
  requireTransaction(tx, 'eraseMessageFields')
  for (const field of fields) {
    await tx
      .updateTable('notification_outbox')
      .set({
        message: sql`jsonb_set(message, array[${field}::text], to_jsonb(${tombstone}::text))`,
      })
      .where(sql<boolean>`lead_id = any(${[...leadIds]}::text[])`)
      .where(sql<boolean>`jsonb_typeof(message -> ${field}::text) = 'string'`)
      .execute()
  }
}
