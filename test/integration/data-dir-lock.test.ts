/**
 * Two processes never both write one embedded store, even when they cannot see each other's
 * process ids: the second `leadclock serve` runs in a PID namespace of its own (as in another
 * container sharing the folder), where the first's recorded pid means nothing. The lock is the
 * kernel's (flock), so it also ends with its holder however the holder ends: after kill -9, the
 * next writer takes the folder over with every acknowledged event. Child processes throughout,
 * so exit codes and the kill are real.
 */
import type { ChildProcess } from 'node:child_process'
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { COMMAND_LINE, createApiToken } from '../../src/app/api-tokens.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { createAccessStore } from '../../src/store/access-store.js'
import { createDatabase } from '../../src/store/create-database.js'
import {
  apiAddress,
  OWN_PID_NAMESPACE,
  startLeadclock,
  stopInOwnNamespace,
  stopLeadclock,
} from './cli-process.js'
import { migratedPgliteDump, removeDir, tempDir } from './dialects.js'

const namespacesAvailable =
  spawnSync(OWN_PID_NAMESPACE[0], [...OWN_PID_NAMESPACE.slice(1), 'true']).status === 0

// A machine may forbid new namespaces to an unprivileged user; CI runs as root and must run these.
describe.skipIf(!namespacesAvailable && !process.env.CI)(
  'the embedded store’s lock across PID namespaces',
  { timeout: 240_000 },
  () => {
    let dir: string
    let first: ChildProcess
    let firstApi: string
    /** What this suite started in PID namespaces of their own. */
    const namespaced: ChildProcess[] = []
    let adminToken: string
    const env = { DATABASE_URL: '' }
    const serveArgs = () => ['serve', '--port', '0', '--data-dir', dir]
    const asAdmin = (api: string, path: string, init: RequestInit = {}) =>
      fetch(`${api}${path}`, {
        ...init,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${adminToken}`,
        },
      })

    beforeAll(async () => {
      expect(
        namespacesAvailable,
        `${OWN_PID_NAMESPACE.join(' ')} must work here (it needs root or CAP_SYS_ADMIN)`,
      ).toBe(true)
      dir = await tempDir('data-dir-lock')
      const database = await createDatabase({
        dataDir: join(dir, 'pglite'),
        initialData: await migratedPgliteDump(),
      })
      const created = await createApiToken(
        {
          store: createAccessStore(database),
          policy: loadDefaultPolicy(),
          roster: () => undefined,
          pepper: undefined,
        },
        { role: 'admin', personId: null, expiresAt: null, label: 'lock test' },
        Date.now(),
        COMMAND_LINE,
      )
      await database.close()
      if (!created.ok) {
        throw new Error(created.message)
      }
      adminToken = created.secret
      first = startLeadclock(serveArgs(), env)
      firstApi = await apiAddress(first)
    })

    afterAll(async () => {
      await stopLeadclock(first)
      await Promise.all(namespaced.map(stopInOwnNamespace))
      await removeDir(dir)
    })

    it('refuses a second writer in its own PID namespace, naming the holder; the first goes on writing', async () => {
      const second = startLeadclock(serveArgs(), env, OWN_PID_NAMESPACE)
      namespaced.push(second)
      // Resolves if it serves (then afterAll stops it); rejects with what it wrote when it exits.
      await expect(apiAddress(second)).rejects.toThrow(
        new Error(
          `the server exited with 1:\nleadclock: the data folder ${join(dir, 'pglite')} is in use by process ${first.pid} (serving ${firstApi}); stop it first\n`,
        ),
      )
      const posted = await asAdmin(firstApi, '/events', {
        method: 'POST',
        body: JSON.stringify({
          idempotencyKey: 'acknowledged-1',
          leadId: 'lead-acknowledged-1',
          type: 'lead.created',
          occurredAt: new Date(T0).toISOString(),
          payload: { source: 'demo-request', profile: IDEAL_PROFILE },
        }),
      })
      expect(posted.status).toBe(201)
      expect(await readFile(join(dir, 'pglite.lock'), 'utf8')).toBe(`${first.pid}\n${firstApi}\n`)
    })

    it('after kill -9 of the holder, a writer in its own PID namespace takes the folder over with every acknowledged event', async () => {
      const killed = new Promise((resolve) => first.once('exit', resolve))
      first.kill('SIGKILL')
      await killed
      const taker = startLeadclock(serveArgs(), env, OWN_PID_NAMESPACE)
      namespaced.push(taker)
      const takerApi = await apiAddress(taker)
      // The first process of a new PID namespace is its pid 1.
      expect(await readFile(join(dir, 'pglite.lock'), 'utf8')).toBe(`1\n${takerApi}\n`)
      const lead = await asAdmin(takerApi, '/leads/lead-acknowledged-1')
      expect(lead.status).toBe(200)
      const { timeline } = (await lead.json()) as { timeline: { idempotencyKey: string }[] }
      expect(timeline.map((event) => event.idempotencyKey)).toEqual(['acknowledged-1'])
    })
  },
)
