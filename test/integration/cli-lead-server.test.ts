/**
 * Read commands while `leadclock serve` holds the embedded store: PGlite allows one process per
 * data folder, so `leadclock lead` asks the server, at the URL it recorded in the folder's lock.
 * Write commands still refuse the folder. Each command is a child process, so exit codes are the
 * processes' own.
 */
import type { ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { textTable } from '../../src/cli/text-table.js'
import { IDEAL_PROFILE, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { createDatabase } from '../../src/store/create-database.js'
import { leadclock, startLeadclock } from './cli-process.js'
import { migratedPgliteDump, removeDir, tempDir } from './dialects.js'

/** Resolves with the API's base URL once `serve` prints it. */
function apiAddress(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    server.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const api = /API {8}(\S+)\/leads\n/.exec(stdout)
      if (api?.[1] !== undefined) {
        resolve(api[1])
      }
    })
    server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)))
  })
}

describe(
  'leadclock lead while leadclock serve holds the embedded store',
  { timeout: 240_000 },
  () => {
    let dir: string
    let server: ChildProcess
    let api: string
    const dataArgs = () => ['--data-dir', dir]

    beforeAll(async () => {
      dir = await tempDir('cli-lead')
      await (
        await createDatabase({
          dataDir: join(dir, 'pglite'),
          initialData: await migratedPgliteDump(),
        })
      ).close()
      server = startLeadclock(['serve', '--port', '0', ...dataArgs()], { DATABASE_URL: '' })
      api = await apiAddress(server)
      const created = await fetch(`${api}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
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
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGTERM')
        await exited
      }
      await removeDir(dir)
    })

    it('records the server’s URL in the data folder’s lock', async () => {
      expect(await readFile(join(dir, 'pglite.lock'), 'utf8')).toBe(`${server.pid}\n${api}\n`)
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

    it('lead: an unknown lead is an error with exit code 1', async () => {
      const run = await leadclock(['lead', 'NOSUCH', ...dataArgs()], { DATABASE_URL: '' })
      expect(run).toEqual({ code: 1, stdout: [], stderr: ['no lead NOSUCH'] })
    })

    it('lead without an id is a usage error with exit code 2', async () => {
      const run = await leadclock(['lead', ...dataArgs()], { DATABASE_URL: '' })
      expect(run.code).toBe(2)
      expect(run.stderr[0]).toBe("error: missing required argument 'leadId'")
    })

    it('import still refuses the folder the server holds, with exit code 1', async () => {
      const file = join(dir, 'one.jsonl')
      await writeFile(file, '{}\n')
      const run = await leadclock(['import', file, ...dataArgs()], { DATABASE_URL: '' })
      expect(run.code).toBe(1)
      expect(run.stderr).toEqual([
        `leadclock: the data folder ${join(dir, 'pglite')} is in use by process ${server.pid} (serving ${api}); stop it first ` +
          `(if that process is not Leadclock, the lock ${join(dir, 'pglite.lock')} was left by a crash: delete it)`,
      ])
    })
  },
)
