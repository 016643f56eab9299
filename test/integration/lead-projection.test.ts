import { randomUUID } from 'node:crypto'

import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import type { LeadProjection } from '../../src/store/lead-projection.js'
import {
  countLeads,
  findLeadsByEmail,
  getLeadProjection,
  listLeadProjections,
  replaceLeadClocks,
  upsertLeadProjection,
} from '../../src/store/lead-projection.js'
import { StoreError } from '../../src/store/store-error.js'
import type { StoreTransaction } from '../../src/store/transaction.js'
import { withTransaction } from '../../src/store/transaction.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'
import { T0 } from './event-factory.js'

function projection(leadId: string, overrides: Partial<LeadProjection> = {}): LeadProjection {
  return {
    leadId,
    stage: 'inquiry',
    ownerId: null,
    tier: null,
    score: null,
    source: 'test',
    country: null,
    email: null,
    queues: [],
    policyVersion: '1.0.0',
    state: { leadId, stage: overrides.stage ?? 'inquiry' },
    eventCount: 1,
    lastEventSeq: 1,
    updatedAt: T0,
    ...overrides,
  }
}

for (const dialect of DIALECTS) {
  describe(`lead projection on ${dialect}`, () => {
    let database: Database
    const upsert = (lead: LeadProjection) =>
      withTransaction(database, (tx) => upsertLeadProjection(tx, { ...lead, fold: null }))

    beforeAll(async () => {
      database = await freshDatabase(dialect)
    }, OPEN_TIMEOUT_MS)
    afterAll(() => database.close())

    it('writes more clock rows at once than one statement can bind (PGlite stops at 32,767 parameters)', async () => {
      // 600 leads of 8 clocks: 4,800 rows of 8 parameters, 38,400 in all.
      const leads = Array.from({ length: 600 }, (_, index) => projection(`many-clocks-${index}`))
      const clocks = Array.from({ length: 8 }, (_, index) => ({
        itemId: `item-${index}`,
        startedAt: T0,
        stoppedAt: null,
        targetAt: T0 + 60_000,
        breachAt: T0 + 120_000,
        pausedAt: null,
        problem: null,
      }))
      await withTransaction(database, async (tx) => {
        for (const lead of leads) {
          await upsertLeadProjection(tx, { ...lead, fold: null })
        }
        await replaceLeadClocks(
          tx,
          leads.map((lead) => ({ record: { leadId: lead.leadId }, clocks })),
        )
      })
      const { rows } = await sql<{ count: string }>`
        select count(*)::text as count from lead_clocks where lead_id like 'many-clocks-%'`.execute(
        database.db,
      )
      expect(rows[0]?.count).toBe('4800')
    })

    it('stores a lead and reads it back exactly', async () => {
      const lead = projection(`lead-${randomUUID()}`, {
        stage: 'mql',
        ownerId: 'rep-1',
        tier: 'hot',
        score: -12,
        source: 'demo-request',
        country: 'US',
        email: 'dana@acmesoft.com',
        queues: ['manager-review', 'data-cleanup'],
        policyVersion: '2.1.0',
        state: { nested: { list: [1, 'two', null, { three: 3 }] }, at: T0, flag: false },
        eventCount: 42,
        lastEventSeq: 9_007_199_254_740_991,
        updatedAt: T0 + 7,
      })
      expect(await upsert(lead)).toBe('written')
      expect(await getLeadProjection(database.db, lead.leadId)).toEqual(lead)
      expect(await getLeadProjection(database.db, 'no-such-lead')).toBeUndefined()
    })

    it('replaces a lead with a newer derivation and ignores an older one', async () => {
      const id = `lead-${randomUUID()}`
      await upsert(projection(id, { lastEventSeq: 10, stage: 'inquiry' }))
      const newer = projection(id, { lastEventSeq: 12, stage: 'mql', ownerId: 'rep-2' })
      expect(await upsert(newer)).toBe('written')
      expect(await upsert(projection(id, { lastEventSeq: 11, stage: 'recycled' }))).toBe('stale')
      expect(await getLeadProjection(database.db, id)).toEqual(newer)
      // Same events, re-derived (a new policy version): written.
      const rederived = { ...newer, policyVersion: '1.1.0' }
      expect(await upsert(rederived)).toBe('written')
      expect(await getLeadProjection(database.db, id)).toEqual(rederived)
    })

    it('filters, pages by cursor and counts', async () => {
      const source = `paging-${randomUUID()}`
      const leads = [
        projection('p-a', { source, stage: 'mql', ownerId: 'rep-1', tier: 'hot', queues: ['q1'] }),
        projection('p-b', { source, stage: 'mql', ownerId: 'rep-2', tier: 'warm' }),
        projection('p-c', { source, stage: 'inquiry', queues: ['q1', 'q2'] }),
        projection('p-d', { source, stage: 'mql', ownerId: 'rep-1', tier: 'hot' }),
        projection('p-e', { source, stage: 'sal', ownerId: 'rep-1', queues: ['q2'] }),
        projection('p-f', { source, stage: 'mql', tier: 'hot' }),
        projection('p-g', { source, stage: 'inquiry' }),
      ].map((lead) => ({ ...lead, leadId: `${source}-${lead.leadId}` }))
      for (const lead of [...leads].reverse()) {
        await upsert(lead)
      }
      const ids = (page: { items: readonly LeadProjection[] }) =>
        page.items.map((lead) => lead.leadId.slice(source.length + 1))

      const first = await listLeadProjections(database.db, { source, limit: 3 })
      expect(ids(first)).toEqual(['p-a', 'p-b', 'p-c'])
      const second = await listLeadProjections(database.db, {
        source,
        limit: 3,
        after: first.nextCursor ?? undefined,
      })
      expect(ids(second)).toEqual(['p-d', 'p-e', 'p-f'])
      const third = await listLeadProjections(database.db, {
        source,
        limit: 3,
        after: second.nextCursor ?? undefined,
      })
      expect(ids(third)).toEqual(['p-g'])
      expect(third.nextCursor).toBeNull()
      // A page that ends exactly at the last lead says so.
      expect((await listLeadProjections(database.db, { source, limit: 7 })).nextCursor).toBeNull()
      expect(third.items[0]).toEqual(leads[6])

      const cases: [Parameters<typeof countLeads>[1], string[]][] = [
        [{ source }, ['p-a', 'p-b', 'p-c', 'p-d', 'p-e', 'p-f', 'p-g']],
        [{ source, stage: 'mql' }, ['p-a', 'p-b', 'p-d', 'p-f']],
        [{ source, ownerId: 'rep-1' }, ['p-a', 'p-d', 'p-e']],
        [{ source, ownerId: null }, ['p-c', 'p-f', 'p-g']],
        [{ source, tier: 'hot' }, ['p-a', 'p-d', 'p-f']],
        [{ source, tier: null, stage: 'inquiry' }, ['p-c', 'p-g']],
        [{ source, queue: 'q1' }, ['p-a', 'p-c']],
        [{ source, queue: 'q2', ownerId: 'rep-1' }, ['p-e']],
        [{ source, stage: 'mql', ownerId: 'rep-1', tier: 'hot' }, ['p-a', 'p-d']],
        [{ source, stage: 'closed' }, []],
      ]
      for (const [filter, expected] of cases) {
        expect(ids(await listLeadProjections(database.db, { ...filter, limit: 100 }))).toEqual(
          expected,
        )
        expect(await countLeads(database.db, filter)).toBe(expected.length)
      }
    })

    it('orders lead ids byte-wise, whatever the server locale', async () => {
      const source = `order-${randomUUID()}`
      for (const id of ['b', 'B', 'ä', 'a', 'A']) {
        await upsert(projection(`${source}/${id}`, { source }))
      }
      const page = await listLeadProjections(database.db, { source, limit: 10 })
      expect(page.items.map((lead) => lead.leadId.split('/')[1])).toEqual(['A', 'B', 'a', 'b', 'ä'])
    })

    it('finds the other leads with an email, with when each was created', async () => {
      const email = `${randomUUID()}@example.com`
      await upsert(
        projection(`${email}-2`, { email, state: { leadId: `${email}-2`, createdAt: T0 + 5 } }),
      )
      await upsert(
        projection(`${email}-1`, { email, state: { leadId: `${email}-1`, createdAt: T0 } }),
      )
      expect(await findLeadsByEmail(database.db, email, `${email}-1`)).toEqual([
        { leadId: `${email}-2`, createdAt: T0 + 5 },
      ])
      expect(await findLeadsByEmail(database.db, email, 'someone-else')).toEqual([
        { leadId: `${email}-1`, createdAt: T0 },
        { leadId: `${email}-2`, createdAt: T0 + 5 },
      ])
      expect(await findLeadsByEmail(database.db, `nobody-${email}`, 'x')).toEqual([])
    })

    it('rejects rows it cannot store exactly, bad page sizes, and writes outside a transaction', async () => {
      for (const bad of [
        projection('bad-1', { score: 1.5 }),
        projection('bad-2', { eventCount: -1 }),
        projection('bad-3', { lastEventSeq: Number.MAX_SAFE_INTEGER + 1 }),
        projection('bad-4', { state: [] as unknown as Record<string, unknown> }),
        projection('bad-5', { stage: '' }),
      ]) {
        await expect(upsert(bad)).rejects.toThrow(StoreError)
      }
      await expect(listLeadProjections(database.db, { limit: 0 })).rejects.toThrow(StoreError)
      await expect(listLeadProjections(database.db, { limit: 1001 })).rejects.toThrow(StoreError)
      await expect(
        upsertLeadProjection(database.db as unknown as StoreTransaction, {
          ...projection('bad-6'),
          fold: null,
        }),
      ).rejects.toThrow(/inside a transaction/)
    })
  })
}
