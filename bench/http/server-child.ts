/**
 * The Leadclock server as `leadclock serve` runs it — the runtime, the HTTP API on a loopback
 * port and, when asked, the escalation worker — in a process of its own, so that its CPU is not
 * the bench's. Asked over IPC, it loads the standard sample the way `leadclock start` does, while
 * it keeps serving. DATABASE_URL for PostgreSQL, else PGlite in LEADCLOCK_DATA_DIR. It logs as
 * `serve` does (LEADCLOCK_LOG_LEVEL, default info) to a stdout the bench discards.
 */
import type { CliOutput } from '../../src/cli/cli-output.js'
import { completeFirstRun, startWorker } from '../../src/cli/runtime-actions.js'
import { configFromEnvironment, openRuntime, startServer } from '../../src/main.js'
import { STANDARD_SAMPLE } from '../../src/sample/standard-sample.js'
import type { RunningWorker } from '../../src/scheduler/escalation-worker.js'
import type { FromServer, TimedLine, ToServer } from './protocol.js'

const send = (message: FromServer): void => {
  process.send?.(message)
}

const config = configFromEnvironment(process.env)
const runtime = await openRuntime(config)
const server = await startServer(runtime, config)
const url = await server.listen({ host: '127.0.0.1', port: 0 })
const errors: string[] = []
const workerOutput: CliOutput = {
  print: () => undefined,
  error: (line) => errors.push(line),
  exitCode: () => undefined,
}
let worker: RunningWorker | undefined
let stopping = false

async function handle(message: ToServer): Promise<void> {
  switch (message.type) {
    case 'load-sample': {
      const started = performance.now()
      const lines: TimedLine[] = []
      const record = (line: string): void => {
        lines.push({ atMs: performance.now() - started, line })
      }
      await completeFirstRun(
        runtime,
        { print: record, error: record, exitCode: () => undefined },
        STANDARD_SAMPLE.leads,
      )
      send({ type: 'sample-loaded', seconds: (performance.now() - started) / 1000, lines })
      return
    }
    case 'start-worker':
      worker = startWorker(runtime, workerOutput)
      send({ type: 'worker-started' })
      return
    case 'usage': {
      const cpu = process.cpuUsage()
      send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000 })
      return
    }
    case 'stop': {
      stopping = true
      await worker?.stop()
      await server.close()
      await runtime.close()
      send({ type: 'stopped', errors })
      // Nothing else keeps the process alive: it exits, writing its CPU profile if asked to.
      process.disconnect()
    }
  }
}

process.on('message', (message: ToServer) => {
  handle(message).catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
})
// Orphaned (the bench died): nothing is left to serve.
process.on('disconnect', () => {
  if (!stopping) {
    process.exit(1)
  }
})
send({ type: 'ready', url, dialect: runtime.database.dialect })
