/**
 * Live intake folds each new event onto the lead's stored snapshot and reads no whole history;
 * a late event (occurring before the snapshot's position) or a changed policy replays the lead.
 * Either way the stored lead equals a store that took every event at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation, rebuildLeads } from '../../src/app/ingest-events.js'
import type { LeadRepository, LeadTransaction } from '../../src/app/lead-repository.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { replayLead } from '../../src/domain/lifecycle/engine.js'
import {
  loadDefaultPolicy,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  withOwnAddress,
} from '../../src/domain/test-support.js'
import { generateSampleEvents } from '../../src/sample/generate-sample.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'

const policy = loadDefaultPolicy()
const END = Date.parse('2026-11-20T17:00:00Z')

/** The sample lead with the longest history. */
function longestHistory(): NewLeadEvent[] {
  const byLead = new Map<string, NewLeadEvent[]>()
  for (const event of generateSampleEvents({ seed: 3, leads: 40, days: 60, end: END, policy })) {
    byLead.set(event.leadId, [...(byLead.get(event.leadId) ?? []), event])
  }
  return [...byLead.values()].reduce((longest, history) =>
    history.length > longest.length ? history : longest,
  )
}

/** The repository, counting the whole histories its transactions read. */
function countingHistoryReads(repository: LeadRepository): {
  repository: LeadRepository
  historiesRead: () => number
} {
  let reads = 0
  const counting = (tx: LeadTransaction): LeadTransaction => ({
    ...tx,
    listEventsOfLeads: (leadIds) => {
      reads += leadIds.length
      return tx.listEventsOfLeads(leadIds)
    },
  })
  return {
    repository: {
      ...repository,
      withLeadsLocked: (leadIds, work) =>
        repository.withLeadsLocked(leadIds, (tx) => work(counting(tx))),
    },
    historiesRead: () => reads,
  }
}

const ok = (event: NewLeadEvent) => ({ ok: true as const, event })

for (const dialect of DIALECTS) {
  describe(`stored snapshots on ${dialect}`, () => {
    const history = longestHistory()
    const leadId = history[0]?.leadId ?? ''
    let live: Database
    let batch: Database

    beforeAll(async () => {
      ;[live, batch] = await Promise.all([freshDatabase(dialect), freshDatabase(dialect)])
    }, OPEN_TIMEOUT_MS)
    afterAll(async () => {
      await Promise.all([live.close(), batch.close()])
    })

    it('folds events one at a time without reading the history, replays a late one, and ends equal to one batch', async () => {
      expect(history.length).toBeGreaterThanOrEqual(8)
      const { repository, historiesRead } = countingHistoryReads(createLeadRepository(live))
      const late = history[2] as NewLeadEvent
      const inOrder = history.filter((event) => event !== late)
      for (const event of inOrder) {
        await ingestEvents({ repository, policy }, [ok(event)])
      }
      expect(historiesRead()).toBe(0)

      await ingestEvents({ repository, policy }, [ok(late)])
      expect(historiesRead()).toBe(1)

      const together = createLeadRepository(batch)
      await ingestEvents({ repository: together, policy }, history.map(ok))
      const folded = await repository.getLead(leadId)
      expect(folded?.state).toEqual((await together.getLead(leadId))?.state)
      expect(folded?.eventCount).toBe(history.length)
    })

    it('replays a lead whose snapshot was folded under another policy', async () => {
      const { repository, historiesRead } = countingHistoryReads(createLeadRepository(live))
      const edited = { ...policy, version: `${policy.version}-edited` }
      await repository.withLeadsLocked([leadId], (tx) => rebuildLeads(tx, [leadId], edited))
      expect(historiesRead()).toBe(1)
      expect((await repository.getLead(leadId))?.policyVersion).toBe(edited.version)
    })

    it('plans a scheduler round from the stored snapshots and folds the fired steps on', async () => {
      const { repository, historiesRead } = countingHistoryReads(createLeadRepository(live))
      await ingestEvents(
        { repository, policy },
        withOwnAddress(mqlEvents('due', T0, 'sdr-ana')).map(ok),
      )
      const round = await fireDueSteps(
        {
          repository,
          policy,
          roster: () => ({ people: [], namedAccounts: [] }),
          channels: [],
          leads: leadDerivation(policy),
        },
        T0 + 3 * 86_400_000,
      )
      expect(round.fired).toBeGreaterThan(0)
      expect(historiesRead()).toBe(0)
      const events = await repository.listLeadEvents('due')
      expect(events.filter((event) => event.type === 'escalation.fired')).toHaveLength(round.fired)
      expect((await repository.getLead('due'))?.state).toEqual(replayLead(events, policy).state)
    })
  })
}
