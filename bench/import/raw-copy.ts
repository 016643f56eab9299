/**
 * The physical limit an import is measured against: the same event rows written with one
 * `COPY lead_events … FROM STDIN` (CSV) into a migrated database on the same server — the table's
 * constraints and indexes as the import meets them, and none of the engine's work.
 * pg-copy-streams is not a dependency; pg's Query answers the server's copy-in request through
 * the two connection calls that streaming library uses.
 */
import pg from 'pg'

import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { newEventId } from '../../src/store/event-id.js'

function csvField(value: string | number | null): string {
  return value === null ? '' : `"${String(value).replaceAll('"', '""')}"`
}

function csvRow(event: NewLeadEvent): string {
  return [
    newEventId(),
    event.idempotencyKey,
    event.leadId,
    event.type,
    event.occurredAt,
    event.receivedAt,
    event.actor === null ? null : JSON.stringify(event.actor),
    event.source,
    JSON.stringify(event.payload),
  ]
    .map(csvField)
    .join(',')
}

interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
}

/** Writes `events` with one COPY; resolves with the seconds it took, rows built beforehand. */
export async function copyEvents(url: string, events: readonly NewLeadEvent[]): Promise<number> {
  const data = Buffer.from(`${events.map(csvRow).join('\n')}\n`)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const copy = new pg.Query(
        'copy lead_events (event_id, idempotency_key, lead_id, type, occurred_at, received_at, actor, source, payload) from stdin (format csv)',
      ) as pg.Query & { handleCopyInResponse(connection: CopyConnection): void }
      copy.handleCopyInResponse = (connection) => {
        connection.sendCopyFromChunk(data)
        connection.endCopyFrom()
      }
      copy.on('end', () => resolve())
      copy.on('error', reject)
      void client.query(copy)
    })
    return (performance.now() - started) / 1000
  } finally {
    await client.end()
  }
}
