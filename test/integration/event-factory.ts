/** Store-level test events: unique keys and lead ids per test run, so suites can share a database. */
import { randomUUID } from 'node:crypto'

import type { NewLeadEvent } from '../../src/domain/recorded-event.js'

/** 2024-11-25T16:00:00.123Z: a millisecond part that a seconds-precision store would lose. */
export const T0 = 1_732_550_400_123

export interface EventFactory {
  /** A lead id unique to this factory. */
  lead(name: string): string
  /** A key unique to this factory. */
  key(name: string): string
  event(overrides?: Partial<NewLeadEvent>): NewLeadEvent
}

export function eventFactory(): EventFactory {
  const run = randomUUID().slice(0, 8)
  let serial = 0
  const lead = (name: string) => `lead-${run}-${name}`
  const key = (name: string) => `key-${run}-${name}`
  return {
    lead,
    key,
    event(overrides = {}) {
      serial += 1
      return {
        idempotencyKey: key(String(serial)),
        leadId: lead('default'),
        type: 'note.added',
        occurredAt: T0 + serial,
        receivedAt: T0 + 1_000 + serial,
        actor: null,
        source: 'test',
        payload: { serial },
        ...overrides,
      }
    },
  }
}
