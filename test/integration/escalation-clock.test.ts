/**
 * Workers on several machines must agree on what is due: without a clock of its own, a round
 * takes the database server's clock, and everything it writes carries that instant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, rebuildFromHistories } from '../../src/app/ingest-events.js'
import {
  mqlEvents,
  withOwnAddress,
  loadDefaultPolicy,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()

for (const dialect of DIALECTS) {
  describe(`a scheduler round on the database's clock on ${dialect}`, () => {
    let database: Database
    beforeAll(async () => {
      database = await freshDatabase(dialect)
    })
    afterAll(async () => {
      await database?.close()
    })

    it('fires the steps due by the server clock and records them at its instant', async () => {
      const repository = createLeadRepository(database)
      await ingestEvents(
        { repository, policy },
        withOwnAddress(mqlEvents('lead-1', T0, 'sdr-ana')).map((event) => ({
          ok: true as const,
          event,
        })),
      )
      const scheduler: SchedulerDependencies = {
        repository,
        policy,
        roster: () => ({ people: [], namedAccounts: [] }),
        channels: ['webhook'],
        rebuildFromHistories: (tx, histories) => rebuildFromHistories(tx, histories, policy),
      }
      const before = Date.now()
      const round = await fireDueSteps(scheduler, 'database')
      const after = Date.now()
      expect(round.at).toBeGreaterThanOrEqual(before)
      expect(round.at).toBeLessThanOrEqual(after)
      // Every step of the lead's first hours is long due by today's clock.
      expect(round).toMatchObject({ fired: round.claimed, failed: [] })
      expect(round.fired).toBeGreaterThan(0)
      const outbox = await repository.outbox.listDeliveries({ limit: 100 })
      expect(outbox.map((row) => row.createdAt)).toEqual(outbox.map(() => round.at))
      const fired = (await repository.listLeadEvents('lead-1')).filter(
        (event) => event.type === 'escalation.fired',
      )
      expect(fired.map((event) => event.occurredAt)).toEqual(fired.map(() => round.at))
    })
  })
}
