import { describe, expect, it } from 'vitest'

import type { LeadRepository } from '../app/lead-repository.js'
import { leadViewJson } from '../app/lead-view-json.js'
import { readLead } from '../app/read-lead.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { createCalendarSet } from '../domain/sla-clock-view.js'
import {
  IDEAL_PROFILE,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
} from '../domain/test-support.js'
import { leadViewText } from './lead-view-text.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

async function textOf(events: readonly NewLeadEvent[], now: number): Promise<string> {
  const recorded = events.map((event, index) => ({
    ...event,
    seq: index + 1,
    eventId: `e${index}`,
  }))
  const repository = { listLeadEvents: () => Promise.resolve(recorded) }
  const view = await readLead(
    { repository: repository as unknown as LeadRepository, policy, calendars },
    'any',
    now,
  )
  if (!view) {
    throw new Error('no lead')
  }
  return leadViewText(leadViewJson(view)).join('\n')
}

/** The same lead in London: T0 is Tuesday 3 March 2026 14:00 GMT. */
function inLondon(events: readonly NewLeadEvent[]): NewLeadEvent[] {
  return events.map((event) =>
    event.type === 'lead.created'
      ? { ...event, payload: { ...event.payload, profile: { ...IDEAL_PROFILE, country: 'GB' } } }
      : event,
  )
}

describe('leadclock lead', () => {
  // Hand-computed on 08:00–18:00 business days from the handoff at Tue 14:02: T+24h is Fri
  // 08:02 (3 h 58 + 10 + 10 + 0 h 02), T+48h is Tue 10 Mar 12:02.
  it('prints a London lead in GMT with UTC beside it, and its labelled escalations', async () => {
    expect(await textOf(inLondon(mqlEvents('lead-uk')), T0 + 10 * MINUTE)).toBe(
      [
        'lead-uk — Dana Reyes at Acmesoft',
        'Stage MQL · tier tier-1 · owner sdr-ana · policy 2.1.0 · times in Europe/London',
        'Score now 95 (fit 100/100): target-industry +20, company-size-in-range +15, economic-buyer-persona +20, demo-request +40',
        '',
        'SLA clock              Status   Started                       Target                        Breach                        Elapsed (min)',
        '─────────────────────  ───────  ────────────────────────────  ────────────────────────────  ────────────────────────────  ─────────────',
        'Lead Scoring Latency   met      Tue 3 Mar 14:01 GMT (14:01Z)  Wed 4 Mar 08:01 GMT (08:01Z)  Wed 4 Mar 12:01 GMT (12:01Z)  0',
        'CRM Routing Speed      met      Tue 3 Mar 14:01 GMT (14:01Z)  Tue 3 Mar 14:16 GMT (14:16Z)  Tue 3 Mar 15:01 GMT (15:01Z)  1',
        'SDR Response — Tier 1  running  Tue 3 Mar 14:02 GMT (14:02Z)  Tue 3 Mar 14:07 GMT (14:07Z)  Tue 3 Mar 16:02 GMT (16:02Z)  8',
        'SAL Accept/Reject      running  Tue 3 Mar 14:02 GMT (14:02Z)  Wed 4 Mar 08:02 GMT (08:02Z)  Fri 6 Mar 08:02 GMT (08:02Z)  8',
        'Sequence Enrollment    running  Tue 3 Mar 14:02 GMT (14:02Z)  Wed 4 Mar 00:00 GMT (00:00Z)  Wed 4 Mar 00:00 GMT (00:00Z)  8',
        '',
        'Not started:',
        '  SAL Resolution Window waits for SAL acceptance',
        '',
        'Upcoming escalation                                               Severity       Due',
        '────────────────────────────────────────────────────────────────  ─────────────  ─────────────────────────────',
        'T+30 · Automated Reminder — CRM System Alert                      reminder       Tue 3 Mar 14:32 GMT (14:32Z)',
        'T+2h · SDR Manager Notified — Direct Outreach                     reminder       Tue 3 Mar 16:02 GMT (16:02Z)',
        'SAL Accept/Reject: target of 4 business hours passed              reminder       Wed 4 Mar 08:02 GMT (08:02Z)',
        'SAL Accept/Reject: breached (24 business hours)                   alert          Fri 6 Mar 08:02 GMT (08:02Z)',
        'T+24h · Formal SLA Breach — Manager Action Required on Record     formal-breach  Fri 6 Mar 08:02 GMT (08:02Z)',
        'T+48h · VP-Level Visibility + Mandatory Root Cause Documentation  critical       Tue 10 Mar 12:02 GMT (12:02Z)',
        '',
        'Occurred                      Event            Actor',
        '────────────────────────────  ───────────────  ─────',
        'Tue 3 Mar 14:00 GMT (14:00Z)  lead.created     —',
        'Tue 3 Mar 14:01 GMT (14:01Z)  intent.recorded  —',
        'Tue 3 Mar 14:01 GMT (14:01Z)  lead.enriched    —',
        'Tue 3 Mar 14:02 GMT (14:02Z)  owner.assigned   —',
      ].join('\n'),
    )
  })

  it('prints a New York lead in EST and says why its SDR clock has not started', async () => {
    const notEnriched = mqlEvents('lead-ny').filter((event) => event.type !== 'lead.enriched')
    expect(await textOf(notEnriched, T0 + 10 * MINUTE)).toBe(
      [
        'lead-ny — Dana Reyes at Acmesoft',
        'Stage MQL · tier tier-1 · owner sdr-ana · policy 2.1.0 · times in America/New_York',
        'Score now 95 (fit 100/100): target-industry +20, company-size-in-range +15, economic-buyer-persona +20, demo-request +40',
        '',
        'SLA clock             Status   Started                       Target                        Breach                        Elapsed (min)',
        '────────────────────  ───────  ────────────────────────────  ────────────────────────────  ────────────────────────────  ─────────────',
        'Lead Scoring Latency  met      Tue 3 Mar 09:01 EST (14:01Z)  Tue 3 Mar 13:01 EST (18:01Z)  Tue 3 Mar 17:01 EST (22:01Z)  0',
        'CRM Routing Speed     met      Tue 3 Mar 09:01 EST (14:01Z)  Tue 3 Mar 09:16 EST (14:16Z)  Tue 3 Mar 10:01 EST (15:01Z)  1',
        'Sequence Enrollment   running  Tue 3 Mar 09:02 EST (14:02Z)  Wed 4 Mar 00:00 EST (05:00Z)  Wed 4 Mar 00:00 EST (05:00Z)  8',
        '',
        'Not started:',
        '  SDR Response — Tier 1 waits for Marketing: not enriched',
        '  SAL Accept/Reject waits for Marketing: not enriched',
        '  SAL Resolution Window waits for SAL acceptance',
        '',
        'Occurred                      Event            Actor',
        '────────────────────────────  ───────────────  ─────',
        'Tue 3 Mar 09:00 EST (14:00Z)  lead.created     —',
        'Tue 3 Mar 09:01 EST (14:01Z)  intent.recorded  —',
        'Tue 3 Mar 09:02 EST (14:02Z)  owner.assigned   —',
      ].join('\n'),
    )
  })

  it('prints a New York step after the DST change in EDT', async () => {
    // From Tue 09:02 EST: T+48h is Mon 9 Mar 17:02, the day after clocks spring forward.
    expect(await textOf(mqlEvents('lead-ny'), T0 + 10 * MINUTE)).toContain(
      'T+48h · VP-Level Visibility + Mandatory Root Cause Documentation  critical       Mon 9 Mar 17:02 EDT (21:02Z)',
    )
  })
})
