/** Starts worker processes (worker-process.ts), starts their clocks together, collects results. */
import type { ChildProcess } from 'node:child_process'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import type { FromWorker, ToWorker, WorkerResult, WorkerSettings } from './protocol.js'

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.js', import.meta.url))

export interface WorkerPool {
  /** Steps fired so far, as reported by the workers after each round. */
  fired(): number
  errors(): readonly string[]
  /** Starts every worker's loop with the same simulated clock. */
  start(realStart: number, simStart: number): void
  /** Stops every worker after its current round and returns what each recorded. */
  stop(): Promise<WorkerResult[]>
  /** Kills the processes (after a failure). */
  kill(): void
}

function waitFor<T extends FromWorker['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker): void => {
      if (message.type === type) {
        cleanup()
        resolve(message as Extract<FromWorker, { type: T }>)
      }
    }
    const onExit = (code: number | null): void => {
      cleanup()
      reject(new Error(`bench worker exited (code ${code}) before sending "${type}"`))
    }
    const cleanup = (): void => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

export async function startWorkerPool(
  count: number,
  settings: WorkerSettings,
): Promise<WorkerPool> {
  const children = Array.from({ length: count }, () =>
    fork(WORKER_SCRIPT, [], {
      env: { ...process.env, LEADCLOCK_BENCH_WORKER: JSON.stringify(settings) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  )
  let fired = 0
  const errors: string[] = []
  for (const child of children) {
    child.on('message', (message: FromWorker) => {
      if (message.type === 'progress') {
        fired += message.fired
      } else if (message.type === 'error') {
        errors.push(message.message)
      }
    })
  }
  const sendTo = (child: ChildProcess, message: ToWorker): void => {
    child.send(message)
  }
  const kill = (): void => {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill()
      }
    }
  }
  try {
    await Promise.all(children.map((child) => waitFor(child, 'ready')))
  } catch (error) {
    kill()
    throw error
  }
  return {
    fired: () => fired,
    errors: () => errors,
    start(realStart, simStart) {
      for (const child of children) {
        sendTo(child, { type: 'start', realStart, simStart })
      }
    },
    async stop() {
      const results = children.map((child) => waitFor(child, 'result'))
      for (const child of children) {
        sendTo(child, { type: 'stop' })
      }
      const collected = await Promise.all(results)
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) {
                resolve()
              } else {
                child.once('exit', () => resolve())
              }
            }),
        ),
      )
      return collected.map(({ type: _type, ...result }) => result)
    },
    kill,
  }
}
