/**
 * Fatal errors as a person meets them: `leadclock` run as a child process prints one line saying
 * what failed and why (the cause chain, in words) and exits 1. Files given on the command line are
 * checked before the store is opened, so a typo creates, migrates and locks nothing.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { leadclock, startLeadclock } from './cli-process.js'
import { removeDir, tempDir } from './dialects.js'

describe('leadclock fatal errors', { timeout: 60_000 }, () => {
  let dir: string
  let dataDir: string
  const embedded = { DATABASE_URL: '' }

  beforeAll(async () => {
    dir = await tempDir('cli-errors')
    dataDir = join(dir, 'data')
  })
  afterAll(() => removeDir(dir))

  it('an unreachable or malformed PostgreSQL URL: where it was looked for and why it failed, never the password', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const run = await leadclock(['audit'], {
      DATABASE_URL: 'postgres://leadclock:secret-password@127.0.0.1:1/leadclock',
    })
    expect(run).toEqual({
      code: 1,
      stdout: [],
      stderr: ['leadclock: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused'],
    })
    const malformed = await leadclock(['audit'], {
      DATABASE_URL: 'postgres://leadclock:secret-password@127.0.0.1:port/leadclock',
    })
    expect(malformed).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        'leadclock: the database URL is not a valid PostgreSQL connection string (postgres://user:password@host:5432/database): Invalid URL',
      ],
    })
  })

  it('a policy or roster that cannot be read: the path and the reason, before the store opens', async () => {
    const policy = join(dir, 'polcy.yaml')
    const badPolicy = await leadclock(
      ['audit', '--policy', policy, '--data-dir', dataDir],
      embedded,
    )
    expect(badPolicy).toEqual({
      code: 1,
      stdout: [],
      stderr: [`leadclock: cannot read the policy ${policy}: no such file or directory`],
    })
    const roster = join(dir, 'roster')
    await mkdir(roster)
    const badRoster = await leadclock(['audit', '--data-dir', dataDir], {
      ...embedded,
      LEADCLOCK_ROSTER: roster,
    })
    expect(badRoster).toEqual({
      code: 1,
      stdout: [],
      stderr: [`leadclock: cannot read the roster ${roster}: is a directory, not a file`],
    })
    expect(existsSync(dataDir)).toBe(false)
  })

  it('import checks its file before it opens the store', async () => {
    const importing = (file: string) => leadclock(['import', file, '--data-dir', dataDir], embedded)
    const missing = join(dir, 'evnets.jsonl')
    const empty = join(dir, 'empty.jsonl')
    await writeFile(empty, '')
    expect(await importing(missing)).toEqual({
      code: 1,
      stdout: [],
      stderr: [`leadclock: cannot import ${missing}: no such file or directory`],
    })
    expect(await importing(dir)).toEqual({
      code: 1,
      stdout: [],
      stderr: [`leadclock: cannot import ${dir}: it is a directory, not a file`],
    })
    expect(await importing(empty)).toEqual({
      code: 1,
      stdout: [],
      stderr: [`leadclock: cannot import ${empty}: the file is empty`],
    })
    expect(await importing('/dev/null')).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        'leadclock: cannot import /dev/null: it is not a regular file (write what a pipe or device gives to a file first)',
      ],
    })
    expect(existsSync(dataDir)).toBe(false)
  })

  it('start --sample-leads takes a whole number of leads, at least 1: a usage error otherwise, before the store opens', async () => {
    for (const leads of ['0', '1.5', 'many']) {
      const run = await leadclock(['start', '--sample-leads', leads, '--data-dir', dataDir])
      expect(run.code).toBe(2)
      expect(run.stderr[0]).toBe(
        `error: option '--sample-leads <n>' argument '${leads}' is invalid. a whole number of leads, at least 1`,
      )
    }
    expect(existsSync(dataDir)).toBe(false)
  })

  it('without the flock command the embedded store is not opened: the message says what is needed', async () => {
    const file = join(dir, 'one.jsonl')
    await writeFile(file, '{}\n')
    const run = await leadclock(['import', file, '--data-dir', dataDir], {
      ...embedded,
      PATH: join(dir, 'no-commands-here'),
    })
    expect(run).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `leadclock: cannot lock ${join(dataDir, 'pglite.lock')}: the flock command (util-linux) is needed to lock the embedded store: no such file or directory`,
      ],
    })
  })

  it('stops quietly when its reader closes the pipe early (`leadclock policy show | head -1`)', async () => {
    const child = startLeadclock(['policy', 'show'])
    // Closed before the first line: every line the command prints meets a closed pipe.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })
})
