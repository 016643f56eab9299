import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import { appendEvent, listLeadEvents } from '../../src/store/event-log.js'
import { countLeads } from '../../src/store/lead-projection.js'
import { StoreError } from '../../src/store/store-error.js'
import { withTransaction } from '../../src/store/transaction.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'
import { eventFactory } from './event-factory.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

for (const dialect of DIALECTS) {
  describe(`transactions on ${dialect}`, () => {
    let database: Database
    beforeAll(async () => {
      database = await freshDatabase(dialect)
    }, OPEN_TIMEOUT_MS)
    afterAll(() => database.close())

    it('runs concurrent transactions to completion; on PGlite one at a time, never interleaved', async () => {
      const f = eventFactory()
      let active = 0
      let mostActive = 0
      const order: string[] = []
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          withTransaction(database, async (tx) => {
            active += 1
            mostActive = Math.max(mostActive, active)
            order.push(`begin ${i}`)
            await appendEvent(tx, f.event({ leadId: f.lead(`t${i}`) }))
            await sleep(3)
            await sql`select 1`.execute(tx)
            order.push(`end ${i}`)
            active -= 1
          }),
        ),
      )
      expect(order).toHaveLength(24)
      if (database.dialect === 'pglite') {
        expect(mostActive).toBe(1)
        expect(order).toEqual(
          Array.from({ length: 12 }, (_, i) => [`begin ${i}`, `end ${i}`]).flat(),
        )
      }
    })

    it('serves other work between the queries of a transaction (PGlite runs on this thread)', async () => {
      const order: string[] = []
      setImmediate(() => order.push('other work'))
      await withTransaction(database, async (tx) => {
        for (let query = 0; query < 3; query++) {
          await sql`select 1`.execute(tx)
          order.push(`query ${query}`)
        }
      })
      expect(order).toEqual(['other work', 'query 0', 'query 1', 'query 2'])
    })

    it('rolls back everything when the callback throws', async () => {
      const f = eventFactory()
      const lead = f.lead('rollback')
      await expect(
        withTransaction(database, async (tx) => {
          await appendEvent(tx, f.event({ leadId: lead }))
          throw new Error('changed my mind')
        }),
      ).rejects.toThrow('changed my mind')
      expect(await listLeadEvents(database.db, lead)).toEqual([])
      // The connection is usable afterwards.
      await withTransaction(database, (tx) => appendEvent(tx, f.event({ leadId: lead })))
      expect(await listLeadEvents(database.db, lead)).toHaveLength(1)
    })

    it('refuses the root database and nested transactions inside a transaction, instead of hanging', async () => {
      const f = eventFactory()
      const lead = f.lead('guard')
      await withTransaction(database, async (tx) => {
        await expect(countLeads(database.db, {})).rejects.toThrow(StoreError)
        await expect(withTransaction(database, () => Promise.resolve(1))).rejects.toThrow(
          /pass the callback’s `tx`/,
        )
        // The transaction itself carries on.
        await appendEvent(tx, f.event({ leadId: lead }))
      })
      expect(await listLeadEvents(database.db, lead)).toHaveLength(1)
      expect(await withTransaction(database, () => Promise.resolve('free again'))).toBe(
        'free again',
      )
    })
  })
}
