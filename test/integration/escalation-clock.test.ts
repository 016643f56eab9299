/**
 * Workers on several machines must agree on what is due: without a clock of its own, a round
 * takes the database server's clock, and everything it writes carries that instant.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
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
        leads: leadDerivation(policy),
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

    it("measures a live step's lag up to the round's commit, not its start", async () => {
      const repository = createLeadRepository(database)
      await ingestEvents(
        { repository, policy },
        withOwnAddress(mqlEvents('lead-slow', T0, 'sdr-ana')).map((event) => ({
          ok: true as const,
          event,
        })),
      )
      const leads = leadDerivation(policy)
      const SLOW_MS = 300
      const scheduler: SchedulerDependencies = {
        repository,
        policy,
        roster: () => ({ people: [], namedAccounts: [] }),
        channels: [],
        // The round is held up after it fired, while it re-derives the leads.
        leads: {
          ...leads,
          appended: async (tx, current, events) => {
            await new Promise((resolve) => setTimeout(resolve, SLOW_MS))
            return leads.appended(tx, current, events)
          },
        },
      }
      const round = await fireDueSteps(scheduler, 'database')
      expect(round.fired).toBeGreaterThan(0)
      const { rows } = await sql<{ lag: string; due: string }>`
        select fired_lag_ms::text as lag, due_at::text as due from sla_timers
        where lead_id = 'lead-slow' and state = 'fired'`.execute(database.db)
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        // At least the round's start minus the due instant, plus the time the round was held up.
        expect(Number(row.lag)).toBeGreaterThanOrEqual(round.at - Number(row.due) + SLOW_MS)
      }
    })
  })
}
