import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { RecordedEvent } from '../../src/domain/recorded-event.js'
import { compareByOccurrence } from '../../src/domain/recorded-event.js'
import type { Database } from '../../src/store/create-database.js'
import { EVENT_ID_PATTERN } from '../../src/store/event-id.js'
import type { AppendResult } from '../../src/store/event-log.js'
import {
  appendEvent,
  appendEvents,
  listEventsOfLeads,
  listLeadEvents,
  lockLead,
  lockLeads,
  lockOrder,
  streamAllEvents,
} from '../../src/store/event-log.js'
import { StoreError } from '../../src/store/store-error.js'
import type { StoreTransaction } from '../../src/store/transaction.js'
import { withTransaction } from '../../src/store/transaction.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'
import { eventFactory, T0 } from './event-factory.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = []
  for await (const event of iterable) {
    events.push(event)
  }
  return events
}

for (const dialect of DIALECTS) {
  describe(`event log on ${dialect}`, () => {
    let database: Database
    const append = (event: Parameters<typeof appendEvent>[1]): Promise<AppendResult> =>
      withTransaction(database, (tx) => appendEvent(tx, event))

    beforeAll(async () => {
      database = await freshDatabase(dialect)
    }, OPEN_TIMEOUT_MS)
    afterAll(() => database.close())

    it('appends and reads back an event exactly: ms timestamps, payload, actor', async () => {
      const f = eventFactory()
      const withActor = f.event({
        leadId: f.lead('exact'),
        type: 'lead.created',
        occurredAt: T0,
        receivedAt: T0 + 59_999,
        actor: { id: 'rep-7', role: 'sdr' },
        source: 'hubspot',
        payload: {
          profile: { email: 'zoë@example.com', employees: 250, tags: ['a', 'b'], vip: true },
          note: 'naïve – “quotes” 😀',
          nothing: null,
          ratio: 0.125,
        },
      })
      const withoutActor = f.event({ leadId: f.lead('exact'), occurredAt: T0 + 1 })
      const first = await append(withActor)
      const second = await append(withoutActor)

      expect(first.status).toBe('appended')
      expect(first.event).toEqual({
        ...withActor,
        seq: first.event.seq,
        eventId: first.event.eventId,
      })
      expect(first.event.eventId).toMatch(EVENT_ID_PATTERN)
      expect(second.event).toEqual({
        ...withoutActor,
        seq: second.event.seq,
        eventId: second.event.eventId,
      })
      expect(second.event.actor).toBeNull()
      expect(second.event.seq).toBeGreaterThan(first.event.seq)
      expect(second.event.eventId > first.event.eventId).toBe(true)
      expect(await listLeadEvents(database.db, f.lead('exact'))).toEqual([
        first.event,
        second.event,
      ])
    })

    it('keeps timestamps far from now exact', async () => {
      const f = eventFactory()
      const instants = [0, -86_400_000 * 365 * 50 - 7, 8_640_000_000_000_000, 4_102_444_800_999]
      for (const [index, instant] of instants.entries()) {
        await append(
          f.event({ leadId: f.lead('far'), occurredAt: instant, receivedAt: instant + index }),
        )
      }
      const stored = await listLeadEvents(database.db, f.lead('far'))
      expect(stored.map((event) => event.occurredAt)).toEqual([...instants].sort((a, b) => a - b))
    })

    it('acknowledges a duplicate key with the original event and stores nothing new', async () => {
      const f = eventFactory()
      const original = f.event({ leadId: f.lead('dup'), payload: { version: 1 } })
      const first = await append(original)
      const again = await append({
        ...original,
        leadId: f.lead('other'),
        occurredAt: original.occurredAt + 5,
        payload: { version: 2 },
      })
      expect(again).toEqual({ status: 'duplicate', event: first.event })
      expect(await listLeadEvents(database.db, f.lead('dup'))).toEqual([first.event])
      expect(await listLeadEvents(database.db, f.lead('other'))).toEqual([])
    })

    it('recognises a duplicate appended earlier in the same transaction', async () => {
      const f = eventFactory()
      const event = f.event()
      const [first, second] = await withTransaction(database, async (tx) => [
        await appendEvent(tx, event),
        await appendEvent(tx, { ...event, payload: { other: true } }),
      ])
      expect(first?.status).toBe('appended')
      expect(second).toEqual({ status: 'duplicate', event: first?.event })
    })

    it('stores 200 concurrent appends with 50 repeated keys as exactly 150 events', async () => {
      const f = eventFactory()
      const leads = Array.from({ length: 7 }, (_, i) => f.lead(`conc-${i}`))
      const unique = Array.from({ length: 150 }, (_, i) =>
        f.event({
          idempotencyKey: f.key(`conc-${i}`),
          leadId: leads[i % leads.length] ?? '',
          occurredAt: T0 + (i % 13) * 1_000,
          payload: { attempt: 0 },
        }),
      )
      // Every third key sent again, with a payload of its own that must not be stored.
      const repeats = unique
        .filter((_, i) => i % 3 === 0)
        .map((event) => ({ ...event, payload: { attempt: 1 } }))
      expect(repeats).toHaveLength(50)
      const attempts = [...unique, ...repeats]
      // Interleave the repeats with the originals, so either may win.
      attempts.sort((a, b) => a.idempotencyKey.localeCompare(b.idempotencyKey, 'en'))
      const results = await Promise.all(attempts.map((event) => append(event)))

      expect(results.filter((r) => r.status === 'appended')).toHaveLength(150)
      expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(50)
      const stored = (
        await Promise.all(leads.map((lead) => listLeadEvents(database.db, lead)))
      ).flat()
      expect(stored).toHaveLength(150)
      const storedByKey = new Map(stored.map((event) => [event.idempotencyKey, event]))
      expect(storedByKey.size).toBe(150)
      const appendedPerKey = new Map<string, number>()
      results.forEach((result, index) => {
        const key = attempts[index]?.idempotencyKey ?? ''
        // Each caller is answered with the one stored event of its key…
        expect(result.event).toEqual(storedByKey.get(key))
        // …and told `appended` only if its own attempt is the one stored.
        expect(result.status === 'appended').toBe(
          result.event.payload.attempt === attempts[index]?.payload.attempt,
        )
        if (result.status === 'appended') {
          appendedPerKey.set(key, (appendedPerKey.get(key) ?? 0) + 1)
        }
      })
      expect([...appendedPerKey.values()].every((count) => count === 1)).toBe(true)
      expect(appendedPerKey.size).toBe(150)
    })

    it('lists a lead’s events in occurrence order, ties by key exactly as compareByOccurrence', async () => {
      const f = eventFactory()
      const lead = f.lead('order')
      // Tied keys whose orders differ by locale, by case and between UTF-8 bytes and UTF-16 units.
      const tiedKeys = ['b', 'a', 'B', 'a-2', 'ä', '\uFFFD', '😀', 'Z', 'a_1']
      const events = [
        f.event({ leadId: lead, idempotencyKey: `${lead}:late`, occurredAt: T0 + 2 }),
        ...tiedKeys.map((key) =>
          f.event({ leadId: lead, idempotencyKey: `${lead}:${key}`, occurredAt: T0 + 1 }),
        ),
        f.event({ leadId: lead, idempotencyKey: `${lead}:zz-early`, occurredAt: T0 }),
      ]
      for (const event of events) {
        await append(event)
      }
      const listed = await listLeadEvents(database.db, lead)
      expect(listed.map((e) => e.idempotencyKey)).toEqual(
        [...events].sort(compareByOccurrence).map((e) => e.idempotencyKey),
      )
      const ties = listed
        .filter((e) => e.occurredAt === T0 + 1)
        .map((e) => e.idempotencyKey.split(':').at(-1))
      expect(ties).toEqual(['B', 'Z', 'a', 'a-2', 'a_1', 'b', 'ä', '😀', '\uFFFD'])
      expect(listed[0]?.occurredAt).toBe(T0)
      expect(listed.at(-1)?.occurredAt).toBe(T0 + 2)
    })

    it('appends a batch in one go: new keys in input order, a key stored before or repeated in the batch is a duplicate of the first', async () => {
      const f = eventFactory()
      const stored = await append(
        f.event({ leadId: f.lead('batch-a'), idempotencyKey: f.key('old') }),
      )
      const fresh = f.event({ leadId: f.lead('batch-b'), idempotencyKey: f.key('new') })
      const again = f.event({ leadId: f.lead('batch-a'), idempotencyKey: f.key('old') })
      const repeat = f.event({ leadId: f.lead('batch-b'), idempotencyKey: f.key('new') })
      const withActor = f.event({ leadId: f.lead('batch-a'), actor: { id: 'rep-1', role: 'sdr' } })

      const results = await withTransaction(database, (tx) =>
        appendEvents(tx, [fresh, again, repeat, withActor]),
      )

      expect(results.map((result) => result.status)).toEqual([
        'appended',
        'duplicate',
        'duplicate',
        'appended',
      ])
      const [first, second, third, fourth] = results
      expect(first?.event).toEqual({
        ...fresh,
        seq: first?.event.seq,
        eventId: first?.event.eventId,
      })
      expect(second?.event).toEqual(stored.event)
      expect(third?.event).toEqual(first?.event)
      expect(fourth?.event.actor).toEqual({ id: 'rep-1', role: 'sdr' })
      expect(fourth!.event.seq).toBeGreaterThan(first!.event.seq)
    })

    it('scopes keys per source: the same key from another source is another event, ordered after the key by source', async () => {
      const f = eventFactory()
      const lead = f.lead('sources')
      const key = f.key('shared')
      const fromB = f.event({ leadId: lead, idempotencyKey: key, occurredAt: T0, source: 'crm-b' })
      const fromA = f.event({ leadId: lead, idempotencyKey: key, occurredAt: T0, source: 'crm-a' })
      const results = await withTransaction(database, (tx) =>
        appendEvents(tx, [fromB, fromA, { ...fromA, payload: { other: true } }]),
      )
      expect(results.map((result) => [result.status, result.event.source])).toEqual([
        ['appended', 'crm-b'],
        ['appended', 'crm-a'],
        ['duplicate', 'crm-a'],
      ])
      expect(results[2]?.event).toEqual(results[1]?.event)
      expect((await append(fromB)).event).toEqual(results[0]?.event)
      expect((await listLeadEvents(database.db, lead)).map((event) => event.source)).toEqual([
        'crm-a',
        'crm-b',
      ])
      expect(compareByOccurrence(fromA, fromB)).toBeLessThan(0)
    })

    it('reads the histories of several leads in one query, each in occurrence order', async () => {
      const f = eventFactory()
      const [a, b, none] = [f.lead('many-a'), f.lead('many-b'), f.lead('many-none')]
      const late = await append(f.event({ leadId: a, occurredAt: T0 + 50 }))
      const early = await append(f.event({ leadId: a, occurredAt: T0 + 10 }))
      const onlyB = await append(f.event({ leadId: b }))

      const histories = await listEventsOfLeads(database.db, [b, a, none])

      expect([...histories.entries()]).toEqual([
        [b, [onlyB.event]],
        [a, [early.event, late.event]],
        [none, []],
      ])
    })

    it('locks several leads in one statement, in the one sorted order every writer uses', async () => {
      const f = eventFactory()
      const [x, y] = [f.lead('lock-x'), f.lead('lock-y')]
      expect(lockOrder([y, x, y])).toEqual([x, y])
      const order: string[] = []
      let releaseFirst: () => void = () => undefined
      const firstHolds = new Promise<void>((resolve) => {
        releaseFirst = resolve
      })
      const first = withTransaction(database, async (tx) => {
        await lockLeads(tx, lockOrder([x, y]))
        order.push('first locked')
        await firstHolds
        order.push('first done')
      })
      await sleep(20)
      const second = withTransaction(database, async (tx) => {
        await lockLeads(tx, lockOrder([y]))
        order.push('second locked')
      })
      await sleep(20)
      releaseFirst()
      await Promise.all([first, second])
      expect(order).toEqual(['first locked', 'first done', 'second locked'])
    })

    it('serialises writers of one lead with lockLead', async () => {
      const f = eventFactory()
      const lead = f.lead('locked')
      // Read-modify-write: each writer numbers its event after the ones it sees.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          withTransaction(database, async (tx) => {
            await lockLead(tx, lead)
            const seen = await listLeadEvents(tx, lead)
            await sleep(2)
            await appendEvent(
              tx,
              f.event({
                leadId: lead,
                idempotencyKey: f.key(`w${i}`),
                payload: { position: seen.length },
              }),
            )
          }),
        ),
      )
      const positions = (await listLeadEvents(database.db, lead)).map((e) => e.payload.position)
      expect([...positions].sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      )
    })

    it('refuses to update or delete an event', async () => {
      const f = eventFactory()
      const { event } = await append(f.event())
      await expect(
        withTransaction(database, (tx) =>
          sql`update lead_events set type = 'changed' where seq = ${event.seq}`.execute(tx),
        ),
      ).rejects.toThrow(/append-only/)
      await expect(
        withTransaction(database, (tx) =>
          sql`delete from lead_events where seq = ${event.seq}`.execute(tx),
        ),
      ).rejects.toThrow(/append-only/)
      expect(await listLeadEvents(database.db, event.leadId)).toEqual([event])
    })

    it('rejects events it cannot store exactly, and appends outside a transaction', async () => {
      const f = eventFactory()
      const bad = [
        f.event({ occurredAt: T0 + 0.5 }),
        f.event({ receivedAt: Number.NaN }),
        f.event({ idempotencyKey: '' }),
        f.event({ leadId: '' }),
        f.event({ payload: [1, 2] as unknown as Record<string, unknown> }),
        f.event({ actor: { id: '' } }),
      ]
      for (const event of bad) {
        await expect(append(event)).rejects.toThrow(StoreError)
      }
      const notATransaction = database.db as unknown as StoreTransaction
      await expect(appendEvent(notATransaction, f.event())).rejects.toThrow(/inside a transaction/)
      await expect(lockLead(notATransaction, 'x')).rejects.toThrow(/inside a transaction/)
    })

    it('streams every event in seq order across batches', async () => {
      const f = eventFactory()
      const appended: RecordedEvent[] = []
      for (let i = 0; i < 23; i += 1) {
        // Occurrence order opposite to receipt order: the stream must follow receipt (seq).
        const result = await append(f.event({ leadId: f.lead(`s${i % 4}`), occurredAt: T0 - i }))
        appended.push(result.event)
      }
      const afterSeq = (appended[0]?.seq ?? 0) - 1
      for (const batchSize of [1, 5, 23, 500]) {
        expect(await collect(streamAllEvents(database.db, { afterSeq, batchSize }))).toEqual(
          appended,
        )
      }
      const middle = appended[9]?.seq ?? 0
      expect(
        await collect(streamAllEvents(database.db, { afterSeq: middle, batchSize: 4 })),
      ).toEqual(appended.slice(10))
      const everything = await collect(streamAllEvents(database.db))
      expect(everything.slice(-23)).toEqual(appended)
      expect(
        everything.every((event, i) => i === 0 || event.seq > (everything[i - 1]?.seq ?? 0)),
      ).toBe(true)
    })
  })
}
