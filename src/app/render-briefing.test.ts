import { describe, expect, it } from 'vitest'

import { buildBriefing } from '../domain/briefing/sql-briefing.js'
import {
  at,
  BRIEFING_LEAD,
  BRIEFING_PEOPLE,
  BRIEFING_QUALIFICATION,
  briefingSqlEvents,
  stateOf,
} from '../domain/briefing/test-support.js'
import type { LeadState } from '../domain/lead-state.js'
import { leadEvent, loadDefaultPolicy } from '../domain/test-support.js'
import { renderBriefingHtml, renderBriefingMarkdown } from './render-briefing.js'

const policy = loadDefaultPolicy()

/** The part of the Markdown under `## heading`, up to the next section. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  if (start === -1) {
    throw new Error(`no section "${heading}"`)
  }
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start + 1, end === -1 ? undefined : end).trimEnd()
}

const lines = (...text: string[]): string => text.join('\n')

describe('the scripted lead: created → MQL → SAL → outreach → qualification → meeting → SQL', () => {
  const state = stateOf(briefingSqlEvents(), policy)
  const newYork = renderBriefingMarkdown(
    buildBriefing(state, policy, BRIEFING_PEOPLE, 'America/New_York'),
  )
  const berlin = renderBriefingMarkdown(
    buildBriefing(state, policy, BRIEFING_PEOPLE, 'Europe/Berlin'),
  )

  it('heads the document with the lead, the SQL date, the SDR and the AE', () => {
    expect(newYork.split('\n').slice(0, 5)).toEqual([
      '# SQL Briefing Document — Dana Reyes at Acmesoft',
      '',
      '**Created:** Mon 9 Mar 2026, 13:00 UTC-04:00 | **SDR:** Ana Silva | **AE:** Omar Haddad',
      '',
      "_Times are in the prospect's time zone (America/New_York)._",
    ])
  })

  it('lists the contact', () => {
    expect(section(newYork, 'Contact')).toBe(
      lines(
        '## Contact',
        '',
        '- **Name:** Dana Reyes',
        '- **Title:** VP Marketing',
        '- **Company:** Acmesoft',
        '- **Email:** dana.reyes@acmesoft.com',
        '- **Phone:** +1 212 555 0142',
        '- **LinkedIn:** https://www.linkedin.com/in/dana-reyes',
        '- **Company size:** 200 employees',
        '- **Industry:** Software',
      ),
    )
  })

  it('says how we got here, with the outreach summary computed from the activities', () => {
    expect(section(newYork, 'How we got here')).toBe(
      lines(
        '## How we got here',
        '',
        '- **MQL source:** Demo or trial request (demo-request)',
        '- **MQL date:** Tue 3 Mar 2026, 09:01 UTC-05:00',
        '- **SAL date:** Tue 3 Mar 2026, 09:10 UTC-05:00',
        '- **SQL date:** Mon 9 Mar 2026, 13:00 UTC-04:00',
        '- **Outreach summary:** 3 calls, 2 emails, 1 LinkedIn message over 6 days; connected on call 2',
      ),
    )
  })

  it('quotes the pain statement line by line', () => {
    expect(section(newYork, 'Pain / problem statement')).toBe(
      lines(
        '## Pain / problem statement',
        '',
        '> Inbound demo requests wait two days for a call.',
        '> We lose about 30% of them to faster rivals.',
      ),
    )
  })

  it('gives every MEDDPIC element of the policy with its gate, confirmed or not', () => {
    expect(section(newYork, 'Qualification notes (MEDDPIC lite)')).toBe(
      lines(
        '## Qualification notes (MEDDPIC lite)',
        '',
        '- **Timeline:** Want something live before the Q2 board meeting',
        '- **Metrics (required):** 30% of demo requests lost; $400k pipeline a quarter',
        '- **Economic Buyer (preferred):** CRO, Sam Ortiz — Dana reports to her',
        '- **Decision Criteria (preferred):** not confirmed — Flag for AE — discovery still in progress',
        '- **Decision Process (required):** Dana shortlists, CRO and CFO sign off',
        '- **Paper Process (optional):** not confirmed — AE handles — not an SDR blocker',
        '- **Implicate Pain (required):** Board asked for faster response this quarter',
        '- **Champion (optional):** Dana',
      ),
    )
  })

  it("gives the meeting in the prospect's time zone (New York is already on summer time)", () => {
    expect(section(newYork, 'Meeting details')).toBe(
      lines(
        '## Meeting details',
        '',
        '- **Date/time:** Thursday 12 March 2026, 11:00 (America/New_York, UTC-04:00)',
        '- **Format:** video',
        '- **Duration:** 45 minutes',
        '- **Attendees:** Dana Reyes (VP Marketing); Lee Park (RevOps lead)',
        '- **Calendar link:** https://meet.example.com/acme-discovery',
      ),
    )
    expect(section(berlin, 'Meeting details')).toBe(
      lines(
        '## Meeting details',
        '',
        '- **Date/time:** Thursday 12 March 2026, 16:00 (Europe/Berlin, UTC+01:00)',
        '- **Format:** video',
        '- **Duration:** 45 minutes',
        '- **Attendees:** Dana Reyes (VP Marketing); Lee Park (RevOps lead)',
        '- **Calendar link:** https://meet.example.com/acme-discovery',
      ),
    )
    expect(berlin).toContain(
      '**Created:** Mon 9 Mar 2026, 18:00 UTC+01:00 | **SDR:** Ana Silva | **AE:** Omar Haddad',
    )
  })

  it('ends with the notes for the AE and the acceptance block', () => {
    expect(section(newYork, 'Notes for AE — read before the call')).toBe(
      lines(
        '## Notes for AE — read before the call',
        '',
        'Lead with the speed-to-lead numbers; the cost angle fell flat.',
        'Avoid talking about replacing their CRM.',
      ),
    )
    expect(section(newYork, 'AE acceptance')).toBe(
      lines(
        '## AE acceptance',
        '',
        '- [ ] I have read this briefing document fully before accepting',
        '- [ ] I formally accept this SQL for AE-led engagement',
        '- **Accepted by:** not yet accepted',
        '- **Date/time:** not yet accepted',
      ),
    )
    expect(newYork.endsWith('- **Date/time:** not yet accepted\n')).toBe(true)
  })

  it('ticks the acceptance block once the AE accepted with the briefing read', () => {
    const accepted = stateOf(
      [
        ...briefingSqlEvents(),
        leadEvent(
          BRIEFING_LEAD,
          'ae.accepted',
          { briefingRead: true },
          at('2026-03-09T18:00:00Z'),
          {
            actor: 'ae-omar',
          },
        ),
      ],
      policy,
    )
    const markdown = renderBriefingMarkdown(
      buildBriefing(accepted, policy, BRIEFING_PEOPLE, 'America/New_York'),
    )
    expect(section(markdown, 'AE acceptance')).toBe(
      lines(
        '## AE acceptance',
        '',
        '- [x] I have read this briefing document fully before accepting',
        '- [x] I formally accept this SQL for AE-led engagement',
        '- **Accepted by:** Omar Haddad',
        '- **Date/time:** Mon 9 Mar 2026, 14:00 UTC-04:00',
      ),
    )
  })

  it('marks a cancelled meeting', () => {
    const cancelled = stateOf(
      [
        ...briefingSqlEvents(),
        leadEvent(
          BRIEFING_LEAD,
          'meeting.cancelled',
          { byProspect: true },
          at('2026-03-10T12:00:00Z'),
        ),
      ],
      policy,
    )
    expect(
      renderBriefingMarkdown(buildBriefing(cancelled, policy, BRIEFING_PEOPLE, 'America/New_York')),
    ).toContain(
      '- **Date/time:** Thursday 12 March 2026, 11:00 (America/New_York, UTC-04:00) — CANCELLED',
    )
  })
})

describe('escaping', () => {
  const hostile = '<script>alert("pwned")</script> & <b>bold</b>'
  const state = stateOf(
    briefingSqlEvents({ ...BRIEFING_QUALIFICATION, painStatement: hostile }),
    policy,
  )
  const withBadLink: LeadState = {
    ...state,
    profile: { ...state.profile, linkedinUrl: 'javascript:alert(1)' },
  }
  const briefing = buildBriefing(withBadLink, policy, BRIEFING_PEOPLE, 'America/New_York')

  it('renders a complete, self-contained HTML page with every bit of user text escaped', () => {
    const page = renderBriefingHtml(briefing)
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n')).toBe(true)
    expect(page.endsWith('</main>\n</body>\n</html>\n')).toBe(true)
    expect(page).toContain('<style>')
    expect(page).not.toMatch(/<link|<script|src=/i)
    expect(page).toContain(
      '<blockquote>&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</blockquote>',
    )
    expect(page).not.toContain('<b>')
    // Only http(s) URLs become links.
    expect(page).toContain('<dt>LinkedIn</dt>\n<dd>javascript:alert(1)</dd>')
    expect(page).toContain(
      '<a href="https://meet.example.com/acme-discovery" rel="noopener noreferrer">',
    )
  })

  it('keeps raw HTML out of the Markdown too', () => {
    expect(section(renderBriefingMarkdown(briefing), 'Pain / problem statement')).toBe(
      lines(
        '## Pain / problem statement',
        '',
        '> \\<script\\>alert("pwned")\\</script\\> & \\<b\\>bold\\</b\\>',
      ),
    )
  })
})
