import { describe, expect, it } from 'vitest'

import { MINUTE, REFERENCE_TIMESTAMP as T0 } from '../domain/test-support.js'
import type { EventInputContext, SystemTimestampRule } from './event-input.js'
import { parseEventInput } from './event-input.js'

/** The import runs a year after the history it replays. */
const IMPORT_CLOCK = T0 + 365 * 24 * 60 * MINUTE

const context = (systemTimestamp: SystemTimestampRule): EventInputContext => ({
  now: IMPORT_CLOCK,
  defaultSource: 'import',
  systemTimestamp,
  people: new Set(['sdr-ana-lopez']),
})

const line = (extra: Record<string, unknown>) => ({
  idempotencyKey: 'k-1',
  leadId: 'lead-1',
  type: 'intent.recorded',
  payload: { action: 'demo-request' },
  ...extra,
})

const timesOf = (input: unknown, rule: SystemTimestampRule) => {
  const parsed = parseEventInput(input, context(rule))
  return parsed.ok
    ? { occurredAt: parsed.event.occurredAt, receivedAt: parsed.event.receivedAt }
    : parsed.problems
}

describe('parseEventInput: the system timestamp of history', () => {
  it('is the line’s occurredAt by default, the import clock on request, the line’s own when given', () => {
    const occurred = line({ occurredAt: '2026-03-03T09:00:00-05:00' })
    expect(timesOf(occurred, 'history-occurred-at')).toEqual({ occurredAt: T0, receivedAt: T0 })
    expect(timesOf(occurred, 'history-import-time')).toEqual({
      occurredAt: T0,
      receivedAt: IMPORT_CLOCK,
    })
    const seen = line({ occurredAt: T0, receivedAt: T0 + 7 * MINUTE })
    for (const rule of ['history-occurred-at', 'history-import-time'] as const) {
      expect(timesOf(seen, rule)).toEqual({ occurredAt: T0, receivedAt: T0 + 7 * MINUTE })
    }
  })

  it('refuses history from the future and an event received before it happened', () => {
    expect(timesOf(line({ occurredAt: IMPORT_CLOCK + 6 * MINUTE }), 'history-occurred-at')).toEqual(
      [
        {
          field: 'occurredAt',
          rule: 'not-in-future',
          message:
            'occurredAt 2027-03-03T14:06:00.000Z is after the time of the import (2027-03-03T14:00:00.000Z); history cannot come from the future',
        },
      ],
    )
    // Five minutes of clock skew are tolerated.
    expect(timesOf(line({ occurredAt: IMPORT_CLOCK + 5 * MINUTE }), 'history-occurred-at')).toEqual(
      { occurredAt: IMPORT_CLOCK + 5 * MINUTE, receivedAt: IMPORT_CLOCK + 5 * MINUTE },
    )
    expect(
      timesOf(line({ occurredAt: T0 + 6 * MINUTE, receivedAt: T0 }), 'history-occurred-at'),
    ).toEqual([
      {
        field: 'occurredAt',
        rule: 'received-before-occurred',
        message:
          'occurredAt 2026-03-03T14:06:00.000Z is more than 5 minutes after receivedAt 2026-03-03T14:00:00.000Z',
      },
    ])
  })

  it('live intake stamps its own clock and refuses a receivedAt', () => {
    expect(timesOf(line({ occurredAt: T0 }), 'intake')).toEqual({
      occurredAt: T0,
      receivedAt: IMPORT_CLOCK,
    })
    expect(timesOf(line({ receivedAt: T0 }), 'intake')).toEqual([
      {
        field: 'receivedAt',
        rule: 'system-timestamp',
        message: 'receivedAt is the system timestamp Leadclock assigns; leave it out',
      },
    ])
  })

  it('refuses a receivedAt in epoch seconds like any instant', () => {
    expect(timesOf(line({ receivedAt: 1_772_546_400 }), 'history-occurred-at')).toEqual([
      {
        field: 'receivedAt',
        rule: 'instant-epoch-seconds',
        message:
          '1772546400 looks like seconds since 1970; send milliseconds or ISO 8601 with an offset',
      },
    ])
  })
})
