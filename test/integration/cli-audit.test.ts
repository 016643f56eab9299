/**
 * `leadclock audit EXPORT --out report.html` as a user runs it (a child process): the export is
 * imported, its period replayed on the simulated clock and the report written as HTML and
 * Markdown with the figures the hand-built period is known to give (audit-report.test.ts derives
 * them); bad input is told clearly and exits 1.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { metricsReportJson } from '../../src/app/metrics-report.js'
import { DAY, REFERENCE_TIMESTAMP as T0 } from '../../src/domain/test-support.js'
import { AUDIT_HISTORIES } from '../../src/reports/test-support.js'
import { writeSampleJsonl } from '../../src/sample/generate-sample.js'
import type { CliStore } from './cli-process.js'
import { cliStore, leadclock } from './cli-process.js'
import { DIALECTS } from './dialects.js'

type MetricsJson = ReturnType<typeof metricsReportJson>

const iso = (instant: number) => new Date(instant).toISOString()
const PERIOD = ['--from', iso(T0 - DAY), '--to', iso(T0 + DAY)]
const EXPORT = writeSampleJsonl(Object.values(AUDIT_HISTORIES).flat())

/** What the replay and the report tell of the hand-built period, whatever the store. */
const FIGURES = [
  '| SDR Response — Tier 1 | 5 business minutes | 2 business hours | 1 | 3 | 0 | 25.0% | RED | 2 | 50.0% |',
  '| SAL Accept/Reject | 4 business hours | 24 business hours | 1 | 3 | 0 | 25.0% | RED | 0 | 0.0% |',
  'SDR response compliance, every tier weighted by its leads: 25.0% (1/4), RED.',
  'Overall SLA breach rate (leads with at least one clock past its breach threshold): 50.0% (2/4), RED.',
  '| Tier 1 — Hot MQL | 2 | 2 | 0 | 91.5 min | 91.5 min | 3.0 h |',
  '4 MQLs whose first response was decided by the period’s end (touched, closed, or past the breach threshold), 2 never validly touched: leakage 50.0% (2/4)',
  '| webinar | 1 | REJ-02: 1 |',
  'Flagged activities: late-logged 1.',
  '| sdr-ana-lopez | late-logged: 1 |',
]

for (const dialect of DIALECTS) {
  describe(`leadclock audit on ${dialect}`, { timeout: 240_000 }, () => {
    let store: CliStore

    beforeAll(async () => {
      store = await cliStore(dialect, 'cli-audit')
    })
    afterAll(() => store.remove())

    it('imports the export, replays its period and writes the report as HTML and Markdown', async () => {
      const file = join(store.dir, 'export.jsonl')
      await writeFile(file, EXPORT)
      const out = join(store.dir, 'report.html')
      const run = await leadclock(
        ['audit', file, ...PERIOD, '--out', out, ...store.storeArgs],
        store.env,
      )
      expect(run.stderr).toEqual([])
      expect(run.code).toBe(0)
      expect(run.stdout).toEqual([
        `${file}: 19 lines — 19 events recorded, 0 duplicates ignored, 0 invalid`,
        'Replaying the escalation steps due in that history (audit mode, no notifications)…',
        expect.stringMatching(/^ {2}\d+ escalation steps fired\.$/),
        `Measuring the period ${iso(T0 - DAY)} – ${iso(T0 + DAY)}…`,
        `Audit report of 4 leads: ${out} and ${join(store.dir, 'report.md')}`,
      ])
      const html = await readFile(out, 'utf8')
      const markdown = await readFile(join(store.dir, 'report.md'), 'utf8')
      for (const figure of FIGURES) {
        expect(markdown).toContain(figure)
      }
      expect(html).toContain('<td>91.5 min</td>')
      expect(html.match(/<section id=/g)).toHaveLength(7)
      // Compliance, one histogram per tier, rejections by source (no rep breached formally yet).
      expect(html.match(/<figure><svg /g)).toHaveLength(5)
      expect(html).not.toMatch(/<script|https?:/i)
    })

    it('shows the figures `leadclock report metrics` gives for the same period', async () => {
      const run = await leadclock(
        ['report', 'metrics', ...PERIOD, '--format', 'json', ...store.storeArgs],
        store.env,
      )
      expect(run.code).toBe(0)
      const metrics = JSON.parse(run.stdout.join('\n')) as MetricsJson
      const markdown = await readFile(join(store.dir, 'report.md'), 'utf8')
      const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`)
      const measured = metrics.slaCompliance.items.filter((ratio) => ratio.denominator > 0)
      expect(measured.map((ratio) => ratio.id)).toContain('sdr-response-tier-1')
      for (const ratio of measured) {
        const breaches = metrics.slaBreaches.find((breach) => breach.id === ratio.id)
        // Its row: name, target, breach threshold, then the measure's figures.
        const row = markdown.split('\n').find((line) => line.startsWith(`| ${ratio.name} |`))
        expect(
          row
            ?.split('|')
            .slice(4, -1)
            .map((cell) => cell.trim()),
        ).toEqual([
          String(ratio.numerator),
          String(ratio.denominator - ratio.numerator),
          String(ratio.counted.pending.length),
          percent(ratio.value),
          ratio.status?.toUpperCase() ?? '—',
          String(breaches?.numerator),
          percent(breaches?.value ?? null),
        ])
      }
      expect(markdown).toContain(
        `SDR response compliance, every tier weighted by its leads: ${percent(metrics.responseCompliance.weighted.value)} (${metrics.responseCompliance.weighted.numerator}/${metrics.responseCompliance.weighted.denominator})`,
      )
    })

    it('writes the report of rows it could read, tells each refused row and exits 1', async () => {
      const file = join(store.dir, 'with-a-bad-row.jsonl')
      await writeFile(file, `${EXPORT}{"leadId": "lead-e", "type": "lead.created"}\n`)
      const out = join(store.dir, 'partial.md')
      const run = await leadclock(
        ['audit', file, ...PERIOD, '--out', out, ...store.storeArgs],
        store.env,
      )
      expect(run.code).toBe(1)
      expect(run.stdout[0]).toBe(
        `${file}: 20 lines — 0 events recorded, 19 duplicates ignored, 1 invalid`,
      )
      expect(run.stderr[0]).toMatch(/^ {2}line 20: /)
      expect(run.stderr.at(-1)).toBe('1 rows were refused (see above); the report leaves them out.')
      expect(await readFile(out, 'utf8')).toContain(FIGURES[0])
      await expect(stat(join(store.dir, 'partial.html'))).rejects.toThrow()
    })
  })
}

describe('leadclock audit refuses, before opening any store', { timeout: 180_000 }, () => {
  it('an export that does not exist', async () => {
    const missing = await leadclock(['audit', '/nonexistent/export.jsonl', '--out', 'r.html'])
    expect(missing.code).toBe(1)
    expect(missing.stderr[0]).toMatch(/^leadclock: cannot import \/nonexistent\/export\.jsonl/)
  })

  it('a report that is neither HTML nor Markdown', async () => {
    const pdf = await leadclock(['audit', '--out', 'report.pdf'])
    expect(pdf.code).toBe(1)
    expect(pdf.stderr[0]).toBe(
      'leadclock: --out report.pdf: the report is written as HTML (report.html, with report.md beside it) or Markdown (report.md); name the file with one of these extensions',
    )
  })

  it('an export without --out', async () => {
    const noOut = await leadclock(['audit', 'export.jsonl'])
    expect(noOut.code).toBe(1)
    expect(noOut.stderr[0]).toBe(
      'leadclock: audit of an export needs --out report.html (or report.md): where to write its report',
    )
  })

  it('a period that ends before it starts', async () => {
    const backwards = await leadclock([
      'audit',
      '--from',
      '2026-03-10',
      '--to',
      '2026-03-01',
      '--out',
      'r.md',
    ])
    expect(backwards.code).toBe(1)
    expect(backwards.stderr[0]).toBe(
      'leadclock: --from 2026-03-10T00:00:00.000Z must be before --to 2026-03-01T00:00:00.000Z',
    )
  })

  it('an instant without an offset (a usage error, as every option’s)', async () => {
    const noOffset = await leadclock(['audit', '--from', '2026-03-10T09:00', '--out', 'r.md'])
    expect(noOffset.code).toBe(2)
    expect(noOffset.stderr[0]).toContain('"2026-03-10T09:00" has no offset, so its zone is unknown')
  })
})
