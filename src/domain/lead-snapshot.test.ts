import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { generateSampleEvents } from '../sample/generate-sample.js'
import type { LeadSnapshot } from './lead-snapshot.js'
import { foldOntoSnapshot, snapshotOfHistory } from './lead-snapshot.js'
import type { NewLeadEvent } from './recorded-event.js'
import { loadDefaultPolicy } from './test-support.js'

const policy = loadDefaultPolicy()
const FINGERPRINT = 'policy-a'
const SAMPLE_END = Date.parse('2026-03-02T00:00:00Z')
const HOUR = 3_600_000

/** What the store gives back: the snapshot as JSON. */
function stored(snapshot: LeadSnapshot): LeadSnapshot {
  return JSON.parse(JSON.stringify(snapshot)) as LeadSnapshot
}

/** Realistic histories: the sample's leads, each with every event of its life. */
function histories(seed: number): NewLeadEvent[][] {
  const byLead = new Map<string, NewLeadEvent[]>()
  for (const event of generateSampleEvents({
    seed,
    leads: 8,
    days: 30,
    end: SAMPLE_END,
    policy,
  })) {
    byLead.set(event.leadId, [...(byLead.get(event.leadId) ?? []), event])
  }
  return [...byLead.values()]
}

/**
 * Live intake's fold: each batch folds onto the stored snapshot when it can; else the lead is
 * replayed from everything that has arrived. Returns the last snapshot and how many replays.
 */
function intake(batches: readonly (readonly NewLeadEvent[])[]): {
  snapshot: LeadSnapshot | undefined
  replays: number
} {
  let snapshot: LeadSnapshot | undefined
  let replays = 0
  const arrived: NewLeadEvent[] = []
  for (const batch of batches) {
    arrived.push(...batch)
    const folded = snapshot && foldOntoSnapshot(stored(snapshot), batch, policy, FINGERPRINT)
    if (folded) {
      snapshot = folded.snapshot
    } else {
      replays += 1
      snapshot = snapshotOfHistory(arrived, policy, FINGERPRINT)?.snapshot
    }
  }
  return { snapshot, replays }
}

/** Splits `events` into batches after the positions where `cuts` is true. */
function batched(events: readonly NewLeadEvent[], cuts: readonly boolean[]): NewLeadEvent[][] {
  const batches: NewLeadEvent[][] = [[]]
  events.forEach((event, index) => {
    batches[batches.length - 1]?.push(event)
    if (cuts[index] === true && index < events.length - 1) {
      batches.push([])
    }
  })
  return batches
}

describe('folding new events onto a stored snapshot', () => {
  it('equals a full replay for random histories arriving in and out of order, in random batches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.nat({ max: 48 * HOUR }), { minLength: 60, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, delays, cuts, lateShare) => {
          for (const history of histories(seed)) {
            // Some events reach Leadclock late (a CRM sync lagging by up to two days).
            const arrival = history
              .map((event, index) => ({
                event,
                at:
                  event.occurredAt +
                  (index / history.length < lateShare ? (delays[index % delays.length] ?? 0) : 0),
              }))
              .sort((a, b) => a.at - b.at)
              .map(({ event }) => event)
            const live = intake(batched(arrival, cuts))
            const replayed = snapshotOfHistory(history, policy, FINGERPRINT)?.snapshot
            expect(live.snapshot).toEqual(replayed && stored(replayed))
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it('never replays a history that arrives in occurrence order', () => {
    for (const history of histories(7)) {
      const oneByOne = history.map((event) => [event])
      expect(intake(oneByOne).replays).toBe(1)
    }
  })

  it('asks for a replay when an event sorts before the fold position or the policy changed', () => {
    const [history] = histories(11)
    if (history === undefined || history.length < 3) {
      throw new Error('the sample gave no lead with three events')
    }
    const head = history.slice(0, -2)
    const [earlier, later] = history.slice(-2) as [NewLeadEvent, NewLeadEvent]
    const snapshot = snapshotOfHistory([...head, later], policy, FINGERPRINT)?.snapshot
    if (snapshot === undefined) {
      throw new Error('no snapshot')
    }
    expect(snapshot.foldedThrough).toEqual({
      occurredAt: later.occurredAt,
      idempotencyKey: later.idempotencyKey,
      source: later.source,
    })
    expect(foldOntoSnapshot(snapshot, [earlier], policy, FINGERPRINT)).toBeUndefined()
    expect(foldOntoSnapshot(snapshot, [], policy, 'policy-b')).toBeUndefined()
    expect(foldOntoSnapshot(snapshot, [], policy, FINGERPRINT)?.snapshot).toEqual(snapshot)
  })
})
