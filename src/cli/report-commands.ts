/** `leadclock report metrics`: registering loads nothing heavy; the action imports what it runs. */
import type { Command } from 'commander'
import { InvalidArgumentError, Option } from 'commander'

import { CUT_DIMENSIONS, MAX_TREND_WEEKS } from '../reports/metrics/metric-options.js'
import type { CliOutput } from './cli-output.js'
import type { ReportOptions } from './report-command.js'
import { withRuntimeOptions } from './runtime-commands.js'

export function registerReportCommands(program: Command, output: CliOutput): void {
  const report = program.command('report').description('measures over a period')
  withRuntimeOptions(
    report
      .command('metrics')
      .description(
        'MQL → Opportunity, SLA compliance, first-response times, cohort funnel, velocity, leakage, rep scores, feedback completion, contact rate per response time, with RAG; cut by a dimension or week by week (asks the server holding the data folder, if one does)',
      )
      .option(
        '--from <when>',
        'start of the period, inclusive: an ISO 8601 date or instant (default: 30 days before --to)',
      )
      .option('--to <when>', 'end of the period, exclusive (default: now)')
      .addOption(
        new Option('--cut <dimension>', 'every measure per value of this dimension').choices(
          CUT_DIMENSIONS,
        ),
      )
      .option(
        '--trend',
        'the headline measures week by week over the --weeks before --to (takes no --from or --cut)',
      )
      .option(
        '--weeks <n>',
        `weeks of the trend, 1–${MAX_TREND_WEEKS} (default: the policy's measurement.trendWeeks)`,
        trendWeeks,
      )
      .addOption(
        new Option('--format <format>', 'output format').choices(['json', 'text']).default('text'),
      ),
  ).action(async (options: ReportOptions) =>
    (await import('./report-command.js')).reportMetrics(options, output),
  )
}

function trendWeeks(value: string): number {
  const weeks = Number(value)
  if (!/^\d+$/.test(value) || weeks < 1 || weeks > MAX_TREND_WEEKS) {
    throw new InvalidArgumentError(`a whole number of weeks from 1 to ${MAX_TREND_WEEKS}`)
  }
  return weeks
}
