/**
 * `GET /reports/metrics` and `leadclock report metrics` on both stores: a small history, recorded
 * at its own time, gives exact figures — the same through the API and the CLI.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ingestEvents } from '../../src/app/ingest-events.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import { HOUR, leadEvent, loadDefaultPolicy, MINUTE } from '../../src/domain/test-support.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'
import { createServer } from '../../src/http/create-server.js'
import {
  acceptedThenSql,
  call,
  HANDOFF_AFTER,
  mqlOfTier,
} from '../../src/reports/metrics/test-support.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import type { CliStore } from './cli-process.js'
import { cliStore, leadclock } from './cli-process.js'
import { DIALECTS, freshDatabase, OPEN_TIMEOUT_MS } from './dialects.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
const calendars = createCalendarSet(policy)
const SDR = 'sdr-ana-lopez'
/** Tuesday 2026-02-03 09:00 in New York. */
const FEB_3 = Date.parse('2026-02-03T14:00:00Z')
const FROM = '2026-02-01T00:00:00.000Z'
const TO = '2026-03-01T00:00:00.000Z'
/** The API's clock, after the period. */
const NOW = Date.parse('2026-03-10T12:00:00Z')

function history(run: string): NewLeadEvent[] {
  const lead = (name: string) => `${run}-${name}`
  const clockStart = FEB_3 + HANDOFF_AFTER
  return [
    // Tier 1 touched in 3 minutes, accepted, promoted to SQL.
    ...mqlOfTier(lead('a'), 'tier-1', FEB_3, SDR),
    call(lead('a'), clockStart + 3 * MINUTE),
    ...acceptedThenSql(lead('a'), clockStart + HOUR, 'ae-omar-haddad'),
    // Tier 1 touched after 20 minutes; tier 1 never touched.
    ...mqlOfTier(lead('b'), 'tier-1', FEB_3, SDR),
    call(lead('b'), clockStart + 20 * MINUTE),
    ...mqlOfTier(lead('c'), 'tier-1', FEB_3, SDR),
    // Tier 2 touched in an hour, then rejected with a code.
    ...mqlOfTier(lead('d'), 'tier-2', FEB_3, SDR),
    call(lead('d'), clockStart + HOUR),
    leadEvent(lead('d'), 'sal.rejected', { reasonCode: 'REJ-03' }, clockStart + 2 * HOUR),
  ]
}

/** The figures the history gives, whichever way it is asked for. */
function expectFigures(report: Record<string, unknown>, run: string): void {
  expect(report).toMatchObject({
    window: { from: FROM, to: TO },
    asOf: TO,
    responseCompliance: {
      tiers: [
        { tier: 'tier-1', numerator: 1, denominator: 3, value: 33.3, status: 'red' },
        { tier: 'tier-2', numerator: 1, denominator: 1, value: 100, status: 'green' },
        { tier: 'tier-3', numerator: 0, denominator: 0, value: null, status: null },
      ],
      weighted: {
        numerator: 2,
        denominator: 4,
        value: 50,
        status: 'red',
        counted: { numerator: [`${run}-a`, `${run}-d`] },
      },
    },
    firstResponse: {
      tiers: [
        { tier: 'tier-1', responded: 2, averageMs: 11.5 * MINUTE, medianMs: 11.5 * MINUTE },
        { tier: 'tier-2', responded: 1, averageMs: HOUR, medianMs: HOUR },
        { tier: 'tier-3', responded: 0, averageMs: null, medianMs: null },
      ],
      overall: { responded: 3, notResponded: [`${run}-c`] },
    },
    cohort: {
      mql: 4,
      sal: 1,
      sql: 1,
      opportunity: 0,
      mqlOutcomes: { accepted: 1, rejected: 1, closed: 0, open: 2 },
    },
    salAcceptance: { numerator: 1, denominator: 4, value: 25, status: 'red' },
    salToSql: { numerator: 1, denominator: 1, value: 100, status: 'green' },
    mqlToSql: { numerator: 1, denominator: 4, value: 25, status: 'green' },
    leadLeakage: { numerator: 1, denominator: 4, value: 25, status: null },
    rejectionFeedback: { numerator: 1, denominator: 1, value: 100, status: 'green' },
    leadVelocity: { current: 4, previous: 0, value: null },
    // 10 + 6 + 0 + 6 points of 40.
    repResponseScores: [{ repId: SDR, leads: 4, points: 22, maxPoints: 40, value: 55 }],
  })
  // The north star first.
  expect(Object.keys(report).slice(0, 3)).toEqual(['window', 'asOf', 'mqlToOpportunity'])
}

/** The history cut by tier: a, b, c of tier 1 (a touched in time), d of tier 2. */
function expectTierCut(report: Record<string, unknown>, run: string): void {
  expect(report).toMatchObject({
    mqlToOpportunity: { numerator: 0, denominator: 4 },
    cut: {
      dimension: 'tier',
      values: [
        {
          value: 'tier-1',
          leads: 3,
          metrics: {
            window: { from: FROM, to: TO },
            cohort: { mql: 3, sal: 1, sql: 1 },
            responseCompliance: { weighted: { numerator: 1, denominator: 3, value: 33.3 } },
            leadLeakage: { numerator: 1, denominator: 3, counted: { numerator: [`${run}-c`] } },
          },
        },
        {
          value: 'tier-2',
          leads: 1,
          metrics: {
            cohort: { mql: 1, sal: 0 },
            responseCompliance: { weighted: { numerator: 1, denominator: 1, value: 100 } },
          },
        },
      ],
    },
  })
}

/** Four weeks from Monday 2026-02-02: every MQL in the first, no surge (no baseline before). */
function expectTrend(trend: Record<string, unknown>): void {
  const week = (from: string, to: string, newMqls: number) => ({
    window: { from, to },
    newMqls,
    recycledMqls: 0,
    surge: false,
    surgeDays: [],
  })
  expect(trend).toMatchObject({
    window: { from: '2026-02-02T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
    asOf: '2026-03-02T00:00:00.000Z',
    weeks: [
      week('2026-02-02T00:00:00.000Z', '2026-02-09T00:00:00.000Z', 4),
      week('2026-02-09T00:00:00.000Z', '2026-02-16T00:00:00.000Z', 0),
      week('2026-02-16T00:00:00.000Z', '2026-02-23T00:00:00.000Z', 0),
      week('2026-02-23T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 0),
    ],
    surgeDays: [],
  })
  const [first] = (trend as { weeks: { measures: unknown[]; firstResponse: unknown }[] }).weeks
  expect(first?.measures.slice(0, 3)).toEqual([
    {
      id: 'mql-to-opportunity-rate',
      name: 'MQL to Opportunity',
      numerator: 0,
      denominator: 4,
      value: 0,
      status: null,
    },
    {
      id: 'all-sla-items',
      name: 'SLA compliance — every SLA item',
      numerator: expect.any(Number) as number,
      denominator: expect.any(Number) as number,
      value: expect.any(Number) as number,
      status: expect.any(String) as string,
    },
    {
      id: 'sdr-response-weighted',
      name: 'SDR response compliance — every tier, weighted by its leads',
      numerator: 2,
      denominator: 4,
      value: 50,
      status: 'red',
    },
  ])
  expect(first?.firstResponse).toEqual({
    responded: 3,
    averageMs: (3 * MINUTE + 20 * MINUTE + HOUR) / 3,
    medianMs: 20 * MINUTE,
  })
}

for (const dialect of DIALECTS) {
  describe(`GET /reports/metrics on ${dialect}`, () => {
    let database: Database
    let close: () => Promise<void>
    let admin: ApiCaller
    beforeAll(async () => {
      database = await freshDatabase(dialect)
      const repository = createLeadRepository(database)
      await ingestEvents(
        { repository, policy, roster: () => roster },
        history('api').map((event) => ({ ok: true as const, event })),
      )
      const app = await createServer({
        repository,
        policy,
        calendars,
        roster: () => roster,
        now: () => NOW,
      })
      admin = await apiCaller({ app, repository, policy, roster }, 'admin')
      close = async () => {
        await app.close()
        await database.close()
      }
    }, OPEN_TIMEOUT_MS)
    afterAll(() => close())

    it('answers the period’s figures, instants in ISO 8601', async () => {
      const response = await admin.inject({
        method: 'GET',
        url: `/reports/metrics?from=2026-02-01&to=${TO}`,
      })
      expect(response.statusCode).toBe(200)
      expectFigures(response.json(), 'api')
    })

    it('cuts every measure by tier, and by team from the roster (the owner’s manager)', async () => {
      const byTier = await admin.inject({
        method: 'GET',
        url: `/reports/metrics?from=2026-02-01&to=${TO}&cut=tier`,
      })
      expect(byTier.statusCode).toBe(200)
      expectTierCut(byTier.json(), 'api')
      const byTeam = await admin.inject({
        method: 'GET',
        url: `/reports/metrics?from=2026-02-01&to=${TO}&cut=team`,
      })
      const { cut } = byTeam.json<{ cut: { values: { value: string; leads: number }[] } }>()
      expect(cut.values.map(({ value, leads }) => [value, leads])).toEqual([['mgr-carla-reyes', 4]])
    })

    it('answers weekly trends over the weeks asked for', async () => {
      const response = await admin.inject({
        method: 'GET',
        url: '/reports/metrics/trends?weeks=4&to=2026-03-02',
      })
      expect(response.statusCode).toBe(200)
      expectTrend(response.json())
    })

    it('refuses an unknown cut and a trend of no weeks, naming the field', async () => {
      const cut = await admin.inject({ method: 'GET', url: '/reports/metrics?cut=colour' })
      expect(cut.statusCode).toBe(400)
      expect(cut.json()).toMatchObject({ problems: [{ field: 'querystring.cut' }] })
      const weeks = await admin.inject({ method: 'GET', url: '/reports/metrics/trends?weeks=0' })
      expect(weeks.statusCode).toBe(400)
      expect(weeks.json()).toMatchObject({ problems: [{ field: 'querystring.weeks' }] })
    })

    it('refuses a period that ends before it starts, naming the field and the rule', async () => {
      const response = await admin.inject({
        method: 'GET',
        url: `/reports/metrics?from=${TO}&to=${FROM}`,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({
        problems: [{ field: 'querystring.from', rule: 'before-to' }],
      })
    })
  })

  describe(`leadclock report metrics on ${dialect}`, { timeout: 240_000 }, () => {
    let store: CliStore
    beforeAll(async () => {
      store = await cliStore(dialect, 'cli-metrics')
      const file = join(store.dir, 'history.jsonl')
      await writeFile(
        file,
        history('cli')
          // No actor: a line leaves it out rather than null.
          .map(({ actor: _actor, ...line }) => `${JSON.stringify(line)}\n`)
          .join(''),
      )
      const imported = await leadclock(
        ['import', file, '--received-at=occurred-at', ...store.storeArgs],
        store.env,
      )
      expect(imported.stderr).toEqual([])
    }, 240_000)
    afterAll(() => store.remove())

    it('prints the same figures as JSON', async () => {
      const run = await leadclock(
        [
          'report',
          'metrics',
          '--from',
          '2026-02-01',
          '--to',
          TO,
          '--format',
          'json',
          ...store.storeArgs,
        ],
        store.env,
      )
      expect(run.stderr).toEqual([])
      expect(run.code).toBe(0)
      expectFigures(JSON.parse(run.stdout.join('\n')) as Record<string, unknown>, 'cli')
    })

    it('prints the cut by tier and the weekly trend as JSON, the trend as a table too', async () => {
      const cut = await leadclock(
        [
          'report',
          'metrics',
          '--from',
          '2026-02-01',
          '--to',
          TO,
          '--cut',
          'tier',
          '--format',
          'json',
          ...store.storeArgs,
        ],
        store.env,
      )
      expect(cut.stderr).toEqual([])
      expectTierCut(JSON.parse(cut.stdout.join('\n')) as Record<string, unknown>, 'cli')
      const trend = await leadclock(
        [
          'report',
          'metrics',
          '--trend',
          '--weeks',
          '4',
          '--to',
          '2026-03-02',
          '--format',
          'json',
          ...store.storeArgs,
        ],
        store.env,
      )
      expect(trend.stderr).toEqual([])
      expectTrend(JSON.parse(trend.stdout.join('\n')) as Record<string, unknown>)
      const refused = await leadclock(
        ['report', 'metrics', '--trend', '--from', '2026-02-01', ...store.storeArgs],
        store.env,
      )
      expect(refused.code).toBe(2)
      expect(refused.stderr.join('\n')).toContain('--trend covers the --weeks before --to')
    })

    it('prints them as tables, and refuses a date it cannot read', async () => {
      const run = await leadclock(
        ['report', 'metrics', '--from', '2026-02-01', '--to', TO, ...store.storeArgs],
        store.env,
      )
      expect(run.code).toBe(0)
      expect(run.stdout[0]).toBe(`Metrics from ${FROM} to ${TO} (as of ${TO})`)
      expect(run.stdout).toContainEqual(
        expect.stringMatching(/^MQL to Opportunity \(north star\) +0\.0 % +0\/4 +0 +— +—$/),
      )
      expect(run.stdout).toContainEqual(
        expect.stringMatching(/^SAL acceptance +25\.0 % +1\/4 +0 +red +>75 green, <55 red$/),
      )
      const bad = await leadclock(
        ['report', 'metrics', '--from', 'last week', ...store.storeArgs],
        store.env,
      )
      expect(bad.code).toBe(2)
      expect(bad.stderr.join('\n')).toContain(
        `option '--from <when>' argument 'last week' is invalid`,
      )
    })
  })
}
