/** `leadclock report metrics`: registering loads nothing heavy; the action imports what it runs. */
import type { Command } from 'commander'
import { Option } from 'commander'

import type { CliOutput } from './cli-output.js'
import type { ReportOptions } from './report-command.js'
import { withRuntimeOptions } from './runtime-commands.js'

export function registerReportCommands(program: Command, output: CliOutput): void {
  const report = program.command('report').description('measures over a period')
  withRuntimeOptions(
    report
      .command('metrics')
      .description(
        'SLA compliance, first-response times, cohort funnel, velocity, leakage, rep scores, feedback completion, with RAG (asks the server holding the data folder, if one does)',
      )
      .option(
        '--from <when>',
        'start of the period, inclusive: an ISO 8601 date or instant (default: 30 days before --to)',
      )
      .option('--to <when>', 'end of the period, exclusive (default: now)')
      .addOption(
        new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'),
      ),
  ).action(async (options: ReportOptions) =>
    (await import('./report-command.js')).reportMetrics(options, output),
  )
}
