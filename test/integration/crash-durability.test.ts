/**
 * "An event acknowledged to a caller is durable", on embedded PGlite: a child process ingests
 * events and reports each acknowledged key; it is killed with SIGKILL mid-stream, twice; every
 * reported key must be there when the folder is opened again.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { createDatabase } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { childProgram } from './child-programs.js'
import { migratedPgliteDump } from './dialects.js'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Runs the child until it has acknowledged more than `atLeast` keys, then SIGKILLs it. */
function ingestUntilKilled(dataDir: string, prefix: string, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [childProgram('test/integration/fixtures/ingest-until-killed.ts'), dataDir, prefix],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const lines: string[] = []
    let partial = ''
    let stderr = ''
    let killed = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts)
      if (!killed && lines.length > atLeast) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', () => {
      if (!killed || lines[0] !== 'ready') {
        reject(new Error(`the child did not run as expected:\n${stderr}`))
        return
      }
      // A line cut short by the kill was never fully reported, so it does not count.
      resolve(lines.slice(1))
    })
  })
}

describe('crash durability on pglite', () => {
  it('keeps every acknowledged event after kill -9, twice', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadclock-crash-'))
    try {
      const dataDir = join(dir, 'pglite')
      // The folder starts from the migrated template: the child process skips initdb.
      await (await createDatabase({ dataDir, initialData: await migratedPgliteDump() })).close()
      const acknowledged = [
        ...(await ingestUntilKilled(dataDir, 'first', 30)),
        ...(await ingestUntilKilled(dataDir, 'second', 10)),
      ]
      expect(acknowledged.length).toBeGreaterThanOrEqual(40)
      const database = await createDatabase({ dataDir })
      try {
        const repository = createLeadRepository(database)
        for (const key of acknowledged) {
          const events = await repository.listLeadEvents(key)
          expect(
            events.map((event) => event.idempotencyKey),
            key,
          ).toEqual([key])
          expect((await repository.getLead(key))?.stage, key).toBe('inquiry')
        }
      } finally {
        await database.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
