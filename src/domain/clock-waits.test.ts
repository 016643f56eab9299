import { describe, expect, it } from 'vitest'

import { clockWaits } from './clock-waits.js'
import { replayLead } from './lifecycle/engine.js'
import type { LeadState } from './lead-state.js'
import type { NewLeadEvent } from './recorded-event.js'
import { createCalendarSet, deriveSlaClocks } from './sla-clock-view.js'
import {
  DAY,
  HOUR,
  loadDefaultPolicy,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  salEvents,
  sqlEvents,
} from './test-support.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)

function replayed(events: readonly NewLeadEvent[], now: number) {
  const { state, effects } = replayLead(events, policy)
  if (!state) {
    throw new Error('no lead')
  }
  const started = new Set(
    deriveSlaClocks(policy, calendars, state, effects, now).map((clock) => clock.itemId),
  )
  return { state, started }
}

function reasons(events: readonly NewLeadEvent[], now: number): string[] {
  const { state, started } = replayed(events, now)
  return clockWaits(policy, state, started).map((wait) => wait.reason)
}

// mqlEvents: created T0, demo request T0+1 min (Tier 1 MQL), enriched T0+1 min, routed T0+2 min.
const [created, demoRequest, enriched, routed] = mqlEvents('w')

describe('clockWaits', () => {
  it('an inquiry waits for a qualifying action and for MQL creation', () => {
    expect(reasons([created!], T0 + HOUR)).toEqual([
      'Lead Scoring Latency waits for a qualifying action',
      'CRM Routing Speed waits for MQL creation',
    ])
  })

  it("a Tier 1 MQL's SDR clocks wait for Marketing's half of the handoff, naming what is missing", () => {
    expect(reasons([created!, demoRequest!], T0 + HOUR)).toEqual([
      'SDR Response — Tier 1 waits for Marketing: not routed, not enriched',
      'SAL Accept/Reject waits for Marketing: not routed, not enriched',
      'SAL Resolution Window waits for SAL acceptance',
    ])
    expect(reasons([created!, demoRequest!, routed!], T0 + HOUR)).toEqual([
      'SDR Response — Tier 1 waits for Marketing: not enriched',
      'SAL Accept/Reject waits for Marketing: not enriched',
      'SAL Resolution Window waits for SAL acceptance',
    ])
    expect(reasons([created!, demoRequest!, enriched!, routed!], T0 + HOUR)).toEqual([
      'SAL Resolution Window waits for SAL acceptance',
    ])
  })

  it('names an entry criterion that is not met', () => {
    const { state, started } = replayed([created!, demoRequest!, enriched!], T0 + HOUR)
    const unmet: LeadState = {
      ...state,
      criteria: state.criteria.map((criterion) =>
        criterion.id === 'email-validity' ? { ...criterion, met: false } : criterion,
      ),
    }
    expect(clockWaits(policy, unmet, started)[0]).toEqual({
      itemId: 'sdr-response-tier-1',
      name: 'SDR Response — Tier 1',
      startsOn: 'marketing-handoff-complete',
      waitsFor: 'Marketing',
      missing: ['not routed', 'Email Validity not met'],
      reason: 'SDR Response — Tier 1 waits for Marketing: not routed, Email Validity not met',
    })
  })

  it('a SAL waits for SQL promotion; the internal debrief only for a strategic account', () => {
    expect(reasons(salEvents('w'), T0 + DAY)).toEqual([
      'Three-Way Intro Email waits for SQL promotion',
      'AE SQL Acceptance waits for SQL promotion',
    ])
    const strategic = salEvents('w').map((event) =>
      event.type === 'lead.created'
        ? {
            ...event,
            payload: {
              ...event.payload,
              profile: { ...(event.payload.profile as object), segment: 'strategic' },
            },
          }
        : event,
    )
    expect(reasons(strategic, T0 + DAY)).toEqual([
      'Three-Way Intro Email waits for SQL promotion',
      'Internal Debrief waits for SQL promotion',
      'AE SQL Acceptance waits for SQL promotion',
    ])
  })

  it('an SQL waits for AE acceptance; opportunity items wait until the opportunity exists', () => {
    expect(reasons(sqlEvents('w'), T0 + 3 * DAY)).toEqual([
      'Full Discovery Meeting waits for AE acceptance',
      'AE First Touch — Prospect waits for AE acceptance',
      'Opportunity Creation waits for AE acceptance',
    ])
  })

  it('a lead out of the funnel waits for nothing', () => {
    const { state, started } = replayed(mqlEvents('w'), T0 + HOUR)
    expect(clockWaits(policy, { ...state, stage: 'disqualified' }, started)).toEqual([])
  })
})
