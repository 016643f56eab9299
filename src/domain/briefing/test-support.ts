/**
 * The scripted lead of the briefing tests (created → MQL → SAL → outreach → qualification →
 * meeting → SQL), shared by the domain's and the renderer's tests. Not imported by production code.
 */
import type { Policy } from '../../policy/policy-schema.js'
import type { LeadEventPayload } from '../lead-events.js'
import type { LeadState } from '../lead-state.js'
import { replayLead } from '../lifecycle/engine.js'
import type { NewLeadEvent } from '../recorded-event.js'
import { IDEAL_PROFILE, leadEvent, MINUTE, REFERENCE_TIMESTAMP as T0 } from '../test-support.js'

export const BRIEFING_LEAD = 'lead-briefing'
export const BRIEFING_PEOPLE = { sdrName: 'Ana Silva', aeName: 'Omar Haddad' }
export const at = (iso: string): number => Date.parse(iso)

export function stateOf(events: readonly NewLeadEvent[], policy: Policy): LeadState {
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
  leadEvent(BRIEFING_LEAD, 'activity.logged', { activityType, outcome }, at(iso), {
    actor,
    key: `${iso}:${activityType}`,
  })

export const BRIEFING_QUALIFICATION = {
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
export function briefingSalEvents(
  qualification: LeadEventPayload<'qualification.updated'> = BRIEFING_QUALIFICATION,
): NewLeadEvent[] {
  return [
    leadEvent(
      BRIEFING_LEAD,
      'lead.created',
      {
        profile: { ...IDEAL_PROFILE, linkedinUrl: 'https://www.linkedin.com/in/dana-reyes' },
        source: 'demo-request',
      },
      T0,
    ),
    leadEvent(BRIEFING_LEAD, 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    leadEvent(BRIEFING_LEAD, 'lead.enriched', { profile: { companySize: 200 } }, T0 + MINUTE + 1),
    leadEvent(
      BRIEFING_LEAD,
      'owner.assigned',
      { ownerId: 'sdr-ana', reason: 'round robin' },
      T0 + 2 * MINUTE,
    ),
    leadEvent(BRIEFING_LEAD, 'sal.accepted', {}, T0 + 10 * MINUTE, { actor: 'sdr-ana' }),
    // Outreach: Wed 4 Mar → Mon 9 Mar (US clocks go forward on Sun 8 Mar).
    activity('2026-03-04T15:00:00Z', 'call', 'no-answer'),
    activity('2026-03-04T15:05:00Z', 'email', 'sent'),
    activity('2026-03-05T16:00:00Z', 'linkedin', 'sent'),
    activity('2026-03-06T15:00:00Z', 'call', 'connected'),
    activity('2026-03-06T15:30:00Z', 'email', 'sent'),
    activity('2026-03-09T15:00:00Z', 'call', 'connected'),
    leadEvent(BRIEFING_LEAD, 'qualification.updated', qualification, at('2026-03-09T16:00:00Z')),
  ]
}

/** Meeting on Thu 12 Mar 2026 15:00Z; SQL on Mon 9 Mar 17:00Z; an AE call after that. */
export function briefingSqlEvents(qualification = BRIEFING_QUALIFICATION): NewLeadEvent[] {
  return [
    ...briefingSalEvents(qualification),
    leadEvent(
      BRIEFING_LEAD,
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
    leadEvent(BRIEFING_LEAD, 'sql.promoted', { aeId: 'ae-omar' }, at('2026-03-09T17:00:00Z'), {
      actor: 'sdr-ana',
    }),
    activity('2026-03-10T15:00:00Z', 'call', 'connected', 'ae-omar'),
  ]
}
