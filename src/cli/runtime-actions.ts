/**
 * What `leadclock start | serve | worker | audit | import | sample` do, and the store `lead` opens
 * when no server holds it. Loaded only when one of them runs: it pulls in the store, the engine
 * and the HTTP server, which `--help` and `lead` against a running server do not need.
 */
import type { FileHandle } from 'node:fs/promises'
import { open, stat, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

import { SingleBar } from 'cli-progress'
import { IANAZone } from 'luxon'

import { peopleOf } from '../app/event-input.js'
import type { ImportProgress } from '../app/import-records.js'
import { jsonLineRecords } from '../app/import-jsonl.js'
import type { CountedRecord } from '../app/import-records.js'
import { derivationChunkLeads, importBatchLines, importRecords } from '../app/import-records.js'
import type { CsvImport } from '../connectors/csv-import.js'
import { openCsvImport } from '../connectors/csv-import.js'
import type { DerivationProgress, IngestDependencies } from '../app/ingest-events.js'
import { appendForDerivation, derivePendingLeads } from '../app/ingest-events.js'
import type { LeadAliases } from '../connectors/csv-mapping.js'
import type { PlannedFile } from '../connectors/export-formats.js'
import { inImportOrder, mappingsOf, planFile } from '../connectors/export-formats.js'
import { fireOnSimulatedClock } from '../app/fire-escalations.js'
import { escalationReportFor } from '../app/lead-reports.js'
import { ALL_TIME } from '../reports/report-window.js'
import type { RunningWorker } from '../scheduler/escalation-worker.js'
import { startEscalationWorker } from '../scheduler/escalation-worker.js'
import type { Runtime, RuntimeConfig } from '../main.js'
import { accessOf, configFromEnvironment, openRuntime, policyOf, startServer } from '../main.js'
import { describeError } from '../describe-error.js'
import { pgliteFolderOf } from '../runtime-folders.js'
import { defaultPolicyPath, loadPolicyFile } from '../policy/load-policy-file.js'
import { formatPolicyProblem } from '../policy/parse-policy.js'
import { formatLocatedProblem } from '../policy/yaml-document.js'
import {
  generateSampleEvents,
  sampleEndOf,
  standardSampleEvents,
  writeSampleJsonl,
} from '../sample/generate-sample.js'
import { recordServerUrl } from '../store/data-dir-lock.js'
import { STANDARD_SAMPLE as SAMPLE } from '../sample/standard-sample.js'
import type { CliOutput } from './cli-output.js'
import { keepFirstAdminToken } from './first-start-token.js'
import type {
  ImportOptions,
  RuntimeOptions,
  SampleOptions,
  ServeOptions,
  StartOptions,
} from './runtime-commands.js'

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
    policy: policyOf(runtime),
    roster: () => runtime.settings.current().roster.roster,
  }
}

export async function withRuntime(
  options: RuntimeOptions,
  work: (runtime: Runtime, config: RuntimeConfig) => Promise<void>,
): Promise<void> {
  const config = configOf(options)
  const runtime = await openRuntime(config)
  try {
    await work(runtime, config)
  } finally {
    await runtime.close()
  }
}

/** How far long work is: `done` of `total` units (bytes of a file, events, leads). */
interface ProgressMeasure {
  readonly total: number
  readonly done: () => number
  /** What the rate counts: a file's lines, a sample's events (whose total is `total`), leads. */
  readonly unit: 'lines' | 'events' | 'leads'
}

export interface ProgressReporter {
  /** `counted` units so far (what the rate is of), and what they came to, if anything. */
  update(counted: number, detail?: string): void
  stop(): void
}

/**
 * A progress bar on a terminal; otherwise (a log) a line every 5,000 units or every 2 seconds,
 * whichever comes first, so that slow work (deriving leads) is never silent for long. Both show
 * units per second and the time left, estimated from the work done so far.
 */
export function progressReporter(output: CliOutput, measure: ProgressMeasure): ProgressReporter {
  const started = performance.now()
  const pace = (counted: number): { rate: number; eta: number } => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001)
    const done = measure.done()
    return {
      rate: Math.round(counted / seconds),
      eta: done > 0 ? Math.ceil(((measure.total - done) * seconds) / done) : 0,
    }
  }
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `  {bar} {percentage}% | {counted} ${measure.unit} | {rate} ${measure.unit}/s | {eta_left}s left`,
      stream: process.stderr,
    })
    bar.start(measure.total, 0, { counted: 0, rate: 0, eta_left: '?' })
    let stopped = false
    return {
      update: (counted) => {
        const { rate, eta } = pace(counted)
        bar.update(measure.done(), { counted, rate, eta_left: eta })
      },
      stop: () => {
        if (!stopped) {
          stopped = true
          bar.stop()
        }
      },
    }
  }
  let nextMilestone = 5000
  let lastReportedAt = started
  return {
    update: (counted, detail) => {
      const now = performance.now()
      const milestone = counted >= nextMilestone
      if (milestone || now - lastReportedAt >= 2000) {
        nextMilestone = milestone ? (Math.floor(counted / 5000) + 1) * 5000 : nextMilestone
        lastReportedAt = now
        const { rate, eta } = pace(counted)
        // A file is measured in bytes: its count of lines is known only at its end.
        const shown = measure.unit === 'lines' ? counted : `${counted}/${measure.total}`
        output.error(
          `  … ${shown} ${measure.unit}${detail === undefined ? '' : ` (${detail})`}, ${rate} ${measure.unit}/s, ${eta}s left`,
        )
      }
    },
    stop: () => undefined,
  }
}

function describeCounts(p: ImportProgress): string {
  return `${p.appended} new, ${p.duplicates} duplicates, ${p.invalid} invalid`
}

/**
 * Shows an import's second phase — deriving each lead it touched — once it starts; `stop`
 * closes its bar.
 */
function derivationReporter(output: CliOutput): {
  update(progress: DerivationProgress): void
  stop(): void
} {
  let reporter: ProgressReporter | undefined
  let derived = 0
  return {
    update: (progress) => {
      derived = progress.derived
      reporter ??= progressReporter(output, {
        total: progress.total,
        done: () => derived,
        unit: 'leads',
      })
      reporter.update(progress.derived, 'derived: state, clocks, timers')
    },
    stop: () => reporter?.stop(),
  }
}

/** The setting that makes the first start's sample and its audit replay one unit. */
const FIRST_RUN_SETTING = 'first-run'

/** The sample of a first start: regenerated from these, its events are the same every time. */
interface FirstRunSample {
  readonly seed: number
  readonly leads: number
  readonly days: number
  /** ISO 8601: the instant the sample ends (a UTC midnight). */
  readonly end: string
}

/**
 * `loading` from before the first sample event is written until the audit replay is over, then
 * `completed`. A start that finds `loading` follows one that was interrupted (a crash, kill -9)
 * and finishes its work: the same sample again (the events already recorded are duplicates, by
 * idempotency key) and the audit replay of whatever is still due.
 */
interface FirstRun {
  readonly state: 'loading' | 'completed'
  readonly sample: FirstRunSample
}

async function firstRunOf(runtime: Runtime): Promise<FirstRun | undefined> {
  return (await runtime.repository.settings.getSetting(FIRST_RUN_SETTING)) as FirstRun | undefined
}

async function recordFirstRun(runtime: Runtime, firstRun: FirstRun): Promise<void> {
  await runtime.repository.settings.putSetting(FIRST_RUN_SETTING, firstRun, runtime.now())
}

/**
 * The first start's work, before anything is served or fired live: on an empty store, loading
 * a sample of `sampleLeads` leads and replaying its escalation steps in audit mode; after a first
 * start that was interrupted, the rest of that. A store holding leads that no first start loaded
 * (an import, an older version's sample) is left as it is. The HTTP bench times it too.
 */
export async function completeFirstRun(
  runtime: Runtime,
  output: CliOutput,
  sampleLeads: number,
): Promise<void> {
  const firstRun = await firstRunOf(runtime)
  if (firstRun?.state === 'completed') {
    return
  }
  if (firstRun === undefined && (await runtime.repository.countLeads({})) > 0) {
    return
  }
  const sample = firstRun?.sample ?? {
    seed: SAMPLE.seed,
    leads: sampleLeads,
    days: SAMPLE.days,
    end: new Date(sampleEndOf(runtime.now())).toISOString(),
  }
  if (firstRun === undefined) {
    await recordFirstRun(runtime, { state: 'loading', sample })
  } else {
    output.print('The first start was interrupted before its sample was ready; finishing it.')
  }
  await loadSample(runtime, output, sample)
  await auditEscalations(runtime, output)
  await recordFirstRun(runtime, { state: 'completed', sample })
  await summariseSample(runtime, output)
}

/**
 * `serve` and `worker` fire escalations live: on a store whose first start has not finished,
 * they would notify everyone about the sample's history.
 */
async function refuseUnfinishedFirstRun(runtime: Runtime): Promise<void> {
  if ((await firstRunOf(runtime))?.state === 'loading') {
    throw new Error(
      'the first leadclock start on this store was interrupted before its sample was ready; run leadclock start to finish it (firing escalations now would notify about the sample’s history)',
    )
  }
}

/** The sample's events, recorded as history; events recorded before are duplicates. */
async function loadSample(
  runtime: Runtime,
  output: CliOutput,
  sample: FirstRunSample,
): Promise<void> {
  const events = generateSampleEvents({
    ...sample,
    end: Date.parse(sample.end),
    policy: policyOf(runtime),
  })
  output.print(
    `Loading the sample: ${sample.leads} leads over the last ${sample.days} days (${events.length} events)…`,
  )
  const chunk = importBatchLines(runtime.database.dialect)
  let duplicates = 0
  let loaded = 0
  const progress = progressReporter(output, {
    total: events.length,
    done: () => loaded,
    unit: 'events',
  })
  for (let start = 0; start < events.length; start += chunk) {
    const slice = events.slice(start, start + chunk)
    const outcomes = await appendForDerivation(
      runtime.repository,
      slice.map((event) => ({ ok: true as const, event })),
    )
    duplicates += outcomes.filter((outcome) => outcome.status === 'duplicate').length
    loaded = start + slice.length
    progress.update(
      loaded,
      describeCounts({ linesRead: loaded, appended: loaded - duplicates, duplicates, invalid: 0 }),
    )
  }
  progress.stop()
  await derivePending(runtime, output)
}

/**
 * Derives the leads whose events were recorded but not yet derived: an import's (or the
 * sample's) second phase, or what one that stopped half-way left.
 */
async function derivePending(runtime: Runtime, output: CliOutput): Promise<void> {
  const derivation = derivationReporter(output)
  await derivePendingLeads(replayOf(runtime), {
    chunkLeads: derivationChunkLeads(runtime.database.dialect),
    onProgress: (p) => derivation.update(p),
  })
  derivation.stop()
}

/** Where the sample stands after its audit replay: what a new user looks at first. */
async function summariseSample(runtime: Runtime, output: CliOutput): Promise<void> {
  const report = await escalationReportFor(runtime.repository, policyOf(runtime), ALL_TIME)
  const sum = (count: (rep: (typeof report.byRep)[number]) => number): number =>
    report.byRep.reduce((total, rep) => total + count(rep), 0)
  output.print(
    `Sample ready: ${await runtime.repository.countLeads({})} leads, ${sum((rep) => rep.formalBreaches)} formal SLA breaches, ${sum((rep) => rep.criticalBreaches)} critical, ${report.open.length} escalations waiting for a manager action or root cause.`,
  )
}

/**
 * Audit mode for history just loaded: every escalation step due in it up to `until` (default now)
 * fires at the instant it was due, on a simulated clock, without notifying anyone (it is the past).
 */
export async function auditEscalations(
  runtime: Runtime,
  output: CliOutput,
  until = runtime.now(),
): Promise<void> {
  // Steps are planned from derived leads: an import that stopped early is finished first.
  await derivePending(runtime, output)
  output.print('Replaying the escalation steps due in that history (audit mode, no notifications)…')
  let lastReported = 0
  const { fired } = await fireOnSimulatedClock(
    { ...runtime.scheduler, channels: [] },
    until,
    (firedSoFar, at) => {
      if (firedSoFar - lastReported >= 1000) {
        lastReported = firedSoFar
        output.error(`  … ${firedSoFar} steps fired (clock at ${new Date(at).toISOString()})`)
      }
    },
  )
  output.print(`  ${fired} escalation steps fired.`)
}

/**
 * Steps a worker round fires on embedded PGlite. The round's work (re-deriving each lead it
 * fires for) runs on the thread that serves the API, between queries; rounds of 100 kept
 * requests, /health included, waiting for a third of a second while a backlog was fired.
 */
const PGLITE_WORKER_BATCH = 20

/** The escalation worker as `serve` runs it beside the API (the HTTP bench runs it the same way). */
export function startWorker(runtime: Runtime, output: CliOutput): RunningWorker {
  const channels = [...runtime.delivery.channels.keys()]
  output.print(
    `  Escalations are fired by this process; notifications go to ${channels.length === 0 ? 'no channel (set LEADCLOCK_SLACK_WEBHOOK_URL, LEADCLOCK_SMTP_URL, LEADCLOCK_WEBHOOK_URL, LEADCLOCK_HUBSPOT_ACCESS_TOKEN or LEADCLOCK_SALESFORCE_INSTANCE_URL)' : channels.join(', ')}.`,
  )
  return startEscalationWorker(runtime.scheduler, runtime.delivery, {
    ...(runtime.database.dialect === 'pglite' ? { batchSize: PGLITE_WORKER_BATCH } : {}),
    beforeRound: () => runtime.settings.refresh(),
    onError: (error) => {
      output.error(`escalation worker: ${describeError(error)}`)
    },
  })
}

/** Which policy is in use and why: a file given at start does not replace one saved through the API. */
function policyInUseLine(runtime: Runtime): string {
  const { policy } = runtime.settings.current()
  const origin =
    policy.origin === 'api'
      ? `saved through the API on ${new Date(policy.savedAt).toISOString()}; PUT /policy replaces it, a policy file does not`
      : `from ${policy.name}`
  return `policy ${policy.policy.version} (${origin})`
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

async function serve(
  runtime: Runtime,
  config: RuntimeConfig,
  output: CliOutput,
  options: ServeOptions,
): Promise<void> {
  await derivePending(runtime, output)
  const server = await startServer(runtime, config)
  const address = await server
    .listen({ host: options.host, port: Number(options.port) })
    .catch((error: unknown) => {
      throw new Error(`cannot listen on ${options.host}:${options.port}`, { cause: error })
    })
  if (runtime.database.dialect === 'pglite') {
    // Read commands (`leadclock lead`) ask this server while it holds the embedded store.
    await recordServerUrl(pgliteFolderOf(config.dataDir), address)
  }
  output.print(
    `Leadclock is running on ${runtime.database.dialect} with ${policyInUseLine(runtime)}.`,
  )
  output.print(
    server.hasRoute({ method: 'GET', url: '/' })
      ? `  Dashboard  ${address}/`
      : '  Dashboard  not built (npm run build makes it)',
  )
  output.print(`  API        ${address}/leads`)
  output.print(`  Open       ${address}/escalations?open=true`)
  output.print(`  Report     ${address}/reports/escalations`)
  output.print(`  Tasks      ${address}/tasks?state=open`)
  output.print(`  API docs   ${address}/docs`)
  const worker = startWorker(runtime, output)
  output.print('Press Ctrl+C to stop.')
  await untilSignal()
  await worker.stop()
  await server.close()
}

export async function start(options: StartOptions, output: CliOutput): Promise<void> {
  await withRuntime(options, async (runtime, config) => {
    await completeFirstRun(runtime, output, options.sampleLeads)
    await keepFirstAdminToken(accessOf(runtime), config.dataDir, runtime.now(), output)
    await serve(runtime, config, output, options)
  })
}

export async function serveOnly(options: ServeOptions, output: CliOutput): Promise<void> {
  await withRuntime(options, async (runtime, config) => {
    await refuseUnfinishedFirstRun(runtime)
    await serve(runtime, config, output, options)
  })
}

export async function workOnly(options: RuntimeOptions, output: CliOutput): Promise<void> {
  await withRuntime(options, async (runtime) => {
    await refuseUnfinishedFirstRun(runtime)
    output.print(
      `Leadclock worker on ${runtime.database.dialect} with ${policyInUseLine(runtime)}.`,
    )
    await derivePending(runtime, output)
    const worker = startWorker(runtime, output)
    await untilSignal()
    await worker.stop()
  })
}

/**
 * The file to import, opened and checked before the store is: a mistyped path must not migrate or
 * lock anything first.
 */
async function openImportFile(file: string): Promise<FileHandle> {
  const refuse = (reason: string): never => {
    throw new Error(`cannot import ${file}: ${reason}`)
  }
  const info = await stat(file).catch((error: unknown) => {
    throw new Error(`cannot import ${file}`, { cause: error })
  })
  if (info.isDirectory()) {
    refuse('it is a directory, not a file')
  }
  if (!info.isFile()) {
    refuse('it is not a regular file (write what a pipe or device gives to a file first)')
  }
  if (info.size === 0) {
    refuse('the file is empty')
  }
  return open(file, 'r').catch((error: unknown) => {
    throw new Error(`cannot import ${file}`, { cause: error })
  })
}

/** What an import reads from one file, however its format is written. */
type ImportSource = CsvImport

/** Leadclock's own JSON Lines, one event a line. */
function jsonLinesSource(input: Readable): ImportSource {
  // readline reads as soon as it exists and drops lines nobody iterates yet: it is made when
  // the import asks for the first record, after the store is open.
  async function* records(): AsyncIterable<CountedRecord> {
    yield* jsonLineRecords(createInterface({ input, crlfDelay: Infinity }))
  }
  return {
    records: records(),
    describe: ({ line, problems }) => [
      `line ${line}: ${problems.map((p) => `${p.field || '(line)'}: ${p.message}`).join('; ')}`,
    ],
    reject: () => undefined,
    finish: () => Promise.resolve(undefined),
  }
}

/** The `--time-zone` given, checked: a HubSpot export's times are in the portal's zone. */
function timeZoneOption(zone: string | undefined): string | undefined {
  if (zone !== undefined && !IANAZone.isValidZone(zone)) {
    throw new Error(
      `--time-zone "${zone}" is not an IANA time zone (Area/City, e.g. America/New_York, Europe/Berlin)`,
    )
  }
  return zone
}

/** The mapping with the zone of its timestamps, when it takes it from `--time-zone`. */
function withFlagZone(planned: PlannedFile, zone: string | undefined): PlannedFile {
  const mapping = planned.mapping
  if (mapping?.value.timeZoneFromFlag !== true) {
    return planned
  }
  if (zone === undefined) {
    throw new Error(
      `cannot import ${planned.file}: ${planned.format} times are written in the CRM's own time zone, which the file does not say; give it with --time-zone Area/City (e.g. --time-zone America/New_York)`,
    )
  }
  return { ...planned, mapping: { ...mapping, value: { ...mapping.value, timeZone: zone } } }
}

/** An export planned and opened, its reader ready, before the store is. */
interface OpenedFile {
  readonly planned: PlannedFile
  readonly handle: FileHandle
  readonly input: ReturnType<FileHandle['createReadStream']>
  readonly size: number
  readonly source: ImportSource
}

/**
 * Every file of the import planned and opened, its mapping and header checked, before the store
 * is opened: a mistyped path or column must not migrate or lock anything first. False when a
 * mapping does not fit its file (the problems are told).
 */
async function openImportFiles(
  files: readonly string[],
  options: ImportOptions,
  output: CliOutput,
  opened: OpenedFile[],
): Promise<boolean> {
  // The files are checked first, whatever their format (a JSON Lines file's plan reads nothing
  // of it), before any mapping is read.
  for (const file of files) {
    await (await openImportFile(file)).close()
  }
  const zone = timeZoneOption(options.timeZone)
  const mappings = await mappingsOf(options.mapping ?? [], options.owners)
  const planned: PlannedFile[] = []
  for (const file of files) {
    const plan = await planFile(
      file,
      () => openImportFile(file),
      {
        ...(options.format === undefined ? {} : { format: options.format }),
        mappings: options.mapping ?? [],
      },
      mappings,
    )
    planned.push(withFlagZone(plan, zone))
  }
  const aliases: LeadAliases = new Map()
  for (const plan of inImportOrder(planned)) {
    const handle = await openImportFile(plan.file)
    const { size } = await handle.stat()
    const input = handle.createReadStream({ autoClose: false })
    if (plan.mapping === undefined) {
      opened.push({ planned: plan, handle, input, size, source: jsonLinesSource(input) })
      continue
    }
    const source = await openCsvImport(plan.file, input, plan.mapping, aliases)
    if ('problems' in source) {
      await handle.close()
      output.error(source.problems.map(formatLocatedProblem).join('\n'))
      return false
    }
    opened.push({ planned: plan, handle, input, size, source })
  }
  if (
    planned.some((plan) => LEAD_ALIAS_READERS.has(plan.format)) &&
    !planned.some((plan) => plan.format === 'salesforce-lead')
  ) {
    output.error(
      'note: no Salesforce Lead export in this import, so a contact converted from a lead is a lead of its own here (import the Lead export in the same command)',
    )
  }
  return true
}

/** The Salesforce exports whose ids a Lead export's conversion columns lead back to a lead. */
const LEAD_ALIAS_READERS: ReadonlySet<string> = new Set([
  'salesforce-contact',
  'salesforce-opportunity',
  'salesforce-task',
  'salesforce-event',
])

/**
 * Imports an opened export into the store with progress (its lines, then the leads it touched
 * being derived); tells what it did, naming the format when the import has several files.
 */
async function importOpened(
  runtime: Runtime,
  { planned, input, size, source }: OpenedFile,
  nameFormat: boolean,
  options: ImportOptions,
  output: CliOutput,
): Promise<ImportProgress> {
  const progress = progressReporter(output, {
    total: size,
    done: () => input.bytesRead,
    unit: 'lines',
  })
  const derivation = derivationReporter(output)
  const report = await importRecords(replayOf(runtime), source.records, {
    batchSize: importBatchLines(runtime.database.dialect),
    deriveChunkLeads: derivationChunkLeads(runtime.database.dialect),
    onDerivationProgress: (p) => {
      progress.stop()
      derivation.update(p)
    },
    now: runtime.now,
    people: peopleOf(runtime.settings.current().roster.roster),
    systemTimestamp:
      options.receivedAt === 'import-time' ? 'history-import-time' : 'history-occurred-at',
    onProgress: (p) => progress.update(p.linesRead, describeCounts(p)),
    onInvalidLine: (invalid) => {
      for (const told of source.describe(invalid)) {
        output.error(`  ${told}`)
      }
      source.reject(invalid)
    },
  })
  progress.stop()
  derivation.stop()
  const rejects = await source.finish()
  output.print(
    `${planned.file}${nameFormat ? ` (${planned.format})` : ''}: ${report.linesRead} lines — ${report.appended} events recorded, ${report.duplicates} duplicates ignored, ${report.invalid} invalid${rejects === undefined ? '' : ` (refused rows are in ${rejects})`}`,
  )
  return report
}

/**
 * Opens every file (checked before the store is), imports them in import order, then hands the
 * store and the count of refused rows to `then`.
 */
export async function importFilesThen(
  files: readonly string[],
  options: ImportOptions,
  output: CliOutput,
  then: (runtime: Runtime, refused: number) => Promise<void>,
): Promise<void> {
  const opened: OpenedFile[] = []
  try {
    if (!(await openImportFiles(files, options, output, opened))) {
      output.exitCode(1)
      return
    }
    await withRuntime(options, async (runtime) => {
      let refused = 0
      for (const file of opened) {
        refused += (await importOpened(runtime, file, opened.length > 1, options, output)).invalid
      }
      await then(runtime, refused)
    })
  } finally {
    await Promise.all(opened.map(({ handle }) => handle.close()))
  }
}

export async function importFiles(
  files: readonly string[],
  options: ImportOptions,
  output: CliOutput,
): Promise<void> {
  await importFilesThen(files, options, output, (_runtime, refused) => {
    output.exitCode(refused > 0 ? 1 : 0)
    return Promise.resolve()
  })
}

export async function writeSample(options: SampleOptions, output: CliOutput): Promise<void> {
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
}
