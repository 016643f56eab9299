/**
 * Read commands while `leadclock serve` holds the embedded store: PGlite allows one process per
 * data folder, so `leadclock lead` and `leadclock token` ask the server, at the URL it recorded in
 * the folder's lock, with the admin token the first start keeps in the runtime folder. Write
 * commands still refuse the folder. Each command is a child process, so exit codes are the
 * processes' own.
 */
import type { ChildProcess } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { keepFirstAdminToken } from '../../src/cli/first-start-token.js'
import { textTable } from '../../src/cli/text-table.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { createAccessStore } from '../../src/store/access-store.js'
import { createDatabase } from '../../src/store/create-database.js'
import { apiAddress, leadclock, startLeadclock, stopLeadclock } from './cli-process.js'
import { migratedPgliteDump, removeDir, tempDir } from './dialects.js'

describe(
  'leadclock lead while leadclock serve holds the embedded store',
  { timeout: 240_000 },
  () => {
    let dir: string
    let server: ChildProcess
    let api: string
    let adminToken: string
    /** The rep token `token create` made on the store before the server started. */
    let repToken: string
    const dataArgs = () => ['--data-dir', dir]

    beforeAll(async () => {
      dir = await tempDir('cli-lead')
      const database = await createDatabase({
        dataDir: join(dir, 'pglite'),
        initialData: await migratedPgliteDump(),
      })
      const firstStart: string[] = []
      const start = () =>
        keepFirstAdminToken(
          {
            store: createAccessStore(database),
            policy: loadDefaultPolicy(),
            roster: () => undefined,
            pepper: undefined,
          },
          dir,
          Date.now(),
          {
            print: (line) => firstStart.push(line),
            error: () => undefined,
            exitCode: () => undefined,
          },
        )
      await start()
      expect(firstStart).toHaveLength(3)
      // A later start finds a token and creates none.
      await start()
      expect(firstStart).toHaveLength(3)
      await database.close()
      adminToken = (await readFile(join(dir, 'cli-token'), 'utf8')).trim()
      expect(firstStart[1]).toBe(`  ${adminToken}`)
      expect((await stat(join(dir, 'cli-token'))).mode & 0o777).toBe(0o600)

      const rep = await leadclock(
        ['token', 'create', '--role', 'rep', '--person', 'sdr-ana-lopez', ...dataArgs()],
        { DATABASE_URL: '' },
      )
      expect(rep.stderr).toEqual([])
      expect(rep.stdout[0]).toMatch(
        /^Created tok_[0-9A-Z]{26} \(rep for sdr-ana-lopez, expires \d{4}-\d\d-\d\dT[\d:.]+Z\)\. Its secret, shown this once:$/,
      )
      repToken = rep.stdout[1] ?? ''
      expect(repToken).toMatch(/^lct_[A-Za-z0-9_-]{43}$/)

      server = startLeadclock(['serve', '--port', '0', ...dataArgs()], {
        DATABASE_URL: '',
        LEADCLOCK_CORS_ORIGINS: 'https://dashboard.example.com',
      })
      api = await apiAddress(server)
      const created = await fetch(`${api}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({
          idempotencyKey: 'served-1',
          leadId: 'lead-served-1',
          type: 'lead.created',
          occurredAt: new Date(T0).toISOString(),
          payload: { source: 'demo-request', profile: IDEAL_PROFILE },
        }),
      })
      expect(created.status).toBe(201)
    })

    afterAll(async () => {
      await stopLeadclock(server)
      await removeDir(dir)
    })

    it('records the server’s URL in the data folder’s lock', async () => {
      expect(await readFile(join(dir, 'pglite.lock'), 'utf8')).toBe(`${server.pid}\n${api}\n`)
    })

    it('serves with the request limits of the environment: the CORS origin given, security headers', async () => {
      const fromOrigin = (origin: string) => fetch(`${api}/health`, { headers: { origin } })
      const allowed = await fromOrigin('https://dashboard.example.com')
      expect(allowed.headers.get('access-control-allow-origin')).toBe(
        'https://dashboard.example.com',
      )
      expect(allowed.headers.get('x-content-type-options')).toBe('nosniff')
      const other = await fromOrigin('https://evil.example.com')
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('lead: prints the lead the server holds, exit code 0', async () => {
      const run = await leadclock(['lead', 'lead-served-1', ...dataArgs()], { DATABASE_URL: '' })
      expect(run.stderr).toEqual([])
      expect(run.code).toBe(0)
      expect(run.stdout.slice(0, 2)).toEqual([
        'lead-served-1 — Dana Reyes at Acmesoft',
        'Stage INQUIRY · tier — · owner — · policy 2.1.0 · times in America/New_York',
      ])
      expect(run.stdout.slice(-3)).toEqual(
        textTable(
          ['Occurred', 'Event', 'Actor'],
          [['Tue 3 Mar 09:00 EST (14:00Z)', 'lead.created', '—']],
        ).split('\n'),
      )
    })

    it('lead: a token the server refuses is an error naming why, with exit code 1', async () => {
      const run = await leadclock(['lead', 'lead-served-1', ...dataArgs()], {
        DATABASE_URL: '',
        LEADCLOCK_TOKEN: 'lct_not-a-token',
      })
      expect(run).toEqual({
        code: 1,
        stdout: [],
        stderr: [`leadclock: ${api}/leads/lead-served-1 answered 401: unknown token`],
      })
    })

    it('token list and revoke go through the server; a revoked token is refused at once', async () => {
      const listed = await leadclock(['token', 'list', ...dataArgs()], { DATABASE_URL: '' })
      expect(listed.code).toBe(0)
      expect(listed.stdout.slice(2).map((line) => line.split(/\s{2,}/).slice(1, 4))).toEqual([
        ['admin', '—', 'local CLI (first start)'],
        ['rep', 'sdr-ana-lopez', '—'],
      ])
      const asRep = () =>
        fetch(`${api}/leads`, { headers: { authorization: `Bearer ${repToken}` } })
      expect(await (await asRep()).json()).toEqual({ total: 0, nextCursor: null, leads: [] })
      const repId = /^(tok_\S+)/.exec(listed.stdout[3] ?? '')?.[1] ?? ''
      const revoked = await leadclock(['token', 'revoke', repId, ...dataArgs()], {
        DATABASE_URL: '',
      })
      expect(revoked.stderr).toEqual([])
      expect(revoked.stdout[0]).toMatch(
        new RegExp(
          `^Revoked ${repId} \\(rep for sdr-ana-lopez, expires .+\\) at .+; its sessions are ended\\.$`,
        ),
      )
      const refused = await asRep()
      expect(refused.status).toBe(401)
      expect(await refused.json()).toMatchObject({ detail: 'the token was revoked' })
    })

    it('lead: an unknown lead is an error with exit code 1', async () => {
      const run = await leadclock(['lead', 'NOSUCH', ...dataArgs()], { DATABASE_URL: '' })
      expect(run).toEqual({ code: 1, stdout: [], stderr: ['no lead NOSUCH'] })
    })

    it('lead without an id is a usage error with exit code 2', async () => {
      const run = await leadclock(['lead', ...dataArgs()], { DATABASE_URL: '' })
      expect(run.code).toBe(2)
      expect(run.stderr[0]).toBe("error: missing required argument 'leadId'")
    })

    it('erase: the server erases the lead’s personal data; again, nothing is left; unknown, exit code 1', async () => {
      const run = await leadclock(['erase', '--lead', 'lead-served-1', ...dataArgs()], {
        DATABASE_URL: '',
      })
      expect(run).toEqual({
        code: 0,
        stdout: [
          'Erased the personal data of lead-served-1: 1 event and 0 audit entries rewritten.',
          'Fields: profile.company, profile.email, profile.firstName, profile.lastName, profile.phone.',
        ],
        stderr: [],
      })
      const shown = await leadclock(['lead', 'lead-served-1', ...dataArgs()], { DATABASE_URL: '' })
      expect(shown.stdout[0]).toBe('lead-served-1 — [erased] [erased] at [erased]')
      const again = await leadclock(['erase', '--lead', 'lead-served-1', ...dataArgs()], {
        DATABASE_URL: '',
      })
      expect(again.stdout).toEqual([
        'Erased the personal data of lead-served-1: 0 events and 0 audit entries rewritten.',
        'Nothing personal was left (erased before).',
      ])
      const unknown = await leadclock(['erase', '--email', IDEAL_PROFILE.email, ...dataArgs()], {
        DATABASE_URL: '',
      })
      expect(unknown).toEqual({
        code: 1,
        stdout: [],
        stderr: ['nothing to erase: no lead matches the lead id or email given'],
      })
    })

    it('erase without --lead or --email is a usage error with exit code 2', async () => {
      const run = await leadclock(['erase', ...dataArgs()], { DATABASE_URL: '' })
      expect(run).toEqual({
        code: 2,
        stdout: [],
        stderr: ['error: say whose data to erase: --lead <leadId>, --email <address> or both'],
      })
    })

    it('import still refuses the folder the server holds, with exit code 1', async () => {
      const file = join(dir, 'one.jsonl')
      await writeFile(file, '{}\n')
      const run = await leadclock(['import', file, ...dataArgs()], { DATABASE_URL: '' })
      expect(run.code).toBe(1)
      expect(run.stderr).toEqual([
        `leadclock: the data folder ${join(dir, 'pglite')} is in use by process ${server.pid} (serving ${api}); stop it first`,
      ])
    })
  },
)
