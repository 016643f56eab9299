/**
 * Several processes on one store follow the policy and roster in use: a change made through one
 * instance of the API is used by another's next request without a restart. PUT /policy validates
 * like a policy file (422 with located problems, nothing changed), is for RevOps and admins only,
 * and is audited with who, when, from where, and the versions and changes before and after. A
 * process started with a different policy file replaces a file's policy (audited as the local
 * operator's change), never one saved through the API.
 */
import { readFileSync } from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { ApiCaller } from './api-callers.js'
import { openLiveSettings } from '../../src/app/live-settings.js'
import { policyFingerprint } from '../../src/app/policy-fingerprint.js'
import { IDEAL_PROFILE, MINUTE } from '../../src/domain/test-support.js'
import { defaultPolicyPath, packageFilePath } from '../../src/policy/load-policy-file.js'
import { parsePolicy } from '../../src/policy/parse-policy.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'
import type { LiveApi } from './live-api.js'
import { openLiveApi, postDemoRequest } from './live-api.js'

/** Tuesday 2026-03-03 10:00 New York (EST): the US calendar is open. */
const NOW = Date.parse('2026-03-03T15:00:00Z')

const POLICY_TEXT = readFileSync(defaultPolicyPath(), 'utf8')
const ROSTER_PATH = packageFilePath('roster', 'default-roster.yaml')
const ROSTER_TEXT = readFileSync(ROSTER_PATH, 'utf8')

/** The shipped policy as 2.2.0, with the Tier 1 SDR first attempt due in 45 business minutes. */
function slowerTier1(text: string): string {
  const slower = text
    .replace('firstAttempt: 5 business minutes', 'firstAttempt: 45 business minutes')
    .replace("version: '2.1.0'", "version: '2.2.0'")
  expect(slower.split('\n').length).toBe(text.split('\n').length)
  return slower
}
const SLOWER_TIER_1 = slowerTier1(POLICY_TEXT)

const fingerprintOf = (text: string): string => {
  const parsed = parsePolicy(text, 'test')
  if (!parsed.ok) {
    throw new Error('the test policy is invalid')
  }
  return policyFingerprint(parsed.policy)
}

const putPolicy = (caller: ApiCaller, text: string) =>
  caller.inject({
    method: 'PUT',
    url: '/policy',
    headers: { 'content-type': 'application/yaml' },
    payload: text,
  })

for (const dialect of DIALECTS) {
  describe(`settings shared by two API instances on one ${dialect} store`, () => {
    let first: LiveApi
    let second: LiveApi
    let mei: ApiCaller
    beforeAll(async () => {
      first = await openLiveApi(dialect, defaultPolicyPath(), () => NOW)
      // Started before any change: what it uses afterwards it can only have picked up.
      second = await openLiveApi(dialect, defaultPolicyPath(), () => NOW, {
        database: first.database,
      })
      mei = await first.callerFor('revops', 'revops-mei-tanaka')
    })
    afterAll(async () => {
      await second?.app.close()
      await first?.app.close()
      await first?.database.close()
    })

    /** A demo request on `api`: an MQL, routed and clocked when received (NOW). */
    const demoRequest = (api: LiveApi, leadId: string, email: string) =>
      postDemoRequest<{
        lead: { ownerId: string | null }
        clocks: { itemId: string; targetAt: string }[]
      }>(api, {
        leadId,
        profile: { ...IDEAL_PROFILE, email },
        createdAt: NOW - 2 * MINUTE,
        enrichedAt: NOW - 2 * MINUTE,
      })

    const tier1TargetOf = (view: Awaited<ReturnType<typeof demoRequest>>) =>
      view.clocks.find((clock) => clock.itemId === 'sdr-response-tier-1')?.targetAt

    it('routes on the second instance by the roster replaced through the first', async () => {
      const before = await demoRequest(second, 'newco-before', 'dana.reyes@newco.com')
      expect(before.lead.ownerId).toMatch(/^sdr-/)

      const roster = (await mei.inject({ method: 'GET', url: '/roster' })).json<{
        namedAccounts: object[]
      }>()
      const replaced = await mei.inject({
        method: 'PUT',
        url: '/roster',
        payload: {
          ...roster,
          namedAccounts: [
            ...roster.namedAccounts,
            { domain: 'newco.com', ownerId: 'ae-sophie-martin', backupOwnerId: 'ae-omar-haddad' },
          ],
        },
      })
      expect(replaced.statusCode, replaced.body).toBe(200)

      const after = await demoRequest(second, 'newco-after', 'kim.lee@newco.com')
      expect(after.lead.ownerId).toBe('ae-sophie-martin')
    })

    it('computes the second instance’s next deadline by the policy put through the first', async () => {
      expect(
        tier1TargetOf(await demoRequest(second, 'target-before', 'ines.ruiz@acmesoft.com')),
      ).toBe('2026-03-03T15:05:00.000Z')
      const put = await putPolicy(mei, SLOWER_TIER_1)
      expect(put.statusCode, put.body).toBe(200)
      expect(put.json()).toEqual({
        version: '2.2.0',
        effectiveFrom: '2026-01-01',
        fingerprint: fingerprintOf(SLOWER_TIER_1),
        origin: 'api',
        source: 'policy (saved through the API)',
        savedAt: new Date(NOW).toISOString(),
        changes: [
          '~ version: 2.1.0 → 2.2.0',
          '~ Response tier “tier-1” › firstAttempt: 5 business minutes → 45 business minutes',
        ],
      })

      expect(
        tier1TargetOf(await demoRequest(second, 'target-after', 'omar.ali@acmesoft.com')),
      ).toBe('2026-03-03T15:45:00.000Z')
      const inUse = await second.admin.inject({ method: 'GET', url: '/policy' })
      expect(inUse.json()).toEqual({
        version: '2.2.0',
        effectiveFrom: '2026-01-01',
        fingerprint: fingerprintOf(SLOWER_TIER_1),
        origin: 'api',
        source: 'policy (saved through the API)',
        savedAt: new Date(NOW).toISOString(),
        yaml: SLOWER_TIER_1,
      })
      expect((await second.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
        status: 'ok',
        policyVersion: '2.2.0',
      })
    })

    it('audits the policy change: who, when, from where, versions and changes before and after', async () => {
      const audit = await second.admin.inject({ method: 'GET', url: '/audit' })
      expect(audit.statusCode).toBe(200)
      const entries = audit
        .json<{ entries: { action: string }[] }>()
        .entries.filter((entry) => entry.action === 'policy.replaced')
      expect(entries).toEqual([
        {
          seq: expect.any(Number) as number,
          at: new Date(NOW).toISOString(),
          action: 'policy.replaced',
          subject: 'policy',
          personId: 'revops-mei-tanaka',
          tokenId: mei.tokenId,
          origin: '127.0.0.1',
          before: {
            version: '2.1.0',
            effectiveFrom: '2026-01-01',
            fingerprint: fingerprintOf(POLICY_TEXT),
            source: defaultPolicyPath(),
          },
          after: {
            version: '2.2.0',
            effectiveFrom: '2026-01-01',
            fingerprint: fingerprintOf(SLOWER_TIER_1),
            source: 'policy (saved through the API)',
          },
          detail: {
            changes: [
              '~ version: 2.1.0 → 2.2.0',
              '~ Response tier “tier-1” › firstAttempt: 5 business minutes → 45 business minutes',
            ],
          },
        },
      ])
    })

    it('refuses an invalid policy with 422 and its located problems, changing nothing', async () => {
      const auditBefore = (await mei.inject({ method: 'GET', url: '/audit' })).body
      const broken = SLOWER_TIER_1.replace(
        'firstAttempt: 45 business minutes',
        'firstAttempt: soon',
      ).replace("version: '2.2.0'", "version: 'three'")
      const refused = await putPolicy(mei, broken)
      expect(refused.statusCode).toBe(422)
      expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8')
      const line = (text: string) => broken.slice(0, broken.indexOf(text)).split('\n').length
      expect(refused.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid policy',
        status: 422,
        detail: 'the policy is invalid; nothing was changed',
        problems: [
          {
            field: 'version',
            rule: 'policy',
            message: `must be a semantic version such as "2.1.0" (line ${line("version: 'three'")}, column 10)`,
          },
          {
            field: 'responseTiers.tier-1.firstAttempt',
            rule: 'policy',
            message: `"soon" is not a duration; allowed: "<number> [business] minutes|hours|days|weeks|months", e.g. "5 business minutes" or "90 days" (line ${line('firstAttempt: soon')}, column 19)`,
          },
        ],
      })
      // The policy is YAML text, not a JSON object.
      const json = await mei.inject({
        method: 'PUT',
        url: '/policy',
        payload: { version: '3.0.0' },
      })
      expect(json.statusCode).toBe(400)
      expect(json.json()).toMatchObject({
        title: 'Invalid input',
        detail: 'the body does not match the schema',
      })
      const inUse = await first.admin.inject({ method: 'GET', url: '/policy' })
      expect(inUse.json<{ fingerprint: string }>().fingerprint).toBe(fingerprintOf(SLOWER_TIER_1))
      expect((await mei.inject({ method: 'GET', url: '/audit' })).body).toBe(auditBefore)
    })

    it('refuses a policy the roster in use breaks under, naming the roster’s problems', async () => {
      // A valid policy on its own, whose calendars no longer include the one two people work by.
      const renamed = SLOWER_TIER_1.replaceAll('us-west', 'us-pacific')
      const refused = await putPolicy(mei, renamed)
      expect(refused.statusCode, refused.body).toBe(422)
      const problems = refused.json<{ problems: { field: string; rule: string }[] }>().problems
      expect(refused.json()).toMatchObject({
        title: 'Invalid policy',
        detail: 'the roster in use is invalid under this policy; nothing was changed',
      })
      expect(problems).toHaveLength(2)
      for (const problem of problems) {
        expect(problem).toEqual({
          field: expect.stringMatching(/^people\[\d+\]\.calendarId$/) as string,
          rule: 'roster',
          message: expect.stringMatching(
            /^"us-west" is not a policy calendar; allowed: us-east, us-central, us-pacific, uk, dach, india, anz \(line \d+, column \d+\)$/,
          ) as string,
        })
      }
      const inUse = await second.admin.inject({ method: 'GET', url: '/policy' })
      expect(inUse.json<{ fingerprint: string }>().fingerprint).toBe(fingerprintOf(SLOWER_TIER_1))
    })

    it('lets only RevOps and admins replace the policy', async () => {
      for (const [role, personId] of [
        ['rep', 'sdr-ana-lopez'],
        ['manager', 'mgr-carla-reyes'],
        ['leadership', 'vp-grace-okafor'],
      ] as const) {
        const caller = await first.callerFor(role, personId)
        const refused = await putPolicy(caller, POLICY_TEXT)
        expect(refused.statusCode, role).toBe(403)
        expect(refused.json()).toMatchObject({ status: 403, rule: 'capability' })
      }
      const inUse = await second.admin.inject({ method: 'GET', url: '/policy' })
      expect(inUse.json<{ version: string }>().version).toBe('2.2.0')
    })
  })

  describe(`the policy a process starts with on ${dialect}`, () => {
    const operator = { personId: null, tokenId: null, origin: 'cli:ops@host-b' } as const
    const start = (policyText: string, at: number) => ({
      policyFile: { path: '/etc/leadclock/policy.yaml', text: policyText },
      rosterFile: { path: ROSTER_PATH, text: ROSTER_TEXT },
      at,
      operator,
    })

    it('replaces a policy read from a file, audited as the operator’s, and never one saved through the API', async () => {
      const database = await freshDatabase(dialect)
      try {
        const repository = createLeadRepository(database)
        const running = await openLiveSettings(repository.settings, start(POLICY_TEXT, NOW))
        expect(running.current().policy).toMatchObject({
          origin: 'file',
          name: '/etc/leadclock/policy.yaml',
        })
        // First start: nothing was replaced, nothing to audit.
        const audit = () => repository.access.listAudit({ from: 0, to: Infinity, limit: 10 })
        expect(await audit()).toEqual([])

        const restarted = await openLiveSettings(
          repository.settings,
          start(SLOWER_TIER_1, NOW + MINUTE),
        )
        expect(restarted.current().policy.policy.version).toBe('2.2.0')
        expect(await audit()).toEqual([
          {
            seq: expect.any(Number) as number,
            at: NOW + MINUTE,
            action: 'policy.replaced',
            subject: 'policy',
            personId: null,
            tokenId: null,
            origin: 'cli:ops@host-b',
            before: {
              version: '2.1.0',
              effectiveFrom: '2026-01-01',
              fingerprint: fingerprintOf(POLICY_TEXT),
              source: '/etc/leadclock/policy.yaml',
            },
            after: {
              version: '2.2.0',
              effectiveFrom: '2026-01-01',
              fingerprint: fingerprintOf(SLOWER_TIER_1),
              source: '/etc/leadclock/policy.yaml',
            },
            detail: {
              changes: [
                '~ version: 2.1.0 → 2.2.0',
                '~ Response tier “tier-1” › firstAttempt: 5 business minutes → 45 business minutes',
              ],
            },
          },
        ])
        // The process still running picks it up at its next check.
        await running.refresh()
        expect(running.current().policy.fingerprint).toBe(fingerprintOf(SLOWER_TIER_1))

        const saved = await running.replacePolicy(POLICY_TEXT, NOW + 2 * MINUTE)
        expect(saved.ok).toBe(true)
        const third = await openLiveSettings(
          repository.settings,
          start(SLOWER_TIER_1, NOW + 3 * MINUTE),
        )
        expect(third.current().policy).toMatchObject({
          origin: 'api',
          name: 'policy (saved through the API)',
          fingerprint: fingerprintOf(POLICY_TEXT),
        })
        expect(await audit()).toHaveLength(1)

        // A roster file follows the same rule: it replaces the roster an earlier start read.
        const meiInCentral = ROSTER_TEXT.indexOf('calendarId: us-central')
        expect(ROSTER_TEXT.slice(ROSTER_TEXT.lastIndexOf('- id:', meiInCentral))).toMatch(
          /^- id: revops-mei-tanaka\n/,
        )
        const movedMei = `${ROSTER_TEXT.slice(0, meiInCentral)}calendarId: us-east${ROSTER_TEXT.slice(meiInCentral + 'calendarId: us-central'.length)}`
        const fourth = await openLiveSettings(repository.settings, {
          ...start(POLICY_TEXT, NOW + 4 * MINUTE),
          rosterFile: { path: ROSTER_PATH, text: movedMei },
        })
        expect(fourth.current().roster).toMatchObject({ origin: 'file', name: ROSTER_PATH })
        const [rosterEntry] = await audit()
        expect(rosterEntry).toMatchObject({
          at: NOW + 4 * MINUTE,
          action: 'roster.replaced',
          origin: 'cli:ops@host-b',
          before: { people: { 'revops-mei-tanaka': { calendarId: 'us-central' } } },
          after: { people: { 'revops-mei-tanaka': { calendarId: 'us-east' } } },
        })
        expect(Object.keys((rosterEntry?.after as { people: object }).people)).toEqual([
          'revops-mei-tanaka',
        ])
      } finally {
        await database.close()
      }
    })

    it('keeps the last good settings when the stored ones no longer parse, and says so once', async () => {
      const database = await freshDatabase(dialect)
      try {
        const repository = createLeadRepository(database)
        const running = await openLiveSettings(repository.settings, start(POLICY_TEXT, NOW))
        await running.refresh()
        // As another version of Leadclock might have stored it: not a policy this one accepts.
        await repository.settings.putSetting(
          'policy',
          { text: POLICY_TEXT.replace("version: '2.1.0'", "version: 'three'"), origin: 'api' },
          NOW + MINUTE,
        )
        await expect(running.refresh()).rejects.toThrow(
          /^the policy is invalid:\n {2}policy \(saved through the API\):5:10 version: must be a semantic version such as "2.1.0"$/,
        )
        await running.refresh()
        expect(running.current().policy.fingerprint).toBe(fingerprintOf(POLICY_TEXT))
      } finally {
        await database.close()
      }
    })
  })
}
