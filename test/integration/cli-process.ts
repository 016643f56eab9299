/** Runs `leadclock` as a user does: a child process, so the exit code is the process's own. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { childProgram } from './child-programs.js'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string[]
  readonly stderr: string[]
}

/** `leadclock <args>` run to its end. */
export function leadclock(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childProgram('src/cli/leadclock.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
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

/** `leadclock <args>` started in the background (`serve`, `worker`); stop it with a signal. */
export function startLeadclock(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [childProgram('src/cli/leadclock.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}
