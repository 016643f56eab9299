/**
 * The SQL briefing document as Markdown and as a self-contained HTML page, for the AE to read
 * before accepting the SQL. Presentation only: the domain builds the Briefing
 * (`buildBriefing`), this lays it out and escapes the user text in it.
 */
import type { Briefing } from '../domain/briefing/sql-briefing.js'

const NOT_RECORDED = 'not recorded'
const NOT_CONFIRMED = 'not confirmed'

interface Field {
  readonly label: string
  readonly value: string
  /** Render the value as a link (only http(s) URLs ever are). */
  readonly url?: boolean
}

interface Section {
  readonly heading: string
  readonly fields?: readonly Field[]
  /** Free text in the prospect's or the SDR's words. */
  readonly quote?: string
  readonly body?: string
  readonly checklist?: readonly { readonly checked: boolean; readonly text: string }[]
}

function sections(briefing: Briefing): Section[] {
  const { contact, history, meeting } = briefing
  const orNot = (value: string | null): string => value ?? NOT_RECORDED
  const acceptance = briefing.acceptance
  return [
    {
      heading: 'Contact',
      fields: [
        { label: 'Name', value: contact.name },
        { label: 'Title', value: orNot(contact.title) },
        { label: 'Company', value: orNot(contact.company) },
        { label: 'Email', value: orNot(contact.email) },
        { label: 'Phone', value: orNot(contact.phone) },
        { label: 'LinkedIn', value: orNot(contact.linkedinUrl), url: contact.linkedinUrl !== null },
        {
          label: 'Company size',
          value:
            contact.companySize === null
              ? NOT_RECORDED
              : `${contact.companySize} ${contact.companySize === 1 ? 'employee' : 'employees'}`,
        },
        { label: 'Industry', value: orNot(contact.industry) },
      ],
    },
    {
      heading: 'How we got here',
      fields: [
        {
          label: 'MQL source',
          value:
            history.mqlSource === history.mqlSourceId
              ? history.mqlSource
              : `${history.mqlSource} (${history.mqlSourceId})`,
        },
        { label: 'MQL date', value: history.mqlText },
        { label: 'SAL date', value: history.salText },
        { label: 'SQL date', value: history.sqlText },
        { label: 'Outreach summary', value: history.outreach.text },
      ],
    },
    { heading: 'Pain / problem statement', quote: orNot(briefing.painStatement) },
    {
      heading: 'Qualification notes (MEDDPIC lite)',
      fields: [
        { label: 'Timeline', value: orNot(briefing.timeline) },
        ...briefing.qualification.map((element) => ({
          label: `${element.name} (${element.gate})`,
          value: element.confirmed ?? `${NOT_CONFIRMED} — ${element.ifNotConfirmed}`,
        })),
      ],
    },
    {
      heading: 'Meeting details',
      fields: [
        {
          label: 'Date/time',
          value:
            meeting === null
              ? 'no meeting booked'
              : meeting.cancelled
                ? `${meeting.text} — CANCELLED`
                : meeting.text,
        },
        { label: 'Format', value: orNot(meeting?.format ?? null) },
        {
          label: 'Duration',
          value: orNot(
            meeting?.durationMinutes === null || meeting === null
              ? null
              : `${meeting.durationMinutes} minutes`,
          ),
        },
        {
          label: 'Attendees',
          value: orNot(
            meeting === null || meeting.attendees.length === 0
              ? null
              : meeting.attendees.join('; '),
          ),
        },
        {
          label: 'Calendar link',
          value: orNot(briefing.meetingLink),
          url: briefing.meetingLink !== null,
        },
      ],
    },
    { heading: 'Notes for AE — read before the call', body: orNot(briefing.notesForAe) },
    {
      heading: 'AE acceptance',
      checklist: acceptance.statements.map((statement) => ({
        checked: acceptance.accepted,
        text: statement,
      })),
      fields: [
        { label: 'Accepted by', value: acceptance.acceptedBy ?? 'not yet accepted' },
        { label: 'Date/time', value: acceptance.acceptedText ?? 'not yet accepted' },
      ],
    },
  ]
}

function headerFields(briefing: Briefing): Field[] {
  return [
    { label: 'Created', value: briefing.header.createdText },
    { label: 'SDR', value: briefing.header.sdr },
    { label: 'AE', value: briefing.header.ae },
  ]
}

export function renderBriefingMarkdown(briefing: Briefing): string {
  const lines: string[] = [
    `# ${md(briefing.header.title)}`,
    '',
    headerFields(briefing)
      .map((field) => `**${md(field.label)}:** ${md(field.value)}`)
      .join(' | '),
    '',
    `_Times are in the prospect's time zone (${md(briefing.timeZone)})._`,
  ]
  for (const section of sections(briefing)) {
    lines.push('', `## ${section.heading}`, '')
    if (section.quote !== undefined) {
      lines.push(...section.quote.split('\n').map((line) => `> ${md(line)}`.trimEnd()))
    }
    if (section.body !== undefined) {
      lines.push(...section.body.split('\n').map(md))
    }
    for (const item of section.checklist ?? []) {
      lines.push(`- [${item.checked ? 'x' : ' '}] ${md(item.text)}`)
    }
    for (const field of section.fields ?? []) {
      lines.push(`- **${md(field.label)}:** ${md(field.value)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

const STYLESHEET = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430; background: #f4f5f7; margin: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 2rem 2.5rem; background: #fff; border: 1px solid #d9dde3; border-radius: 6px; }
h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
h2 { font-size: 0.85rem; letter-spacing: 0.06em; text-transform: uppercase; color: #4a5568; border-bottom: 1px solid #e2e5ea; padding-bottom: 0.25rem; margin: 1.75rem 0 0.75rem; }
.meta { color: #4a5568; margin: 0; }
.meta span + span::before { content: " | "; color: #a0aab8; }
.zone { color: #6b7585; font-size: 0.85rem; margin: 0.25rem 0 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
blockquote { margin: 0; padding: 0.5rem 1rem; border-left: 3px solid #3b6fd8; background: #f3f6fd; white-space: pre-line; }
.notes { white-space: pre-line; margin: 0; }
ul.checklist { list-style: none; padding: 0; margin: 0 0 0.75rem; }
ul.checklist li::before { content: "\\2610\\00a0\\00a0"; }
ul.checklist li.checked::before { content: "\\2611\\00a0\\00a0"; }
`.trim()

export function renderBriefingHtml(briefing: Briefing): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(briefing.header.title)}</title>`,
    `<style>\n${STYLESHEET}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${html(briefing.header.title)}</h1>`,
    `<p class="meta">${headerFields(briefing)
      .map((field) => `<span><strong>${html(field.label)}:</strong> ${html(field.value)}</span>`)
      .join('')}</p>`,
    `<p class="zone">Times are in the prospect's time zone (${html(briefing.timeZone)}).</p>`,
  ]
  for (const section of sections(briefing)) {
    out.push('<section>', `<h2>${html(section.heading)}</h2>`)
    if (section.quote !== undefined) {
      out.push(`<blockquote>${html(section.quote)}</blockquote>`)
    }
    if (section.body !== undefined) {
      out.push(`<p class="notes">${html(section.body)}</p>`)
    }
    if (section.checklist) {
      out.push('<ul class="checklist">')
      for (const item of section.checklist) {
        out.push(`<li${item.checked ? ' class="checked"' : ''}>${html(item.text)}</li>`)
      }
      out.push('</ul>')
    }
    if (section.fields) {
      out.push('<dl>')
      for (const field of section.fields) {
        out.push(`<dt>${html(field.label)}</dt>`, `<dd>${htmlValue(field)}</dd>`)
      }
      out.push('</dl>')
    }
    out.push('</section>')
  }
  out.push('</main>', '</body>', '</html>')
  return `${out.join('\n')}\n`
}

/**
 * Escapes what Markdown would read as markup or raw HTML in user text (underscores inside words
 * stay: they are not emphasis, and names, addresses and time zones stay readable).
 */
function md(value: string): string {
  return value
    .replace(/[\\`*[\]<>]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/^(\s*)#/, '$1\\#')
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function html(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

function htmlValue(field: Field): string {
  if (field.url && /^https?:\/\/[^\s]+$/i.test(field.value)) {
    return `<a href="${html(field.value)}" rel="noopener noreferrer">${html(field.value)}</a>`
  }
  return html(field.value)
}
