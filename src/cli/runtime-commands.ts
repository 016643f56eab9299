/**
 * `leadclock start | serve | worker | audit | import | lead | erase | sample`: the commands that need the
 * store. Registering them loads nothing heavy; each action imports what it runs.
 */
import type { Command } from 'commander'
import { InvalidArgumentError, Option } from 'commander'

import { dateOrInstantSchema } from '../domain/instant.js'
import type { ImportFormat } from '../connectors/import-formats.js'
import { IMPORT_FORMATS } from '../connectors/import-formats.js'
import { STANDARD_SAMPLE as SAMPLE } from '../sample/standard-sample.js'
import type { CliOutput } from './cli-output.js'
import type { EraseOptions } from './erase-command.js'

export interface RuntimeOptions {
  readonly dataDir?: string
  readonly policy?: string
}

export interface ServeOptions extends RuntimeOptions {
  readonly host: string
  readonly port: string
}

export interface StartOptions extends ServeOptions {
  /** Leads in the sample a first start loads. */
  readonly sampleLeads: number
}

export interface ImportOptions extends RuntimeOptions {
  readonly receivedAt: string
  /** By default the file's extension (JSON Lines) or its header row says. */
  readonly format?: ImportFormat
  /** Mappings of CSV columns to events, each for the export its `format` names. */
  readonly mapping?: string[]
  /** The zone of a HubSpot export's times (the portal's). */
  readonly timeZone?: string
  /** CRM owner → roster person, for every mapping with an `owners` map. */
  readonly owners?: string
}

export interface AuditOptions extends ImportOptions {
  /** Where the report goes: `.html` (with the Markdown beside it) or `.md`; none: replay only. */
  readonly out?: string
  /** Epoch ms: the period audited; by default the 90 days up to now. */
  readonly from?: number
  readonly to?: number
}

export interface SampleOptions {
  readonly out: string
  readonly policy?: string
}

export function withRuntimeOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'embedded database folder (default .leadclock-data; ignored when DATABASE_URL is set)',
    )
    .option('--policy <file>', 'policy YAML file (default: policies/default.yaml)')
}

const actions = () => import('./runtime-actions.js')

/** How an export is read: the same options for `import` and `audit`, so a new format is added once. */
function withImportOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--format <format>',
        "the files' format (default: from the extension, else the header row)",
      ).choices(IMPORT_FORMATS),
    )
    .option(
      '--mapping <file>',
      'YAML mapping of CSV columns to events, for the export its format names, instead of connectors/FORMAT.default.yaml (repeat for several; see mappings/)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--owners <file>',
      "YAML map of CRM owners (HubSpot: owner name; Salesforce: user id) to roster person ids, for every mapping's owners map",
    )
    .option(
      '--time-zone <zone>',
      "the IANA zone (Area/City) of times written without one: a HubSpot export's, the portal's",
    )
    .addOption(
      new Option(
        '--received-at <rule>',
        'system timestamp of a line without receivedAt: its occurredAt (history keeps its own time) or the time of the import',
      )
        .choices(['occurred-at', 'import-time'])
        .default('occurred-at'),
    )
}

function instantArgument(value: string): number {
  const parsed = dateOrInstantSchema.safeParse(value)
  if (!parsed.success) {
    throw new InvalidArgumentError(parsed.error.issues.map((issue) => issue.message).join('; '))
  }
  return parsed.data
}

function wholeNumberOfLeads(value: string): number {
  const leads = Number(value)
  if (!/^\d+$/.test(value) || leads < 1 || !Number.isSafeInteger(leads)) {
    throw new InvalidArgumentError('a whole number of leads, at least 1')
  }
  return leads
}

export function registerRuntimeCommands(program: Command, output: CliOutput): void {
  withRuntimeOptions(
    program
      .command('start')
      .description('the main job: load the sample on first run, then serve the API')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on', '3000')
      .option(
        '--sample-leads <n>',
        'leads in the sample the first run loads (fewer start faster)',
        wholeNumberOfLeads,
        SAMPLE.leads,
      ),
  ).action(async (options: StartOptions) => (await actions()).start(options, output))

  withRuntimeOptions(
    program
      .command('serve')
      .description('serve the HTTP API')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port to listen on', '3000'),
  ).action(async (options: ServeOptions) => (await actions()).serveOnly(options, output))

  withRuntimeOptions(
    program
      .command('worker')
      .description(
        'fire escalation steps and deliver notifications only (run several against one PostgreSQL)',
      ),
  ).action(async (options: RuntimeOptions) => (await actions()).workOnly(options, output))

  withRuntimeOptions(
    withImportOptions(
      program
        .command('audit')
        .argument('[exports...]', 'exports to import first: JSON Lines or CSV (with --mapping)')
        .option(
          '--out <file>',
          'write the audit report: report.html (and report.md beside it), or report.md alone',
        )
        .option(
          '--from <instant>',
          'start of the audited period, ISO 8601 (default: 90 days before --to)',
          instantArgument,
        )
        .option(
          '--to <instant>',
          'end of the audited period, ISO 8601 (default: now)',
          instantArgument,
        )
        .description(
          'import exports (if any), fire every escalation step due in the period on a simulated clock without notifications, and with --out write the audit report',
        ),
    ),
  ).action(async (exports: string[], options: AuditOptions) =>
    (await import('./audit-command.js')).auditPeriod(exports, options, output),
  )

  withRuntimeOptions(
    withImportOptions(
      program
        .command('import')
        .argument(
          '<files...>',
          'CRM exports (HubSpot, Salesforce), CSV files (with --mapping) or JSON Lines files (one event per line)',
        )
        .description(
          'import lead events from CRM exports, CSV files or JSON Lines files (leads first, then deals, then activities), with progress',
        ),
    ),
  ).action(async (files: string[], options: ImportOptions) =>
    (await actions()).importFiles(files, options, output),
  )

  withRuntimeOptions(
    program
      .command('lead')
      .argument('<leadId>', 'lead id')
      .description(
        'show one lead: stage, score, SLA clocks, timeline (asks the server holding the data folder, if one does)',
      ),
  ).action(async (leadId: string, options: RuntimeOptions) =>
    (await import('./lead-command.js')).showLead(leadId, options, output),
  )

  withRuntimeOptions(
    program
      .command('erase')
      .option('--lead <leadId>', 'the lead whose personal data to erase')
      .option('--email <address>', 'erase the personal data of every lead with this email address')
      .description(
        'erase a person’s personal data: event log, audit trail, notifications, projections; reports stay as they were (asks the server holding the data folder, if one does)',
      ),
  ).action(async (options: EraseOptions) =>
    (await import('./erase-command.js')).erase(options, output),
  )

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
    .action(async (options: SampleOptions) => (await actions()).writeSample(options, output))
}
