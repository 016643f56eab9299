/** `leadclock start | serve | worker | import | lead | sample`: the commands that need the store. */
import { createReadStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'

import { SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import { Option } from 'commander'

import { peopleOf } from '../app/event-input.js'
import type { ImportProgress } from '../app/import-jsonl.js'
import { importJsonLines } from '../app/import-jsonl.js'
import type { IngestDependencies } from '../app/ingest-events.js'
import { ingestEvents } from '../app/ingest-events.js'
import { fireOnSimulatedClock } from '../app/fire-escalations.js'
import { readLead } from '../app/read-lead.js'
import type { RunningWorker } from '../scheduler/escalation-worker.js'
import { startEscalationWorker } from '../scheduler/escalation-worker.js'
import type { Runtime, RuntimeConfig } from '../main.js'
import { configFromEnvironment, openRuntime, startServer } from '../main.js'
import { defaultPolicyPath, loadPolicyFile } from '../policy/load-policy-file.js'
import { formatPolicyProblem } from '../policy/parse-policy.js'
import {
  STANDARD_SAMPLE as SAMPLE,
  standardSampleEvents,
  writeSampleJsonl,
} from '../sample/generate-sample.js'
import type { CliOutput } from './cli-output.js'
import { textTable } from './text-table.js'

interface RuntimeOptions {
  readonly dataDir?: string
  readonly policy?: string
}

function withRuntimeOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'embedded database folder (default .leadclock-data; ignored when DATABASE_URL is set)',
    )
    .option('--policy <file>', 'policy YAML file (default: policies/default.yaml)')
}

function configOf(options: RuntimeOptions): RuntimeConfig {
  return configFromEnvironment(process.env, {
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.policy === undefined ? {} : { policyPath: options.policy }),
  })
}

/** History is replayed as recorded: owners come from its events, so nothing is routed anew. */
function replayOf(runtime: Runtime): IngestDependencies {
  return {
    repository: runtime.repository,
    policy: runtime.policy,
    roster: () => runtime.rosterSource.current(),
  }
}

async function withRuntime(
  options: RuntimeOptions,
  work: (runtime: Runtime) => Promise<void>,
): Promise<void> {
  const runtime = await openRuntime(configOf(options))
  try {
    await work(runtime)
  } finally {
    await runtime.close()
  }
}

/** A progress bar on a terminal; a line every few thousand events otherwise. */
function progressReporter(
  output: CliOutput,
  total: number | undefined,
): { update(p: ImportProgress): void; stop(): void } {
  if (process.stderr.isTTY && total !== undefined) {
    const bar = new SingleBar({
      format: '  {bar} {percentage}% | {value}/{total} events | {eta}s left',
      stream: process.stderr,
    })
    bar.start(total, 0)
    return { update: (p) => bar.update(p.linesRead), stop: () => bar.stop() }
  }
  let lastReported = 0
  return {
    update: (p) => {
      if (p.linesRead - lastReported >= 5000) {
        lastReported = p.linesRead
        output.error(
          `  … ${p.linesRead}${total === undefined ? '' : `/${total}`} events (${p.appended} new, ${p.duplicates} duplicates, ${p.invalid} invalid)`,
        )
      }
    },
    stop: () => undefined,
  }
}

async function loadSample(runtime: Runtime, output: CliOutput): Promise<void> {
  const events = standardSampleEvents(runtime.policy, runtime.now())
  output.print(
    `Loading the sample: ${SAMPLE.leads} leads over the last ${SAMPLE.days} days (${events.length} events)…`,
  )
  const progress = progressReporter(output, events.length)
  const chunk = 1000
  for (let start = 0; start < events.length; start += chunk) {
    const slice = events.slice(start, start + chunk)
    await ingestEvents(
      replayOf(runtime),
      slice.map((event) => ({ ok: true as const, event })),
    )
    progress.update({
      linesRead: start + slice.length,
      appended: start + slice.length,
      duplicates: 0,
      invalid: 0,
    })
  }
  progress.stop()
  await auditEscalations(runtime, output)
}

/**
 * Audit mode for history just loaded: every escalation step due in it fires at the instant it was
 * due, on a simulated clock, without notifying anyone (it is the past).
 */
async function auditEscalations(runtime: Runtime, output: CliOutput): Promise<void> {
  output.print('Replaying the escalation steps due in that history (audit mode, no notifications)…')
  let lastReported = 0
  const { fired } = await fireOnSimulatedClock(
    { ...runtime.scheduler, channels: [] },
    runtime.now(),
    (firedSoFar, at) => {
      if (firedSoFar - lastReported >= 1000) {
        lastReported = firedSoFar
        output.error(`  … ${firedSoFar} steps fired (clock at ${new Date(at).toISOString()})`)
      }
    },
  )
  output.print(`  ${fired} escalation steps fired.`)
}

function startWorker(runtime: Runtime, output: CliOutput): RunningWorker {
  const channels = [...runtime.delivery.channels.keys()]
  output.print(
    `  Escalations are fired by this process; notifications go to ${channels.length === 0 ? 'no channel (set LEADCLOCK_SLACK_WEBHOOK_URL, LEADCLOCK_SMTP_URL or LEADCLOCK_WEBHOOK_URL)' : channels.join(', ')}.`,
  )
  return startEscalationWorker(runtime.scheduler, runtime.delivery, {
    now: runtime.now,
    onError: (error) => {
      output.error(`escalation worker: ${error instanceof Error ? error.message : String(error)}`)
    },
  })
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

async function serve(
  runtime: Runtime,
  output: CliOutput,
  host: string,
  port: number,
): Promise<void> {
  const server = await startServer(runtime, false)
  const address = await server.listen({ host, port })
  output.print(
    `Leadclock is running with policy ${runtime.policy.version} on ${runtime.database.dialect}.`,
  )
  output.print(`  API        ${address}/leads`)
  output.print(`  API docs   ${address}/docs`)
  const worker = startWorker(runtime, output)
  output.print('Press Ctrl+C to stop.')
  await untilSignal()
  await worker.stop()
  await server.close()
}

export function registerRuntimeCommands(program: Command, output: CliOutput): void {
  withRuntimeOptions(
    program
      .command('start')
      .description('the main job: load the sample on first run, then serve the API')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on', '3000'),
  ).action(async (options: RuntimeOptions & { host: string; port: string }) => {
    await withRuntime(options, async (runtime) => {
      if ((await runtime.repository.countLeads({})) === 0) {
        await loadSample(runtime, output)
      }
      await serve(runtime, output, options.host, Number(options.port))
    })
  })

  withRuntimeOptions(
    program
      .command('serve')
      .description('serve the HTTP API')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on', '3000'),
  ).action(async (options: RuntimeOptions & { host: string; port: string }) => {
    await withRuntime(options, (runtime) =>
      serve(runtime, output, options.host, Number(options.port)),
    )
  })

  withRuntimeOptions(
    program
      .command('worker')
      .description(
        'fire escalation steps and deliver notifications only (run several against one PostgreSQL)',
      ),
  ).action(async (options: RuntimeOptions) => {
    await withRuntime(options, async (runtime) => {
      output.print(
        `Leadclock worker on ${runtime.database.dialect}, policy ${runtime.policy.version}.`,
      )
      const worker = startWorker(runtime, output)
      await untilSignal()
      await worker.stop()
    })
  })

  withRuntimeOptions(
    program
      .command('audit')
      .description(
        'fire every escalation step due up to now on a simulated clock, without notifications (after an import of history)',
      ),
  ).action(async (options: RuntimeOptions) => {
    await withRuntime(options, (runtime) => auditEscalations(runtime, output))
  })

  withRuntimeOptions(
    program
      .command('import')
      .argument('<file>', 'JSON Lines file: one event per line')
      .addOption(
        new Option(
          '--received-at <rule>',
          'system timestamp of a line without receivedAt: its occurredAt (history keeps its own time) or the time of the import',
        )
          .choices(['occurred-at', 'import-time'])
          .default('occurred-at'),
      )
      .description('import lead events from a JSON Lines file, with progress'),
  ).action(async (file: string, options: RuntimeOptions & { receivedAt: string }) => {
    await withRuntime(options, async (runtime) => {
      const progress = progressReporter(output, undefined)
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
      const report = await importJsonLines(replayOf(runtime), lines, {
        now: runtime.now,
        people: peopleOf(runtime.rosterSource.current()),
        systemTimestamp:
          options.receivedAt === 'import-time' ? 'history-import-time' : 'history-occurred-at',
        onProgress: (p) => progress.update(p),
      })
      progress.stop()
      output.print(
        `${file}: ${report.linesRead} lines — ${report.appended} events recorded, ${report.duplicates} duplicates ignored, ${report.invalid} invalid`,
      )
      for (const { line, problems } of report.problems) {
        output.error(
          `  line ${line}: ${problems.map((p) => `${p.field || '(line)'}: ${p.message}`).join('; ')}`,
        )
      }
      output.exitCode(report.invalid > 0 ? 1 : 0)
    })
  })

  withRuntimeOptions(
    program
      .command('lead')
      .argument('<leadId>', 'lead id')
      .description('show one lead: stage, score, SLA clocks, timeline'),
  ).action(async (leadId: string, options: RuntimeOptions) => {
    await withRuntime(options, async (runtime) => {
      const view = await readLead(runtime, leadId, runtime.now())
      if (!view) {
        output.error(`no lead ${leadId}`)
        output.exitCode(1)
        return
      }
      const { lead, scoreNow, clocks, timeline } = view
      const iso = (instant: number | null): string =>
        instant === null ? '—' : new Date(instant).toISOString()
      output.print(
        `${lead.leadId} — ${lead.profile.firstName ?? ''} ${lead.profile.lastName ?? ''} at ${lead.profile.company ?? '?'}`,
      )
      output.print(
        `Stage ${lead.stage.toUpperCase()} · tier ${lead.tier ?? '—'} · owner ${lead.ownerId ?? '—'} · policy ${lead.policyVersion}`,
      )
      output.print(
        `Score now ${scoreNow.total} (fit ${scoreNow.fitScore}/100): ${scoreNow.lines.map((l) => `${l.signal} ${l.points > 0 ? '+' : ''}${l.points}`).join(', ')}`,
      )
      output.print('')
      output.print(
        textTable(
          ['SLA clock', 'Status', 'Started', 'Target', 'Breach', 'Elapsed (min)'],
          clocks.map((clock) => [
            clock.name,
            // Why a clock cannot run, or why it waits, belongs next to its status.
            [clock.status, clock.problem ?? clock.pausedSince?.reason].filter(Boolean).join(': '),
            iso(clock.startedAt),
            iso(clock.targetAt),
            iso(clock.breachAt),
            String(Math.round(clock.elapsedMs / 60_000)),
          ]),
        ),
      )
      output.print('')
      if (view.tasks.length > 0) {
        output.print(
          textTable(
            ['Task', 'Owner', 'Due', 'State'],
            view.tasks.map((task) => [
              task.text,
              task.ownerId ?? task.ownerRole,
              iso(task.dueAt),
              task.state,
            ]),
          ),
        )
        output.print('')
      }
      output.print(
        textTable(
          ['Occurred', 'Event', 'Actor'],
          timeline.map((event) => [iso(event.occurredAt), event.type, event.actor?.id ?? '—']),
        ),
      )
    })
  })

  program
    .command('sample')
    .option('--out <file>', 'where to write the JSON Lines', 'sample-events.jsonl')
    .option(
      '--policy <file>',
      'policy YAML file (default: LEADCLOCK_POLICY, else policies/default.yaml)',
    )
    .description(
      `write the deterministic sample (${SAMPLE.leads} leads over the ${SAMPLE.days} days before today, 00:00 UTC) as JSON Lines: the events \`start\` loads on the same day`,
    )
    .action(async (options: { out: string; policy?: string }) => {
      const loaded = await loadPolicyFile(
        options.policy ?? process.env.LEADCLOCK_POLICY ?? defaultPolicyPath(),
      )
      if (!loaded.ok) {
        output.error(loaded.problems.map(formatPolicyProblem).join('\n'))
        output.exitCode(1)
        return
      }
      const events = standardSampleEvents(loaded.policy, Date.now())
      await writeFile(options.out, writeSampleJsonl(events))
      output.print(
        `${options.out}: ${events.length} events for ${SAMPLE.leads} leads — the sample \`start\` loads today`,
      )
    })
}
