/**
 * Two runtimes as `leadclock worker` and a second process open them on one PostgreSQL: a process
 * started with a different policy file replaces the file's policy in use (audited as its OS user's
 * change, from its host), and the running worker uses it from its next round, without a restart.
 * PostgreSQL only: the embedded store admits one process.
 */
import { writeFile } from 'node:fs/promises'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'

import { describe, expect, it, vi } from 'vitest'

import type { CliOutput } from '../../src/cli/cli-output.js'
import { startWorker } from '../../src/cli/runtime-actions.js'
import { configFromEnvironment, openRuntime, policyOf } from '../../src/main.js'
import { defaultPolicyPath } from '../../src/policy/load-policy-file.js'
import { DIALECTS, removeDir, scratchPostgres, tempDir } from './dialects.js'

const quiet: CliOutput = {
  print: () => undefined,
  error: () => undefined,
  exitCode: () => undefined,
}

describe.runIf(DIALECTS.includes('postgres'))('policy files and workers on one PostgreSQL', () => {
  it('a start with a changed policy file is audited as its operator’s; the running worker picks it up', async () => {
    const scratch = await scratchPostgres({ migrated: true })
    const dir = await tempDir('runtime-settings')
    const changedPolicy = join(dir, 'policy.yaml')
    await writeFile(
      changedPolicy,
      readFileSync(defaultPolicyPath(), 'utf8')
        .replace('firstAttempt: 5 business minutes', 'firstAttempt: 45 business minutes')
        .replace("version: '2.1.0'", "version: '2.2.0'"),
    )
    const configWith = (policyPath: string) =>
      configFromEnvironment(
        {},
        { databaseUrl: scratch.url, dataDir: dir, channels: [], policyPath },
      )
    const running = await openRuntime(configWith(defaultPolicyPath()))
    try {
      const worker = startWorker(running, quiet)
      try {
        expect(policyOf(running).version).toBe('2.1.0')
        const started = await openRuntime(configWith(changedPolicy))
        await started.close()

        await vi.waitFor(() => expect(running.scheduler.policy.version).toBe('2.2.0'), {
          timeout: 10_000,
        })
        expect(running.settings.current().policy).toMatchObject({
          origin: 'file',
          name: changedPolicy,
        })
      } finally {
        await worker.stop()
      }
      const [entry] = await running.repository.access.listAudit({
        from: 0,
        to: Number.POSITIVE_INFINITY,
        limit: 10,
      })
      expect(entry).toMatchObject({
        action: 'policy.replaced',
        personId: null,
        tokenId: null,
        origin: `cli:${userInfo().username}@${hostname()}`,
        before: { version: '2.1.0', source: defaultPolicyPath() },
        after: { version: '2.2.0', source: changedPolicy },
        detail: {
          changes: [
            '~ version: 2.1.0 → 2.2.0',
            '~ Response tier “tier-1” › firstAttempt: 5 business minutes → 45 business minutes',
          ],
        },
      })
    } finally {
      await running.close()
      await scratch.drop()
      await removeDir(dir)
    }
  })
})
