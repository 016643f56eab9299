import { describe, expect, it } from 'vitest'

import { replayLead } from '../lifecycle/engine.js'
import type { LeadEventPayload } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import type { NewLeadEvent } from '../recorded-event.js'
import {
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../test-support.js'
import {
  briefingCompleteness,
  buildBriefing,
  renderBriefingHtml,
  renderBriefingMarkdown,
  summariseOutreach,
} from './sql-briefing.js'

const policy = loadDefaultPolicy()
const PEOPLE = { sdrName: 'Ana Silva', aeName: 'Omar Haddad' }
const LEAD = 'lead-briefing'
const at = (iso: string): number => Date.parse(iso)

function stateOf(events: readonly NewLeadEvent[]): LeadState {
  const { state } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead state')
  }
  return state
}

const activity = (
  iso: string,
  activityType: 'call' | 'email' | 'linkedin' | 'meeting',
  outcome: 'connected' | 'no-answer' | 'voicemail' | 'sent' | 'replied' | 'held',
  actor = 'sdr-ana',
) =>
  leadEvent(LEAD, 'activity.logged', { activityType, outcome }, at(iso), {
    actor,
    key: `${iso}:${activityType}`,
  })

const QUALIFICATION = {
  painStatement:
    'Inbound demo requests wait two days for a call.\nWe lose about 30% of them to faster rivals.',
  timeline: 'Want something live before the Q2 board meeting',
  meddpic: {
    metrics: '30% of demo requests lost; $400k pipeline a quarter',
    'economic-buyer': 'CRO, Sam Ortiz — Dana reports to her',
    'decision-process': 'Dana shortlists, CRO and CFO sign off',
    'implicate-pain': 'Board asked for faster response this quarter',
    champion: 'Dana',
  },
  notesForAe:
    'Lead with the speed-to-lead numbers; the cost angle fell flat.\nAvoid talking about replacing their CRM.',
}

/** Created Tue 3 Mar 2026 14:00Z; MQL and SAL the same morning. */
function salEvents(
  qualification: LeadEventPayload<'qualification.updated'> = QUALIFICATION,
): NewLeadEvent[] {
  return [
    leadEvent(
      LEAD,
      'lead.created',
      {
        profile: { ...IDEAL_PROFILE, linkedinUrl: 'https://www.linkedin.com/in/dana-reyes' },
        source: 'demo-request',
      },
      T0,
    ),
    leadEvent(LEAD, 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    leadEvent(LEAD, 'lead.enriched', { profile: { companySize: 200 } }, T0 + MINUTE + 1),
    leadEvent(
      LEAD,
      'owner.assigned',
      { ownerId: 'sdr-ana', reason: 'round robin' },
      T0 + 2 * MINUTE,
    ),
    leadEvent(LEAD, 'sal.accepted', {}, T0 + 10 * MINUTE, { actor: 'sdr-ana' }),
    // Outreach: Wed 4 Mar → Mon 9 Mar (US clocks go forward on Sun 8 Mar).
    activity('2026-03-04T15:00:00Z', 'call', 'no-answer'),
    activity('2026-03-04T15:05:00Z', 'email', 'sent'),
    activity('2026-03-05T16:00:00Z', 'linkedin', 'sent'),
    activity('2026-03-06T15:00:00Z', 'call', 'connected'),
    activity('2026-03-06T15:30:00Z', 'email', 'sent'),
    activity('2026-03-09T15:00:00Z', 'call', 'connected'),
    leadEvent(LEAD, 'qualification.updated', qualification, at('2026-03-09T16:00:00Z')),
  ]
}

/** Meeting on Thu 12 Mar 2026 15:00Z; SQL on Mon 9 Mar 17:00Z; an AE call after that. */
function sqlEvents(qualification = QUALIFICATION): NewLeadEvent[] {
  return [
    ...salEvents(qualification),
    leadEvent(
      LEAD,
      'meeting.booked',
      {
        meetingAt: at('2026-03-12T15:00:00Z'),
        link: 'https://meet.example.com/acme-discovery',
        format: 'video',
        durationMinutes: 45,
        attendees: ['Dana Reyes (VP Marketing)', 'Lee Park (RevOps lead)'],
      },
      at('2026-03-09T16:30:00Z'),
    ),
    leadEvent(LEAD, 'sql.promoted', { aeId: 'ae-omar' }, at('2026-03-09T17:00:00Z'), {
      actor: 'sdr-ana',
    }),
    activity('2026-03-10T15:00:00Z', 'call', 'connected', 'ae-omar'),
  ]
}

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
  const state = stateOf(sqlEvents())
  const newYork = renderBriefingMarkdown(buildBriefing(state, policy, PEOPLE, 'America/New_York'))
  const berlin = renderBriefingMarkdown(buildBriefing(state, policy, PEOPLE, 'Europe/Berlin'))

  it('is an SQL', () => {
    expect(state.stage).toBe('sql')
  })

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
    // The AE's call after the SQL is not the SDR's outreach.
    expect(state.activities).toHaveLength(7)
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
    const accepted = stateOf([
      ...sqlEvents(),
      leadEvent(LEAD, 'ae.accepted', { briefingRead: true }, at('2026-03-09T18:00:00Z'), {
        actor: 'ae-omar',
      }),
    ])
    const markdown = renderBriefingMarkdown(
      buildBriefing(accepted, policy, PEOPLE, 'America/New_York'),
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

  it('falls back to the owner and AE ids, and to UTC for an unknown time zone', () => {
    const briefing = buildBriefing(state, policy, {}, 'Mars/Olympus_Mons')
    expect(briefing.timeZone).toBe('UTC')
    expect(briefing.header).toMatchObject({ sdr: 'sdr-ana', ae: 'ae-omar' })
    expect(briefing.meeting?.text).toBe('Thursday 12 March 2026, 15:00 (UTC, UTC+00:00)')
  })
})

describe('summariseOutreach', () => {
  const touch = (iso: string, activityType: string, outcome: string | null) => ({
    activityType,
    outcome,
    occurredAt: at(iso),
    receivedAt: at(iso),
    countsAsFollowUp: true,
    flags: [],
  })

  it("counts calendar days in the prospect's time zone", () => {
    const touches = [
      touch('2026-03-04T15:00:00Z', 'call', 'no-answer'),
      // Fri 6 Mar 23:30 in New York, Sat 7 Mar 05:30 in Berlin.
      touch('2026-03-07T04:30:00Z', 'email', 'replied'),
      touch('2026-03-05T15:00:00Z', 'status-change', null),
    ]
    expect(summariseOutreach(touches, 'America/New_York').text).toBe(
      '1 call, 1 email over 3 days; replied to email 1',
    )
    expect(summariseOutreach(touches, 'Europe/Berlin')).toMatchObject({
      calls: 1,
      emails: 1,
      days: 4,
      connectedOnCall: null,
      text: '1 call, 1 email over 4 days; replied to email 1',
    })
  })

  it('says so when nothing connected, or nothing was logged', () => {
    expect(summariseOutreach([touch('2026-03-04T15:00:00Z', 'linkedin', 'sent')], 'UTC').text).toBe(
      '1 LinkedIn message over 1 day; no connection yet',
    )
    expect(summariseOutreach([], 'UTC').text).toBe('no outreach logged')
  })
})

describe('briefingCompleteness', () => {
  it('passes the scripted SQL and flags the unconfirmed preferred element for the AE', () => {
    const state = stateOf(sqlEvents())
    const briefing = buildBriefing(state, policy, PEOPLE, 'America/New_York')
    expect(briefingCompleteness(state, briefing, policy)).toEqual({
      complete: true,
      missing: [],
      flagsForAe: ['Decision Criteria not confirmed (Flag for AE — discovery still in progress)'],
    })
  })

  it('lists what the SQL gate still needs, as the engine does', () => {
    const state = stateOf(
      salEvents({
        painStatement: 'Slow follow-up on demo requests',
        meddpic: { metrics: '30% of demos lost', 'decision-process': '  ' },
      }),
    )
    const completeness = briefingCompleteness(
      state,
      buildBriefing(state, policy, PEOPLE, 'America/New_York'),
      policy,
    )
    expect(completeness).toEqual({
      complete: false,
      missing: [
        'a booked meeting',
        'timeline is empty',
        'meeting link is empty',
        'MEDDPIC Decision Process is not confirmed',
        'MEDDPIC Implicate Pain is not confirmed',
      ],
      flagsForAe: [
        'Economic Buyer not confirmed (Flag for AE — they accept the risk knowingly)',
        'Decision Criteria not confirmed (Flag for AE — discovery still in progress)',
      ],
    })
  })

  it('does not count a cancelled meeting as booked', () => {
    const state = stateOf([
      ...sqlEvents(),
      leadEvent(LEAD, 'meeting.cancelled', { byProspect: true }, at('2026-03-10T12:00:00Z')),
    ])
    const briefing = buildBriefing(state, policy, PEOPLE, 'America/New_York')
    expect(briefingCompleteness(state, briefing, policy).missing).toEqual(['a booked meeting'])
    expect(renderBriefingMarkdown(briefing)).toContain(
      '- **Date/time:** Thursday 12 March 2026, 11:00 (America/New_York, UTC-04:00) — CANCELLED',
    )
  })
})

describe('escaping', () => {
  const hostile = '<script>alert("pwned")</script> & <b>bold</b>'
  const state = stateOf(sqlEvents({ ...QUALIFICATION, painStatement: hostile }))
  const withBadLink: LeadState = {
    ...state,
    profile: { ...state.profile, linkedinUrl: 'javascript:alert(1)' },
  }
  const briefing = buildBriefing(withBadLink, policy, PEOPLE, 'America/New_York')

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
