import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Database } from '../../src/store/create-database.js'
import { syncTimers } from '../../src/store/escalation-store.js'
import { withTransaction } from '../../src/store/transaction.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'

for (const dialect of DIALECTS) {
  describe(`escalation timers on ${dialect}`, () => {
    let database: Database
    beforeAll(async () => {
      database = await freshDatabase(dialect)
    }, OPEN_TIMEOUT_MS)
    afterAll(() => database.close())

    const timersOf = async (leadIds: string[]) =>
      (
        await database.db
          .selectFrom('sla_timers')
          .select(['step_key', 'lead_id', 'due_at', 'state', 'settled_at'])
          .where('lead_id', 'in', leadIds)
          .orderBy('step_key')
          .execute()
      ).map((row) => ({
        ...row,
        due_at: Number(row.due_at),
        settled_at: row.settled_at === null ? null : Number(row.settled_at),
      }))

    it('syncs the timers of several leads in one call: adds, moves and cancels each as of its own instant', async () => {
      const timer = (leadId: string, stepKey: string, dueAt: number) => ({ stepKey, leadId, dueAt })
      await withTransaction(database, (tx) =>
        syncTimers(tx, [
          {
            leadId: 'sync-a',
            planned: [timer('sync-a', 'a1', 10), timer('sync-a', 'a2', 20)],
            at: 1,
          },
          { leadId: 'sync-b', planned: [timer('sync-b', 'b1', 30)], at: 2 },
        ]),
      )
      await withTransaction(database, (tx) =>
        syncTimers(tx, [
          { leadId: 'sync-a', planned: [timer('sync-a', 'a1', 15)], at: 100 },
          {
            leadId: 'sync-b',
            planned: [timer('sync-b', 'b1', 30), timer('sync-b', 'b2', 40)],
            at: 200,
          },
        ]),
      )
      expect(await timersOf(['sync-a', 'sync-b'])).toEqual([
        { step_key: 'a1', lead_id: 'sync-a', due_at: 15, state: 'pending', settled_at: null },
        { step_key: 'a2', lead_id: 'sync-a', due_at: 20, state: 'cancelled', settled_at: 100 },
        { step_key: 'b1', lead_id: 'sync-b', due_at: 30, state: 'pending', settled_at: null },
        { step_key: 'b2', lead_id: 'sync-b', due_at: 40, state: 'pending', settled_at: null },
      ])
    })
  })
}
