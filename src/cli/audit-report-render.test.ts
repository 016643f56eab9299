import { describe, expect, it } from 'vitest'

import { AUDIT_HISTORIES, auditOf } from '../reports/test-support.js'
import { renderAuditHtml, renderAuditMarkdown } from './audit-report-render.js'

const report = auditOf(AUDIT_HISTORIES)
const html = renderAuditHtml(report)
const markdown = renderAuditMarkdown(report)

/** The figures of the hand-built period (audit-report.test.ts derives them), as both files tell them. */
const FIGURES = [
  '| SDR Response — Tier 1 | 5 business minutes | 2 business hours | 1 | 3 | 0 | 25.0% | RED | 2 | 50.0% |',
  '| SAL Accept/Reject | 4 business hours | 24 business hours | 1 | 3 | 0 | 25.0% | RED | 0 | 0.0% |',
  'SDR response compliance, every tier weighted by its leads: 25.0% (1/4), RED.',
  'Overall SLA breach rate (leads with at least one clock past its breach threshold): 50.0% (2/4), RED.',
  '| Tier 1 — Hot MQL | 2 | 2 | 0 | 91.5 min | 91.5 min | 3.0 h |',
  '| Tier 1 — Hot MQL | 1 | 0 | 0 | 1 | 0 | 0 | 2 | 0 |',
  '| Carla Reyes (mgr-carla-reyes) | sdr-ana-lopez, sdr-tom-baker | 3 | 3 | 1 |',
  '4 MQLs whose first response was decided by the period’s end (touched, closed, or past the breach threshold), 2 never validly touched: leakage 50.0% (2/4)',
  '| webinar | 1 | REJ-02: 1 |',
  'Flagged activities: late-logged 1.',
]

describe('the audit report as HTML and Markdown', () => {
  it('writes every section, with an inline SVG per chart', () => {
    for (const id of [
      'compliance',
      'first-response',
      'escalations',
      'leakage',
      'rejections',
      'worst-leads',
      'reality-gap',
    ]) {
      expect(html).toContain(`<section id="${id}">`)
    }
    // Compliance, one histogram per tier (3), escalations per rep, rejections by source.
    expect(html.match(/<figure><svg /g)).toHaveLength(6)
    expect(html.match(/<\/svg><\/figure>/g)).toHaveLength(6)
  })

  it('is readable offline: no script, no stylesheet or image to fetch, no URL at all', () => {
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link/i)
    expect(html).not.toMatch(/<img/i)
    expect(html).not.toMatch(/https?:|\/\//i)
  })

  it('tells the same numbers in the Markdown as in the HTML tables', () => {
    const cellsOf = (row: string) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim())
    for (const figure of FIGURES) {
      expect(markdown).toContain(figure)
      const expected = figure.startsWith('|')
        ? `<tr>${cellsOf(figure)
            .map(
              (cell) =>
                `<td${/^(GREEN|RED)$/.test(cell) ? ` class="rag ${cell.toLowerCase()}"` : ''}>${cell}</td>`,
            )
            .join('')}</tr>`
        : figure
      expect(html).toContain(expected)
    }
    expect(markdown).toContain('**1. lead-c — owner sdr-ana-lopez, tier-1, now mql')
    expect(markdown).not.toMatch(/<svg/)
  })
})
