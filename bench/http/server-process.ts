/** Starts the server process (server-child.ts) and drives it over IPC. */
import type { ChildProcess } from 'node:child_process'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import type { FromServer, ToServer } from './protocol.js'

const SERVER_SCRIPT = fileURLToPath(new URL('./server-child.js', import.meta.url))

type Reply<T extends FromServer['type']> = Extract<FromServer, { type: T }>

export interface ServerProcess {
  readonly url: string
  readonly dialect: string
  loadSample(): Promise<Reply<'sample-loaded'>>
  startWorker(): Promise<void>
  /** CPU time the server process has used so far (ms). */
  cpuMs(): Promise<number>
  /** Stops the worker and the server, and waits for the process to exit. */
  stop(): Promise<Reply<'stopped'>>
  /** Kills the process (after a failure). */
  kill(): void
}

function waitFor<T extends FromServer['type']>(child: ChildProcess, type: T): Promise<Reply<T>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer): void => {
      if (message.type === type) {
        cleanup()
        resolve(message as Reply<T>)
      }
    }
    const onExit = (code: number | null): void => {
      cleanup()
      reject(new Error(`the bench server exited (code ${code}) before sending "${type}"`))
    }
    const cleanup = (): void => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve()
    } else {
      child.once('exit', () => resolve())
    }
  })
}

/**
 * `env` selects the store (DATABASE_URL, or LEADCLOCK_DATA_DIR for PGlite). With
 * LEADCLOCK_BENCH_CPU_PROF set to a folder, the server writes a CPU profile there when it stops.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const profileDir = process.env.LEADCLOCK_BENCH_CPU_PROF
  const child = fork(SERVER_SCRIPT, [], {
    env: { ...process.env, ...env },
    execArgv: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    // Request logs (stdout) are written, as by `serve`, and dropped; errors show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill()
    }
  }
  const ask = <T extends FromServer['type']>(message: ToServer, reply: T): Promise<Reply<T>> => {
    const replied = waitFor(child, reply)
    child.send(message)
    return replied
  }
  let ready: Reply<'ready'>
  try {
    ready = await waitFor(child, 'ready')
  } catch (error) {
    kill()
    throw error
  }
  return {
    url: ready.url,
    dialect: ready.dialect,
    loadSample: () => ask({ type: 'load-sample' }, 'sample-loaded'),
    startWorker: async () => {
      await ask({ type: 'start-worker' }, 'worker-started')
    },
    cpuMs: async () => (await ask({ type: 'usage' }, 'usage')).cpuMs,
    async stop() {
      const stopped = await ask({ type: 'stop' }, 'stopped')
      await exited(child)
      return stopped
    },
    kill,
  }
}
