import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ingestEvents } from '../../src/app/ingest-events.js'
import type { LeadRepository } from '../../src/app/lead-repository.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import {
  HOUR,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
/** Each lead its own address, so intake finds no duplicates unless a test wants one. */
const profileFor = (leadId: string) => ({ ...IDEAL_PROFILE, email: `${leadId}@acmesoft.com` })

/** 200 transactions one after another on PGlite's one connection: slow on a loaded machine. */
const CONCURRENT_WRITES_TIMEOUT_MS = 120_000

for (const dialect of DIALECTS) {
  describe(`lead repository on ${dialect}`, () => {
    let database: Database
    let repository: LeadRepository
    beforeAll(async () => {
      database = await freshDatabase(dialect)
      repository = createLeadRepository(database)
    })
    afterAll(() => database.close())

    it('appends and reads back an event exactly, with millisecond timestamps', async () => {
      const event: NewLeadEvent = {
        ...leadEvent(
          'exact-1',
          'lead.created',
          { profile: profileFor('exact-1'), source: 'demo-request' },
          T0 + 123,
        ),
        receivedAt: T0 + 456,
        actor: { id: 'form-bot', role: 'system' },
      }
      const [outcome] = await ingestEvents({ repository, policy }, [{ ok: true, event }])
      expect(outcome?.status).toBe('appended')
      const [stored] = await repository.listLeadEvents('exact-1')
      expect(stored).toMatchObject({ ...event })
      expect(stored?.eventId).toMatch(/^evt_[0-9A-Z]{26}$/)
      expect((await repository.getLead('exact-1'))?.stage).toBe('inquiry')
    })

    it('acknowledges a retry under a key with the original event, refuses a different event under it, and stores nothing new', async () => {
      const first = leadEvent(
        'dup-1',
        'lead.created',
        { profile: profileFor('dup-1'), source: 'x' },
        T0,
        { key: 'dup-key' },
      )
      const retry = { ...first, occurredAt: T0 + MINUTE, payload: { ...first.payload } }
      const second = { ...first, payload: { profile: { firstName: 'Other' }, source: 'y' } }
      const outcomes = await ingestEvents({ repository, policy }, [
        { ok: true, event: first },
        { ok: true, event: retry },
        { ok: true, event: second },
      ])
      const [appended, duplicate, conflict] = outcomes
      expect(appended?.status).toBe('appended')
      expect(duplicate?.status === 'duplicate' && duplicate.event.payload).toEqual(first.payload)
      expect(conflict).toEqual({
        status: 'conflict',
        conflict: { idempotencyKey: 'dup-key', source: 'test' },
      })
      const events = await repository.listLeadEvents('dup-1')
      expect(events).toHaveLength(1)
      expect(events[0]?.payload).toEqual(first.payload)
    })

    it(
      'serialises 200 concurrent writes with 50 repeated keys into exactly 150 events',
      async () => {
        const events = Array.from({ length: 150 }, (_, i): NewLeadEvent =>
          leadEvent(
            `conc-${i % 10}`,
            i < 10 ? 'lead.created' : 'intent.recorded',
            i < 10 ? { profile: profileFor(`conc-${i}`), source: 'x' } : { action: 'blog-visit' },
            T0 + i * MINUTE,
            { key: `conc-key-${i}` },
          ),
        )
        const writes = [...events, ...events.slice(0, 50)].map((event) =>
          ingestEvents({ repository, policy }, [{ ok: true, event }]),
        )
        const outcomes = (await Promise.all(writes)).flat()
        expect(outcomes.filter((o) => o.status === 'appended')).toHaveLength(150)
        expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(50)
        let total = 0
        for (let lead = 0; lead < 10; lead += 1) {
          const stored = await repository.listLeadEvents(`conc-${lead}`)
          total += stored.length
          expect((await repository.getLead(`conc-${lead}`))?.eventCount).toBe(stored.length)
        }
        expect(total).toBe(150)
      },
      CONCURRENT_WRITES_TIMEOUT_MS,
    )

    it('orders a lead’s events by occurrence, ties by idempotency key', async () => {
      const created = leadEvent(
        'order-1',
        'lead.created',
        { profile: profileFor('order-1'), source: 'x' },
        T0,
      )
      const b = leadEvent('order-1', 'intent.recorded', { action: 'blog-visit' }, T0 + MINUTE, {
        key: 'k-b',
      })
      const a = leadEvent('order-1', 'intent.recorded', { action: 'social-follow' }, T0 + MINUTE, {
        key: 'k-a',
      })
      const early = leadEvent('order-1', 'intent.recorded', { action: 'newsletter-open' }, T0 + 1, {
        key: 'k-z',
      })
      await ingestEvents(
        { repository, policy },
        [b, created, a, early].map((event) => ({ ok: true as const, event })),
      )
      expect((await repository.listLeadEvents('order-1')).map((e) => e.idempotencyKey)).toEqual([
        created.idempotencyKey,
        'k-z',
        'k-a',
        'k-b',
      ])
    })

    it('lists, filters, counts and pages the lead projection', async () => {
      const ids = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']
      await ingestEvents(
        { repository, policy },
        ids.map((id) => ({
          ok: true as const,
          event: leadEvent(id, 'lead.created', { profile: profileFor(id), source: 'paging' }, T0),
        })),
      )
      expect(await repository.countLeads({ source: 'paging' })).toBe(5)
      const first = await repository.listLeads({ source: 'paging' }, { limit: 2 })
      expect(first.leads.map((l) => l.leadId)).toEqual(['page-a', 'page-b'])
      const second = await repository.listLeads(
        { source: 'paging' },
        { limit: 2, after: first.nextCursor ?? '' },
      )
      expect(second.leads.map((l) => l.leadId)).toEqual(['page-c', 'page-d'])
      const last = await repository.listLeads(
        { source: 'paging' },
        { limit: 2, after: second.nextCursor ?? '' },
      )
      expect(last).toEqual({
        leads: [expect.objectContaining({ leadId: 'page-e' })],
        nextCursor: null,
      })
      expect(await repository.countLeads({ source: 'paging', queue: 'manager-review' })).toBe(5)
      expect(await repository.countLeads({ source: 'paging', stage: 'mql' })).toBe(0)
    })

    it('records a duplicate email found at intake as a lead.matched event', async () => {
      await ingestEvents({ repository, policy }, [
        {
          ok: true,
          event: leadEvent(
            'orig-1',
            'lead.created',
            { profile: { ...IDEAL_PROFILE, email: 'same@acmesoft.com' }, source: 'x' },
            T0,
          ),
        },
        {
          ok: true,
          event: leadEvent(
            'copy-1',
            'lead.created',
            { profile: { ...IDEAL_PROFILE, email: 'Same@AcmeSoft.com' }, source: 'x' },
            T0 + MINUTE,
          ),
        },
      ])
      const copy = await repository.listLeadEvents('copy-1')
      expect(copy.map((e) => [e.type, e.payload])).toContainEqual([
        'lead.matched',
        { duplicateOfLeadId: 'orig-1', originalCreatedAt: T0 },
      ])
      expect((await repository.getLead('copy-1'))?.state.duplicateOfLeadId).toBe('orig-1')
    })

    it('puts a competitor domain on the global list (REJ-06): later leads there are suppressed, whatever the arrival order', async () => {
      const at = (leadId: string, time: number, email: string) =>
        leadEvent(
          leadId,
          'lead.created',
          { profile: { ...IDEAL_PROFILE, email }, source: 'x' },
          time,
        )
      const ok = (event: NewLeadEvent) => ({ ok: true as const, event })
      // Created after the rejection, but arriving before it.
      await ingestEvents({ repository, policy }, [
        ok(at('rival-early-arrival', T0 + 2 * HOUR, 'b@rival.example')),
      ])
      await ingestEvents({ repository, policy }, [
        ok(at('rival-1', T0, 'a@rival.example')),
        ok(leadEvent('rival-1', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE)),
        ok(
          leadEvent(
            'rival-1',
            'owner.assigned',
            { ownerId: 'sdr-ana', reason: 'rr' },
            T0 + 2 * MINUTE,
          ),
        ),
        ok(leadEvent('rival-1', 'sal.rejected', { reasonCode: 'REJ-06' }, T0 + HOUR)),
      ])
      await ingestEvents({ repository, policy }, [
        ok(at('rival-later', T0 + 3 * HOUR, 'c@rival.example')),
        ok(at('rival-before', T0 + 30 * MINUTE, 'd@rival.example')),
      ])
      const stageOf = async (leadId: string) => (await repository.getLead(leadId))?.state
      expect(await stageOf('rival-1')).toMatchObject({
        stage: 'disqualified',
        suppressesDomain: { domain: 'rival.example', since: T0 + HOUR },
      })
      expect(await stageOf('rival-early-arrival')).toMatchObject({
        stage: 'disqualified',
        suppressedByDomain: 'rival.example',
      })
      expect(await stageOf('rival-later')).toMatchObject({
        stage: 'disqualified',
        suppressedByDomain: 'rival.example',
      })
      // Created before the domain was listed: not touched.
      expect(await stageOf('rival-before')).toMatchObject({ suppressedByDomain: null })
    })

    it('marks the younger lead whichever of two with one address arrives first', async () => {
      const created = (leadId: string, at: number) => ({
        ok: true as const,
        event: leadEvent(
          leadId,
          'lead.created',
          { profile: { ...IDEAL_PROFILE, email: 'late@acmesoft.com' }, source: 'x' },
          at,
        ),
      })
      await ingestEvents({ repository, policy }, [created('young-1', T0 + MINUTE)])
      expect((await repository.getLead('young-1'))?.state.duplicateOfLeadId).toBeNull()
      await ingestEvents({ repository, policy }, [created('old-1', T0)])
      const young = await repository.getLead('young-1')
      expect(young?.state).toMatchObject({
        duplicateOfLeadId: 'old-1',
        duplicateOfCreatedAt: T0,
        stage: 'disqualified',
      })
      expect((await repository.getLead('old-1'))?.state.duplicateOfLeadId).toBeNull()
    })

    it('applies the intake rules within one batch as across batches: the younger of two addresses first, a competitor rejection before a later lead there', async () => {
      const ok = (event: NewLeadEvent) => ({ ok: true as const, event })
      const createdAt = (leadId: string, at: number, email: string) =>
        ok(
          leadEvent(
            leadId,
            'lead.created',
            { profile: { ...IDEAL_PROFILE, email }, source: 'x' },
            at,
          ),
        )
      const outcomes = await ingestEvents({ repository, policy }, [
        createdAt('batch-young', T0 + MINUTE, 'batch@acmesoft.com'),
        createdAt('batch-rival-later', T0 + 3 * HOUR, 'b@batch-rival.example'),
        createdAt('batch-old', T0, 'Batch@AcmeSoft.com'),
        createdAt('batch-rival', T0, 'a@batch-rival.example'),
        ok(leadEvent('batch-rival', 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE)),
        ok(
          leadEvent(
            'batch-rival',
            'owner.assigned',
            { ownerId: 'sdr-ana', reason: 'rr' },
            T0 + 2 * MINUTE,
          ),
        ),
        ok(leadEvent('batch-rival', 'sal.rejected', { reasonCode: 'REJ-06' }, T0 + HOUR)),
      ])
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(7).fill('appended'))
      const stateOf = async (leadId: string) => (await repository.getLead(leadId))?.state
      expect(await stateOf('batch-young')).toMatchObject({
        duplicateOfLeadId: 'batch-old',
        duplicateOfCreatedAt: T0,
        stage: 'disqualified',
      })
      expect((await stateOf('batch-old'))?.duplicateOfLeadId).toBeNull()
      expect(await stateOf('batch-rival-later')).toMatchObject({
        stage: 'disqualified',
        suppressedByDomain: 'batch-rival.example',
      })
      expect(
        (await repository.listLeadEvents('batch-young')).map((event) => [
          event.type,
          event.payload,
        ]),
      ).toEqual([
        [
          'lead.created',
          { profile: { ...IDEAL_PROFILE, email: 'batch@acmesoft.com' }, source: 'x' },
        ],
        ['lead.matched', { duplicateOfLeadId: 'batch-old', originalCreatedAt: T0 }],
      ])
    })
  })
}
