/**
 * The audit report as a document: its sections as tables (one source for both renderings, so the
 * HTML and the Markdown tell the same numbers), written as a self-contained HTML page with inline
 * SVG charts and as Markdown.
 */
import type { AuditReport } from '../reports/audit-report.js'
import { LISTED_LEADS, WORST_LEADS } from '../reports/audit-report.js'
import type { RagStatus, RatedRatio } from '../reports/metrics/rated-ratio.js'
import {
  bandLabels,
  complianceChart,
  escalationsChart,
  firstResponseChart,
  rejectionsChart,
} from './audit-charts.js'

interface Table {
  readonly caption?: string
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

interface Section {
  readonly id: string
  readonly title: string
  readonly notes: readonly string[]
  readonly tables: readonly Table[]
  /** Inline SVG charts (HTML only; the tables carry their numbers). */
  readonly charts: () => readonly (string | undefined)[]
}

/** "2026-09-03 14:05 UTC". */
export function formatInstant(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)}%`
}

function formatMinutes(minutes: number | null): string {
  if (minutes === null) {
    return '—'
  }
  return minutes < 120
    ? `${minutes.toFixed(1)} min`
    : minutes < 2880
      ? `${(minutes / 60).toFixed(1)} h`
      : `${(minutes / 1440).toFixed(1)} d`
}

function formatRag(rag: RagStatus | null): string {
  return rag === null ? '—' : rag.toUpperCase()
}

/** "82.7% (124/150), AMBER": a measure with its inputs and, when rated, its status. */
function formatRatio(ratio: RatedRatio): string {
  const status = ratio.status === null ? '' : `, ${formatRag(ratio.status)}`
  return `${formatPercent(ratio.value)} (${ratio.numerator}/${ratio.denominator})${status}`
}

export function auditSections(report: AuditReport): Section[] {
  const { compliance, escalations, leakage, realityGap } = report
  const bands = report.firstResponse[0]?.times.byBand ?? []
  const labels = bandLabels(bands)
  return [
    {
      id: 'compliance',
      title: 'SLA compliance (appendix A)',
      notes: [
        `Each SLA clock that started in the period, judged as of ${formatInstant(report.asOf)}: met (stopped by its target), missed (stopped after it, or still running past it), pending (still running short of its target, in neither count); compliance = met ÷ (met + missed). Breached: past the breach threshold, stopped or still running; breach rate = leads with the item’s clock breached ÷ leads with its clock.`,
        'RAG: compliance against the item’s section-11 metric where it has one, else the SLA-compliance thresholds. Every figure is the metrics module’s (docs/metrics.md), as GET /reports/metrics gives it.',
        `Compliance over every SLA item of the policy (appendix A’s and the other sections’): ${formatRatio(compliance.overall)}.`,
        `SDR response compliance, every tier weighted by its leads: ${formatRatio(compliance.responseWeighted)}.`,
        `Overall SLA breach rate (leads with at least one clock past its breach threshold): ${formatRatio(compliance.overallBreach)}.`,
      ],
      tables: [
        {
          headers: [
            'SLA item',
            'Target',
            'Breach threshold',
            'Met',
            'Missed',
            'Pending',
            'Compliance',
            'RAG',
            'Breached',
            'Breach rate',
          ],
          rows: compliance.items.map((item) =>
            item.compliance === null || item.breaches === null
              ? [
                  item.name,
                  item.target,
                  item.breachThreshold,
                  ...Array<string>(4).fill('—'),
                  'not clocked (checked at its gate)',
                  '—',
                  '—',
                ]
              : [
                  item.name,
                  item.target,
                  item.breachThreshold,
                  String(item.compliance.numerator),
                  String(item.compliance.denominator - item.compliance.numerator),
                  String(item.compliance.counted.pending.length),
                  formatPercent(item.compliance.value),
                  formatRag(item.compliance.status),
                  String(item.breaches.numerator),
                  formatPercent(item.breaches.value),
                ],
          ),
        },
      ],
      charts: () => [complianceChart(report)],
    },
    {
      id: 'first-response',
      title: 'First-response time per tier',
      notes: [
        'Business time from Marketing’s handoff to the first valid follow-up, on the prospect’s calendar. Not responded: the clock stopped without a touch (rejected, recycled, disqualified) or passed its breach threshold untouched; pending: untouched, still short of it.',
        `Bands: seed 001’s response rubric (${bands.map((band, index) => `${labels[index]} ${band.grade}`).join(', ')}).`,
      ],
      tables: [
        {
          headers: [
            'Tier',
            'Responded',
            'Not responded',
            'Pending',
            'Average',
            'Median',
            '90th percentile',
          ],
          rows: report.firstResponse.map(({ tierName, times }) => [
            tierName,
            String(times.responded),
            String(times.notResponded.length),
            String(times.pending.length),
            ...[times.averageMs, times.medianMs, times.p90Ms].map((ms) =>
              formatMinutes(ms === null ? null : ms / 60_000),
            ),
          ]),
        },
        {
          caption: 'Distribution (MQLs per band)',
          headers: ['Tier', ...labels, 'Not responded', 'Pending'],
          rows: report.firstResponse.map(({ tierName, times }) => [
            tierName,
            ...times.byBand.map((band) => String(band.responses)),
            String(times.notResponded.length),
            String(times.pending.length),
          ]),
        },
      ],
      charts: () => report.firstResponse.map(firstResponseChart),
    },
    {
      id: 'escalations',
      title: 'Escalations that would have fired (section 09)',
      notes: [
        `${escalations.fired} escalation steps fired in the period (${escalations.graced} in the grace period, recorded for coaching only).`,
        ...escalations.repeatOffenders.map(
          (offender) =>
            `Repeat offender: ${offender.repId}, ${offender.criticalBreaches} critical breaches in ${offender.period} (${offender.track}).`,
        ),
      ],
      tables: [
        {
          caption: 'By SLA item and severity',
          headers: ['SLA item', 'Severity', 'Fired'],
          rows: escalations.bySubject.map((subject) => [
            subject.subjectId,
            subject.severity,
            String(subject.count),
          ]),
        },
        {
          caption: 'Per rep',
          headers: ['Rep', 'Formal breaches', 'Critical breaches', 'Open'],
          rows: escalations.byRep.map((rep) => [
            `${rep.name} (${rep.personId})`,
            String(rep.formalBreaches),
            String(rep.criticalBreaches),
            String(rep.open),
          ]),
        },
        {
          caption: 'Per manager (their reps’ breaches)',
          headers: ['Manager', 'Reps', 'Formal breaches', 'Critical breaches', 'Open'],
          rows: escalations.byManager.map((manager) => [
            `${manager.name} (${manager.personId})`,
            manager.reps.join(', '),
            String(manager.formalBreaches),
            String(manager.criticalBreaches),
            String(manager.open),
          ]),
        },
      ],
      charts: () => [escalationsChart(report)],
    },
    {
      id: 'leakage',
      title: 'Leakage: MQLs never touched',
      notes: [
        `${leakage.ratio.denominator} MQLs whose first response was decided by the period’s end (touched, closed, or past the breach threshold), ${leakage.ratio.numerator} never validly touched: leakage ${formatRatio(leakage.ratio)}; ${leakage.ratio.counted.pending.length} still short of the breach threshold untouched (pending).`,
        ...(leakage.ratio.numerator > LISTED_LEADS
          ? [`The ${LISTED_LEADS} oldest untouched MQLs:`]
          : []),
      ],
      tables: [
        {
          headers: ['Lead', 'Owner', 'Tier', 'MQL at'],
          rows: leakage.leads.map((lead) => [
            lead.leadId,
            lead.ownerId ?? '—',
            lead.tier ?? '—',
            lead.mqlAt === null ? '—' : formatInstant(lead.mqlAt),
          ]),
        },
      ],
      charts: () => [],
    },
    {
      id: 'rejections',
      title: 'Rejection codes by source',
      notes: ['SAL and AE rejections recorded in the period, by the lead’s source.'],
      tables: [
        {
          headers: ['Source', 'Rejections', 'By code'],
          rows: report.rejections.map((source) => [
            source.source,
            String(source.total),
            Object.entries(source.byCode)
              .map(([code, count]) => `${code}: ${count}`)
              .join(', '),
          ]),
        },
      ],
      charts: () => [rejectionsChart(report)],
    },
    {
      id: 'worst-leads',
      title: `The worst ${WORST_LEADS} leads`,
      notes: [
        'Ranked by critical escalations, formal breaches, SLA items breached, then time past the breach thresholds.',
      ],
      tables: report.worstLeads.map((lead, index) => ({
        caption: `${index + 1}. ${lead.leadId} — owner ${lead.ownerId ?? 'none'}, ${lead.tier ?? 'no tier'}, now ${lead.stage}; breached: ${lead.breaches.join(', ') || 'none'}; ${lead.criticalEscalations} critical, ${lead.formalEscalations} formal; ${formatMinutes(lead.overdueMs / 60_000)} past breach`,
        headers: ['When', 'What'],
        rows: lead.timeline.map((entry) => [formatInstant(entry.at), entry.what]),
      })),
      charts: () => [],
    },
    {
      id: 'reality-gap',
      title: 'CRM-reality gap',
      notes: [
        'Activities logged long after they happened (late-logged) or claimed before the lead existed: their clocks count from when Leadclock saw them.',
        Object.keys(realityGap.byFlag).length === 0
          ? 'No activity of the period was flagged.'
          : `Flagged activities: ${Object.entries(realityGap.byFlag)
              .map(([flag, count]) => `${flag} ${count}`)
              .join(', ')}.`,
      ],
      tables: [
        {
          headers: ['Rep', 'Flags'],
          rows: realityGap.byRep.map((rep) => [
            rep.repId,
            Object.entries(rep.flags)
              .map(([flag, count]) => `${flag}: ${count}`)
              .join(', '),
          ]),
        },
      ],
      charts: () => [],
    },
  ]
}

function headline(report: AuditReport): string {
  return `${report.leads} leads active from ${formatInstant(report.window.from)} to ${formatInstant(report.window.to)}, judged as of ${formatInstant(report.asOf)} under policy ${report.policyVersion}.`
}

const TITLE = 'Leadclock audit report'

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function renderAuditMarkdown(report: AuditReport): string {
  const lines = [`# ${TITLE}`, '', headline(report), '']
  for (const section of auditSections(report)) {
    lines.push(`## ${section.title}`, '')
    for (const note of section.notes) {
      lines.push(note, '')
    }
    for (const table of section.tables) {
      if (table.caption) {
        lines.push(`**${escapeMarkdown(table.caption)}**`, '')
      }
      if (table.rows.length === 0) {
        lines.push('(none)', '')
        continue
      }
      lines.push(
        `| ${table.headers.map(escapeMarkdown).join(' | ')} |`,
        `|${table.headers.map(() => ' --- |').join('')}`,
        ...table.rows.map((row) => `| ${row.map(escapeMarkdown).join(' | ')} |`),
        '',
      )
    }
  }
  return lines.join('\n')
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

function htmlCell(text: string, tag: 'td' | 'th'): string {
  const rag = /^(GREEN|AMBER|RED)$/.test(text) ? ` class="rag ${text.toLowerCase()}"` : ''
  return `<${tag}${rag}>${escapeHtml(text)}</${tag}>`
}

function htmlTable(table: Table): string {
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : ''
  if (table.rows.length === 0) {
    return `<table>${caption}<tbody><tr><td>(none)</td></tr></tbody></table>`
  }
  return [
    `<table>${caption}`,
    `<thead><tr>${table.headers.map((header) => htmlCell(header, 'th')).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map((row) => `<tr>${row.map((cell) => htmlCell(cell, 'td')).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n')
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 62rem; color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .25rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: .75rem 0 1.25rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f7; }
.rag { font-weight: 700; color: #fff; text-align: center; }
.rag.green { background: #2e7d32; } .rag.amber { background: #f9a825; color: #1d1d1f; } .rag.red { background: #c62828; }
figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
nav a { margin-right: 1rem; }
`

export function renderAuditHtml(report: AuditReport): string {
  const sections = auditSections(report)
  const body = sections.map((section) =>
    [
      `<section id="${section.id}">`,
      `<h2>${escapeHtml(section.title)}</h2>`,
      ...section.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
      ...section
        .charts()
        .flatMap((chart) => (chart === undefined ? [] : [`<figure>${chart}</figure>`])),
      ...section.tables.map(htmlTable),
      '</section>',
    ].join('\n'),
  )
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${TITLE}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${TITLE}</h1>`,
    `<p>${escapeHtml(headline(report))}</p>`,
    `<nav>${sections.map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`).join('')}</nav>`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
