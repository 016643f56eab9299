/**
 * `leadclock audit [EXPORT…] [--from --to] [--out report.html]`: imports the exports through the
 * import pipeline, replays the period's escalation steps on a simulated clock (audit mode, no
 * notifications), and writes the audit report as self-contained HTML with the Markdown beside it
 * (or the Markdown alone for an `.md` file).
 */
import { writeFile } from 'node:fs/promises'

import { auditHistory } from '../app/audit-history.js'
import { policyOf } from '../main.js'
import type { ReportWindow } from '../reports/report-window.js'
import type { CliOutput } from './cli-output.js'
import { renderAuditHtml, renderAuditMarkdown } from './audit-report-render.js'
import { auditEscalations, importFilesThen, progressReporter } from './runtime-actions.js'
import type { AuditOptions } from './runtime-commands.js'

/** The period audited when `--from` is not given: the 90 days before `--to`. */
const DEFAULT_PERIOD_MS = 90 * 86_400_000

/** The files the report is written to, from `--out`: refused before anything is opened. */
function reportFilesOf(out: string): { html?: string; markdown: string } {
  if (/\.html?$/i.test(out)) {
    return { html: out, markdown: out.replace(/\.html?$/i, '.md') }
  }
  if (/\.md$/i.test(out)) {
    return { markdown: out }
  }
  throw new Error(
    `--out ${out}: the report is written as HTML (report.html, with report.md beside it) or Markdown (report.md); name the file with one of these extensions`,
  )
}

function periodOf(options: AuditOptions, now: number): ReportWindow {
  const to = options.to ?? now
  const from = options.from ?? to - DEFAULT_PERIOD_MS
  if (!(from < to)) {
    throw new Error(
      `--from ${new Date(from).toISOString()} must be before --to ${new Date(to).toISOString()}`,
    )
  }
  return { from, to }
}

export async function auditPeriod(
  exports: readonly string[],
  options: AuditOptions,
  output: CliOutput,
): Promise<void> {
  if (exports.length > 0 && options.out === undefined) {
    throw new Error(
      'audit of an export needs --out report.html (or report.md): where to write its report',
    )
  }
  const files = options.out === undefined ? undefined : reportFilesOf(options.out)
  if (options.from !== undefined && options.to !== undefined) {
    periodOf(options, options.to)
  }
  await importFilesThen(exports, options, output, async (runtime, refused) => {
    const period = periodOf(options, runtime.now())
    await auditEscalations(runtime, output, period.to)
    if (files !== undefined) {
      output.print(
        `Measuring the period ${new Date(period.from).toISOString()} – ${new Date(period.to).toISOString()}…`,
      )
      let measured = 0
      const progress = progressReporter(output, {
        total: await runtime.repository.countLeads({}),
        done: () => measured,
        unit: 'leads',
      })
      const report = await auditHistory(
        { ...runtime.scheduler, policy: policyOf(runtime) },
        period,
        runtime.now(),
        (read) => {
          measured = read
          progress.update(read)
        },
      )
      progress.stop()
      if (files.html !== undefined) {
        await writeFile(files.html, renderAuditHtml(report))
      }
      await writeFile(files.markdown, renderAuditMarkdown(report))
      output.print(
        `Audit report of ${report.leads} leads: ${[files.html, files.markdown].filter(Boolean).join(' and ')}`,
      )
    }
    if (refused > 0) {
      output.error(`${refused} rows were refused (see above); the report leaves them out.`)
    }
    output.exitCode(refused > 0 ? 1 : 0)
  })
}
