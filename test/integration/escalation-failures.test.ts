/**
 * A lead that cannot be processed (a bug, bad data) must not stop everyone's escalations: its
 * own writes roll back to a savepoint, its timers wait a minute with the error kept, and the
 * other leads of the batch fire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import {
  mqlEvents,
  withOwnAddress,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const HANDOFF = T0 + 2 * MINUTE

const tier1Lead = (leadId: string) => withOwnAddress(mqlEvents(leadId, T0, 'sdr-ana'))

for (const dialect of DIALECTS) {
  describe(`a lead that fails to fire on ${dialect}`, () => {
    let database: Database
    beforeAll(async () => {
      database = await freshDatabase(dialect)
    })
    afterAll(async () => {
      await database?.close()
    })

    it('defers its own steps with the error and lets the rest of the batch fire', async () => {
      const repository = createLeadRepository(database)
      await ingestEvents(
        { repository, policy },
        [...tier1Lead('healthy'), ...tier1Lead('poison')].map((event) => ({
          ok: true as const,
          event,
        })),
      )
      let broken = true
      const leads = leadDerivation(policy)
      const scheduler: SchedulerDependencies = {
        repository,
        policy,
        roster: () => ({ people: [], namedAccounts: [] }),
        channels: ['webhook'],
        leads: {
          ...leads,
          appended: async (tx, current, events) => {
            if (broken && events.some((event) => event.leadId === 'poison')) {
              throw new Error('projection write failed')
            }
            return leads.appended(tx, current, events)
          },
        },
      }
      const first = await fireDueSteps(scheduler, HANDOFF)
      expect(first).toMatchObject({
        claimed: 2,
        fired: 1,
        notificationsQueued: 1,
        failed: [{ leadId: 'poison', error: 'projection write failed' }],
      })
      // Nothing of the failed attempt survived: no event, no outbox row.
      const poisonEvents = await repository.listLeadEvents('poison')
      expect(poisonEvents.filter((event) => event.type === 'escalation.fired')).toEqual([])
      const outbox = await repository.outbox.listDeliveries({ limit: 10 })
      expect(outbox.map((row) => row.leadId)).toEqual(['healthy'])
      // Not due again for a minute; then, repaired, it fires.
      expect(await fireDueSteps(scheduler, HANDOFF + 30_000)).toMatchObject({ claimed: 0 })
      broken = false
      expect(await fireDueSteps(scheduler, HANDOFF + 60_000)).toMatchObject({
        claimed: 1,
        fired: 1,
        failed: [],
      })
      const fired = (await repository.listLeadEvents('poison')).filter(
        (event) => event.type === 'escalation.fired',
      )
      expect(fired.map((event) => (event.payload as { dueAt: number }).dueAt)).toEqual([HANDOFF])
    })
  })
}
