/**
 * Issue acceptance: replaying the same event file twice into fresh stores gives identical state.
 * The file is the deterministic sample, its lines shuffled the second time: arrival order does
 * not matter, within a lead (occurrence order) or across leads (the oldest duplicate is original).
 */
import { describe, expect, it } from 'vitest'

import type { InvalidLine } from '../../src/app/import-records.js'
import { importJsonLines } from '../../src/app/import-jsonl.js'
import { appendForDerivation, ingestEvents } from '../../src/app/ingest-events.js'
import type { LeadRecord, LeadRepository } from '../../src/app/lead-repository.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { loadDefaultPolicy } from '../../src/domain/test-support.js'
import {
  generateSampleEvents,
  SAMPLE_TEAM,
  writeSampleJsonl,
} from '../../src/sample/generate-sample.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const END = Date.parse('2026-11-20T17:00:00Z')
const events = generateSampleEvents({ seed: 7, leads: 150, days: 90, end: END, policy })
const jsonl = writeSampleJsonl(events)

function linesOf(text: string): AsyncIterable<string> {
  const lines = text.split('\n')
  return {
    [Symbol.asyncIterator]: () => {
      let index = 0
      return {
        next: () =>
          Promise.resolve(
            index < lines.length
              ? { done: false, value: lines[index++] ?? '' }
              : { done: true, value: undefined },
          ),
      }
    },
  }
}

/** A fixed shuffle (no Math.random): a stride walk over the lines, coprime with their count. */
function shuffled(text: string): string {
  const lines = text.split('\n').filter(Boolean)
  let stride = 7919
  while (gcd(stride, lines.length) !== 1) {
    stride += 2
  }
  return lines.map((_, i) => lines[(i * stride) % lines.length]).join('\n')
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

const people = new Set(SAMPLE_TEAM.map((person) => person.id))

async function importInto(
  dialect: string,
  text: string,
): Promise<Map<string, LeadRecord['state']>> {
  const database = await freshDatabase(dialect)
  try {
    const repository = createLeadRepository(database)
    const invalidLines: InvalidLine[] = []
    const report = await importJsonLines({ repository, policy }, linesOf(text), {
      now: () => END,
      people,
      onInvalidLine: (invalid) => invalidLines.push(invalid),
    })
    expect(report.invalid, JSON.stringify(invalidLines.slice(0, 3))).toBe(0)
    return await statesOf(repository)
  } finally {
    await database.close()
  }
}

async function statesOf(repository: LeadRepository): Promise<Map<string, LeadRecord['state']>> {
  const states = new Map<string, LeadRecord['state']>()
  let after: string | undefined
  for (;;) {
    const page = await repository.listLeads(
      {},
      { limit: 500, ...(after === undefined ? {} : { after }) },
    )
    for (const lead of page.leads) {
      states.set(lead.leadId, lead.state)
    }
    if (page.nextCursor === null) {
      return states
    }
    after = page.nextCursor
  }
}

const asItems = (slice: readonly NewLeadEvent[]) =>
  slice.map((event) => ({ ok: true as const, event }))

for (const dialect of DIALECTS) {
  describe(`replay determinism on ${dialect}`, () => {
    // Two imports of 150 leads each: longer than the default per-test limit on a busy machine.
    it(
      'gives identical lead state for the same file in any line order, in two fresh stores',
      { timeout: 180_000 },
      async () => {
        const first = await importInto(dialect, jsonl)
        const second = await importInto(dialect, shuffled(jsonl))
        expect(first.size).toBe(150)
        expect(second).toEqual(first)
        expect(new Set([...first.values()].map((state) => state.stage)).size).toBeGreaterThan(4)
      },
    )

    it(
      'derives the same leads whether events arrive live in small batches or by import, also after an import stopped between its two phases',
      { timeout: 180_000 },
      async () => {
        const imported = await importInto(dialect, jsonl)
        const live = await freshDatabase(dialect)
        const interrupted = await freshDatabase(dialect)
        try {
          const liveRepository = createLeadRepository(live)
          for (let start = 0; start < events.length; start += 100) {
            await ingestEvents(
              { repository: liveRepository, policy },
              asItems(events.slice(start, start + 100)),
            )
          }
          expect(await statesOf(liveRepository)).toEqual(imported)

          // The first phase alone, as an import killed before deriving anything leaves the store.
          const repository = createLeadRepository(interrupted)
          for (let start = 0; start < events.length; start += 1000) {
            await appendForDerivation(repository, asItems(events.slice(start, start + 1000)))
          }
          expect(await repository.countLeads({})).toBe(0)
          expect(await repository.countPendingDerivations()).toBe(150)
          // The next import — here of nothing new — derives what the stopped one left.
          const again = await importJsonLines({ repository, policy }, linesOf(jsonl), {
            now: () => END,
            people,
          })
          expect(again).toMatchObject({ appended: 0, duplicates: events.length, invalid: 0 })
          expect(await repository.countPendingDerivations()).toBe(0)
          expect(await statesOf(repository)).toEqual(imported)
        } finally {
          await live.close()
          await interrupted.close()
        }
      },
    )
  })
}
