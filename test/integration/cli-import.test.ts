/**
 * `leadclock import`, `leadclock lead` and `leadclock erase` as a user runs them (a child process,
 * so the exit code is the process's own): history keeps its own time, every invalid line is
 * reported with its number and fails the import, an unknown lead fails `lead`, `erase` works on
 * the store when no server holds it.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { readLead } from '../../src/app/read-lead.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  DAY,
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { CliStore } from './cli-process.js'
import { cliStore, leadclock } from './cli-process.js'
import { DIALECTS } from './dialects.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
const iso = (instant: number) => new Date(instant).toISOString()

/** A Tier 1 MQL's history from March 2026, as an export gives it: no system timestamps. */
const history = (leadId: string) => [
  {
    idempotencyKey: `${leadId}-1`,
    leadId,
    type: 'lead.created',
    occurredAt: iso(T0),
    payload: { source: 'demo-request', profile: IDEAL_PROFILE },
  },
  {
    idempotencyKey: `${leadId}-2`,
    leadId,
    type: 'intent.recorded',
    occurredAt: iso(T0 + MINUTE),
    payload: { action: 'demo-request' },
  },
  {
    idempotencyKey: `${leadId}-3`,
    leadId,
    type: 'owner.assigned',
    occurredAt: '2026-03-03T09:02:00-05:00',
    actor: { id: 'revops-mei-tanaka' },
    payload: { ownerId: 'sdr-ana-lopez', reason: 'round robin' },
  },
]

const invalidLines = [
  {
    idempotencyKey: 'bad-owner',
    leadId: 'lead-hist-1',
    type: 'owner.assigned',
    occurredAt: iso(T0 + 3 * MINUTE),
    payload: { ownerId: 'sdr-nobody', reason: 'round robin' },
  },
  {
    idempotencyKey: 'from-the-future',
    leadId: 'lead-hist-1',
    type: 'intent.recorded',
    occurredAt: '2099-01-01T00:00:00Z',
    payload: { action: 'pricing-page' },
  },
  {
    idempotencyKey: 'epoch-seconds',
    leadId: 'lead-hist-1',
    type: 'intent.recorded',
    occurredAt: 1_772_546_400,
    payload: { action: 'pricing-page' },
  },
  {
    idempotencyKey: 'no-offset',
    leadId: 'lead-hist-1',
    type: 'intent.recorded',
    occurredAt: '2026-03-03T09:05:00',
    payload: { action: 'pricing-page' },
  },
]

const jsonl = (lines: readonly object[]) =>
  lines.map((line) => `${JSON.stringify(line)}\n`).join('')

/**
 * The dialects' stores are independent, so their child processes run side by side; the tests of
 * one dialect build on one store, in order (`it.sequential`).
 */
const BESIDE_THE_OTHER_DIALECT = { timeout: 240_000, concurrent: true }

for (const dialect of DIALECTS) {
  describe(`leadclock import and lead on ${dialect}`, BESIDE_THE_OTHER_DIALECT, () => {
    let store: CliStore
    let dir: string
    let env: NodeJS.ProcessEnv
    let storeArgs: string[]
    const openStore = (): Promise<Database> => store.openStore()

    beforeAll(async () => {
      store = await cliStore(dialect, 'cli-import')
      ;({ dir, env, storeArgs } = store)
    })
    afterAll(() => store.remove())

    it.sequential(
      'records valid lines at their own time, reports each invalid line and exits 1',
      async () => {
        const file = join(dir, 'history.jsonl')
        await writeFile(file, jsonl([...history('lead-hist-1'), ...invalidLines]))
        const startedAt = Date.now()
        const run = await leadclock(['import', file, ...storeArgs], env)
        expect(run.code).toBe(1)
        expect(run.stdout).toEqual([
          `${file}: 7 lines — 3 events recorded, 0 duplicates ignored, 4 invalid`,
        ])
        expect(run.stderr.slice(0, 2)).toEqual([
          '  line 4: payload.ownerId: "sdr-nobody" is not in the roster',
          expect.stringMatching(
            /^ {2}line 5: occurredAt: occurredAt 2099-01-01T00:00:00\.000Z is after the time of the import \((\S+)\); history cannot come from the future$/,
          ),
        ])
        const importClock = Date.parse(/\((\S+)\)/.exec(run.stderr[1] ?? '')?.[1] ?? '')
        expect(importClock).toBeGreaterThanOrEqual(startedAt)
        expect(run.stderr.slice(2)).toEqual([
          '  line 6: occurredAt: 1772546400 looks like seconds since 1970; send milliseconds or ISO 8601 with an offset',
          '  line 7: occurredAt: "2026-03-03T09:05:00" has no offset, so its zone is unknown; send ISO 8601 with an offset (2026-03-03T14:00:00Z, 2026-03-03T09:00:00-05:00) or milliseconds since 1970 (1772546400000)',
        ])

        const database = await openStore()
        try {
          const view = await readLead(
            { repository: createLeadRepository(database), policy, calendars },
            'lead-hist-1',
            T0 + DAY,
          )
          expect(view?.timeline.map((event) => [event.occurredAt, event.receivedAt])).toEqual([
            [T0, T0],
            [T0 + MINUTE, T0 + MINUTE],
            [T0 + 2 * MINUTE, T0 + 2 * MINUTE],
          ])
          expect(view?.clocks.find((clock) => clock.itemId === 'lead-scoring-latency')).toEqual({
            itemId: 'lead-scoring-latency',
            name: 'Lead Scoring Latency',
            calendarId: 'us-east',
            startedAt: T0 + MINUTE,
            stoppedAt: T0 + MINUTE,
            elapsedMs: 0,
            targetAt: T0 + MINUTE + 4 * 60 * MINUTE,
            breachAt: T0 + MINUTE + 8 * 60 * MINUTE,
            status: 'met',
            pausedSince: null,
            problem: null,
            measure: 'business',
            leftToTargetMs: null,
            leftToBreachMs: null,
          })
        } finally {
          await database.close()
        }
      },
    )

    it.sequential(
      'reports every bad line with its number: a NUL, a byte order mark past the start, text jsonb cannot store',
      async () => {
        const [created, intent, assigned] = history('lead-bom-1').map((line) =>
          JSON.stringify(line),
        )
        const joinedFiles = Array.from({ length: 60 }, () => '\uFEFF{}')
        const file = join(dir, 'excel-export.jsonl')
        await writeFile(
          file,
          [
            `\uFEFF${created}`, // a spreadsheet's byte order mark, dropped
            intent,
            '{"leadId":"a\u0000"}',
            '{"idempotencyKey":"k","leadId":"lead-bom-1","type":"intent.recorded","payload":{"action":"demo\\u0000"}}',
            '{"leadId":"lead-\\ud800"}',
            ...joinedFiles,
            assigned,
          ].join('\n'),
        )
        const run = await leadclock(['import', file, ...storeArgs], env)
        expect(run.stdout).toEqual([
          `${file}: 66 lines — 3 events recorded, 0 duplicates ignored, 63 invalid`,
        ])
        expect(run.stderr).toEqual([
          '  line 3: (line): a NUL character (U+0000) at column 13; a text file of JSON lines cannot contain one',
          '  line 4: payload.action: the value contains a NUL character (U+0000), which cannot be stored',
          '  line 5: leadId: the value contains a lone UTF-16 surrogate (half of a character), which is not text',
          ...joinedFiles.map(
            (_, index) =>
              `  line ${index + 6}: (line): a byte order mark (U+FEFF) at column 1; only the start of the file may have one (files joined together?)`,
          ),
        ])
        expect(run.code).toBe(1)
      },
    )

    it.sequential(
      'reports a line reusing its source’s key for a different event with its number, and exits 1',
      async () => {
        const [created, intent] = history('lead-key-1') as [object, object]
        const otherLead = {
          ...created,
          leadId: 'lead-key-2',
          payload: {
            source: 'demo-request',
            profile: { ...IDEAL_PROFILE, email: 'other@globex.com' },
          },
        }
        const file = join(dir, 'reused-keys.jsonl')
        await writeFile(
          file,
          jsonl([
            created,
            intent,
            created, // a retry: the same event again
            { ...otherLead, idempotencyKey: 'lead-key-1-2' }, // the key of line 2
            { ...otherLead, idempotencyKey: 'lead-key-1-2', source: 'crm-b' },
          ]),
        )
        const run = await leadclock(['import', file, ...storeArgs], env)
        expect(run.stdout).toEqual([
          `${file}: 5 lines — 3 events recorded, 1 duplicates ignored, 1 invalid`,
        ])
        expect(run.stderr).toEqual([
          '  line 4: idempotencyKey: idempotency key "lead-key-1-2" of source "import" was already used for a different event (another lead, type or payload); a new event needs a new key',
        ])
        expect(run.code).toBe(1)
      },
    )

    it.sequential(
      'imports the whole standard sample (20k events; batches PGlite can read back)',
      async () => {
        const file = join(dir, 'sample.jsonl')
        const written = await leadclock(['sample', '--out', file], env)
        expect(written.code).toBe(0)
        const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).length
        const run = await leadclock(['import', file, ...storeArgs], env)
        expect(run.stdout).toEqual([
          `${file}: ${lines} lines — ${lines} events recorded, 0 duplicates ignored, 0 invalid`,
        ])
        expect(run.code).toBe(0)
      },
    )

    it.sequential(
      '--received-at=import-time stamps lines without receivedAt with the import clock',
      async () => {
        const file = join(dir, 'as-if-today.jsonl')
        await writeFile(file, jsonl(history('lead-hist-2')))
        const startedAt = Date.now()
        const run = await leadclock(
          ['import', file, '--received-at=import-time', ...storeArgs],
          env,
        )
        expect(run).toEqual({
          code: 0,
          stdout: [`${file}: 3 lines — 3 events recorded, 0 duplicates ignored, 0 invalid`],
          stderr: [],
        })
        const database = await openStore()
        try {
          const view = await readLead(
            { repository: createLeadRepository(database), policy, calendars },
            'lead-hist-2',
            Date.now(),
          )
          const receivedAt = view?.timeline.map((event) => event.receivedAt) ?? []
          expect(Math.min(...receivedAt)).toBeGreaterThanOrEqual(startedAt)
          expect(
            view?.clocks.find((clock) => clock.itemId === 'lead-scoring-latency')?.status,
          ).toBe('missed')
        } finally {
          await database.close()
        }
      },
    )

    it.sequential('lead: an unknown lead is an error with exit code 1', async () => {
      const run = await leadclock(['lead', 'NOSUCH', ...storeArgs], env)
      expect(run).toEqual({ code: 1, stdout: [], stderr: ['no lead NOSUCH'] })
    })

    it.sequential(
      'erase: erases a lead’s personal data in the store, and lead shows the tombstones',
      async () => {
        const run = await leadclock(['erase', '--lead', 'lead-hist-1', ...storeArgs], env)
        expect(run).toEqual({
          code: 0,
          stdout: [
            'Erased the personal data of lead-hist-1: 1 event and 0 audit entries rewritten.',
            'Fields: profile.company, profile.email, profile.firstName, profile.lastName, profile.phone.',
          ],
          stderr: [],
        })
        const shown = await leadclock(['lead', 'lead-hist-1', ...storeArgs], env)
        expect(shown.stdout[0]).toBe('lead-hist-1 — [erased] [erased] at [erased]')
      },
    )
  })
}
