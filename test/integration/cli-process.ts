/** Runs `leadclock` as a user does: a child process, so the exit code is the process's own. */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Database } from '../../src/store/create-database.js'
import { createDatabase } from '../../src/store/create-database.js'
import { childProgram } from './child-programs.js'
import type { Dialect } from './dialects.js'
import { migratedPgliteDump, removeDir, scratchPostgres, tempDir } from './dialects.js'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string[]
  readonly stderr: string[]
}

/**
 * A command line that runs the rest of it in a PID namespace of its own (with its own /proc), as
 * a container does. Needs privilege (root). Stop what it started with `stopInOwnNamespace`.
 */
export const OWN_PID_NAMESPACE = ['unshare', '--pid', '--fork', '--mount-proc'] as const

/**
 * `leadclock <args>` started in the background (`serve`, `worker`), through `launcher` (e.g.
 * OWN_PID_NAMESPACE) when one is given; stop it with a signal.
 */
export function startLeadclock(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  launcher: readonly string[] = [],
) {
  const [command = process.execPath, ...commandArgs] = [
    ...launcher,
    process.execPath,
    childProgram('src/cli/leadclock.ts'),
    ...args,
  ]
  return spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** `leadclock <args>` run to its end. */
export function leadclock(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  launcher: readonly string[] = [],
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = startLeadclock(args, env, launcher)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const lines = (text: string) => text.split('\n').filter((line) => line !== '')
      resolve({ code, stdout: lines(stdout), stderr: lines(stderr) })
    })
  })
}

/** Resolves with the API's base URL once `serve` or `start` prints it. */
export function apiAddress(server: ChildProcess): Promise<string> {
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
    // 'close', not 'exit': by then stderr has been read to its end.
    server.on('close', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)))
  })
}

/** Stops a background `leadclock` (SIGTERM, as Ctrl+C would) and waits for it to exit. */
export async function stopLeadclock(server: ChildProcess): Promise<void> {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve))
    server.kill('SIGTERM')
    await exited
  }
}

/**
 * Stops a background `leadclock` started through OWN_PID_NAMESPACE: `unshare` ignores SIGTERM
 * (it leaves signals to the program), so the program, its one child, gets it.
 */
export async function stopInOwnNamespace(unshare: ChildProcess): Promise<void> {
  if (unshare.exitCode === null && unshare.signalCode === null) {
    const exited = new Promise((resolve) => unshare.once('exit', resolve))
    const children = await readFile(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8')
    process.kill(Number.parseInt(children, 10), 'SIGTERM')
    await exited
  }
}

/**
 * A store that `leadclock` child processes of one dialect use: a data folder started from the
 * migrated template (so the processes skip initdb), or a migrated scratch PostgreSQL database
 * (`env` carries its URL). `storeArgs` point a command at it; `openStore` opens it in the test.
 */
export interface CliStore {
  readonly dir: string
  readonly env: NodeJS.ProcessEnv
  readonly storeArgs: string[]
  openStore(): Promise<Database>
  remove(): Promise<void>
}

export async function cliStore(dialect: Dialect, name: string): Promise<CliStore> {
  const dir = await tempDir(name)
  const scratch = dialect === 'postgres' ? await scratchPostgres({ migrated: true }) : undefined
  const dataDir = join(dir, 'data', 'pglite')
  if (!scratch) {
    await (await createDatabase({ dataDir, initialData: await migratedPgliteDump() })).close()
  }
  return {
    dir,
    env: { DATABASE_URL: scratch?.url ?? '' },
    storeArgs: ['--data-dir', join(dir, 'data')],
    openStore: () =>
      scratch ? createDatabase({ databaseUrl: scratch.url }) : createDatabase({ dataDir }),
    async remove() {
      await scratch?.drop()
      await removeDir(dir)
    },
  }
}
