/**
 * A hand-built period whose audit report is known: four Tier 1 MQLs and the escalation report of
 * the same window (audit-report.test.ts derives every figure).
 */
import { replayLead } from '../domain/lifecycle/engine.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { isClockEvent } from '../domain/lead-snapshot.js'
import { createCalendarSet } from '../domain/sla-clock-view.js'
import { loadDefaultRoster } from '../domain/team/test-support.js'
import {
  DAY,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  withOwnAddress,
} from '../domain/test-support.js'
import type { AuditReport } from './audit-report.js'
import { AuditTally } from './audit-report.js'
import type { EscalationReport } from './escalation-report.js'

export const policy = loadDefaultPolicy()
export const roster = loadDefaultRoster(policy)
const calendars = createCalendarSet(policy)
/** Tuesday 09:02 in New York: each lead's Tier 1 handoff is complete (routed and enriched). */
/** The SDR of every lead: a person of the default roster. */
const OWNER = 'sdr-ana-lopez'
export const HANDOFF = T0 + 2 * MINUTE
export const WINDOW = { from: T0 - DAY, to: T0 + DAY }

const call = (leadId: string, at: number, receivedAt = at) =>
  leadEvent(leadId, 'activity.logged', { activityType: 'call' }, at, { receivedAt })

/**
 * Four Tier 1 MQLs owned by sdr-ana-lopez: A called after 3 minutes (met); B's call claimed at 90
 * minutes but logged at 180 (late-logged: the clock stops when it was logged, past the 2-hour
 * breach); C never called (still running past the breach at the period's end); D rejected as
 * REJ-02 after 28 minutes, untouched (late: after the 5-minute target, before the breach). Each
 * has its own address, or intake would take B, C and D for duplicates of A.
 */
export const AUDIT_HISTORIES: Record<string, NewLeadEvent[]> = Object.fromEntries(
  Object.entries({
    'lead-a': [...mqlEvents('lead-a', T0, OWNER), call('lead-a', HANDOFF + 3 * MINUTE)],
    'lead-b': [
      ...mqlEvents('lead-b', T0, OWNER),
      call('lead-b', HANDOFF + 90 * MINUTE, HANDOFF + 180 * MINUTE),
    ],
    'lead-c': mqlEvents('lead-c', T0, OWNER),
    'lead-d': [
      leadEvent('lead-d', 'lead.created', { profile: IDEAL_PROFILE, source: 'webinar' }, T0),
      ...mqlEvents('lead-d', T0, OWNER).slice(1),
      leadEvent('lead-d', 'sal.rejected', { reasonCode: 'REJ-02' }, HANDOFF + 28 * MINUTE),
    ],
  }).map(([leadId, events]) => [leadId, withOwnAddress(events)]),
)

/** The escalation report of the same window, as the store would give it. */
export const AUDIT_ESCALATIONS: EscalationReport = {
  fired: 9,
  routineNotifications: 0,
  graced: 0,
  bySubject: [{ subjectId: 'sdr-response-tier-1', severity: 'critical', count: 3 }],
  open: [],
  byRep: [
    {
      repId: 'sdr-ana-lopez',
      formalBreaches: 2,
      criticalBreaches: 1,
      open: 1,
      crmRealityFlags: { 'late-logged': 1 },
    },
    {
      repId: 'sdr-tom-baker',
      formalBreaches: 1,
      criticalBreaches: 2,
      open: 0,
      crmRealityFlags: {},
    },
    {
      repId: 'ae-omar-haddad',
      formalBreaches: 1,
      criticalBreaches: 0,
      open: 1,
      crmRealityFlags: {},
    },
    {
      repId: 'sdr-jake-turner',
      formalBreaches: 0,
      criticalBreaches: 0,
      open: 0,
      crmRealityFlags: {},
    },
  ],
  repeatOffenders: [],
  lagMs: null,
}

export function auditOf(histories: Record<string, NewLeadEvent[]>): AuditReport {
  const tally = new AuditTally(policy, calendars, WINDOW, WINDOW.to)
  for (const events of Object.values(histories)) {
    const { state, effects } = replayLead(events, policy, 'validated')
    if (state) {
      tally.add(state, effects.filter(isClockEvent))
    }
  }
  return tally.report(AUDIT_ESCALATIONS, roster)
}
