import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { replayLead } from '../lifecycle/engine.js'
import type { NewLeadEvent } from '../recorded-event.js'
import { createCalendarSet, deriveSlaClocks } from '../sla-clock-view.js'
import {
  FULL_QUALIFICATION,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../test-support.js'
import { clockMoments } from './clock-runs.js'
import { planEscalations } from './escalation-plan.js'
import { itemApplies } from './item-clocks.js'

const policy = loadDefaultPolicy()
const calendars = createCalendarSet(policy)
const ID = 'lead-p'

/** Every kind of event a lead's history may hold after its creation, in any order. */
const STEPS: readonly ((at: number, variant: number) => NewLeadEvent)[] = [
  (at, v) =>
    leadEvent(
      ID,
      'intent.recorded',
      { action: ['demo-request', 'webinar-live', 'case-study-download', 'blog-visit'][v % 4]! },
      at,
    ),
  (at) => leadEvent(ID, 'lead.enriched', { profile: {} }, at),
  (at, v) => leadEvent(ID, 'owner.assigned', { ownerId: `sdr-${v % 2}`, reason: 'test' }, at),
  (at) => leadEvent(ID, 'sal.accepted', {}, at),
  (at) => leadEvent(ID, 'sal.rejected', { reasonCode: 'REJ-02' }, at),
  (at, v) =>
    leadEvent(
      ID,
      'activity.logged',
      {
        activityType: (['call', 'email', 'meeting'] as const)[v % 3]!,
        outcome: (['connected', 'voicemail', 'held'] as const)[v % 3]!,
      },
      at,
    ),
  (at) =>
    leadEvent(
      ID,
      'meeting.booked',
      { meetingAt: at + 3 * 86_400_000, link: 'https://meet.example.com/x' },
      at,
    ),
  (at) => leadEvent(ID, 'sql.promoted', { aeId: 'ae-1', qualification: FULL_QUALIFICATION }, at),
  (at) => leadEvent(ID, 'ae.accepted', { briefingRead: true }, at),
  (at) => leadEvent(ID, 'opportunity.created', { acv: 50_000 }, at),
  (at, v) => leadEvent(ID, 'opportunity.stage-changed', { stage: 1 + (v % 5) }, at),
  (at, v) => leadEvent(ID, 'opportunity.closed', { outcome: v % 2 === 0 ? 'won' : 'lost' }, at),
  (at, v) =>
    leadEvent(
      ID,
      'handoff.logged',
      { step: v % 2 === 0 ? 'three-way-intro' : 'internal-debrief' },
      at,
    ),
  (at, v) =>
    leadEvent(
      ID,
      'clock.paused',
      {
        item: ['sdr-response-tier-1', 'sal-accept-reject', 'discovery-meeting'][v % 3]!,
        reason: v % 2 === 0 ? 'waiting-on-enrichment' : 'prospect-out-of-office',
      },
      at,
    ),
  (at, v) =>
    leadEvent(
      ID,
      'clock.resumed',
      { item: ['sdr-response-tier-1', 'sal-accept-reject', 'discovery-meeting'][v % 3]! },
      at,
    ),
  (at) => leadEvent(ID, 'lead.recycled', { scenario: 'cadence-exhausted' }, at),
]

const historyArb = fc.record({
  segment: fc.constantFrom('strategic', 'mid-market', undefined),
  steps: fc.array(
    fc.record({
      kind: fc.nat(STEPS.length - 1),
      gapMinutes: fc.nat(3 * 24 * 60),
      variant: fc.nat(11),
    }),
    { maxLength: 40 },
  ),
})

describe('clocks only where they apply', () => {
  it('never starts a clock (view or plan) of an item whose tier, segment or start event does not match', () => {
    fc.assert(
      fc.property(historyArb, ({ segment, steps }) => {
        const profile = segment === undefined ? IDEAL_PROFILE : { ...IDEAL_PROFILE, segment }
        let at = T0
        const events = [
          leadEvent(ID, 'lead.created', { profile, source: 'demo-request' }, at),
          ...steps.map((step) => {
            at += step.gapMinutes * MINUTE + 1
            return STEPS[step.kind]!(at, step.variant)
          }),
        ]
        const { state, effects } = replayLead(events, policy)
        const lead = state!
        const moments = clockMoments(effects)
        const now = at + 30 * 86_400_000
        const started = [
          ...deriveSlaClocks(policy, calendars, lead, effects, now).map((clock) => ({
            itemId: clock.itemId,
            startedAt: clock.startedAt,
          })),
          ...planEscalations(policy, calendars, lead, effects).flatMap((step) =>
            step.clockStartedAt === null
              ? []
              : [{ itemId: step.subjectId, startedAt: step.clockStartedAt }],
          ),
        ]
        for (const { itemId, startedAt } of started) {
          const item = policy.slaItems.find((candidate) => candidate.id === itemId)
          if (!item?.clock) {
            continue // routing-exception queues, opportunity stages and stale triggers
          }
          expect(itemApplies(item, lead), itemId).toBe(true)
          // Each clock's first run begins on its start event: a restart or stop event alone
          // (an activity before any opportunity…) starts nothing.
          const startsOn = item.clock.startsOn
          expect(
            moments.some((moment) => moment.event === startsOn && moment.at <= startedAt),
            `${itemId} started at ${startedAt} without ${startsOn}`,
          ).toBe(true)
          if (item.stage === 'All opp stages') {
            expect(lead.opportunity, itemId).not.toBeNull()
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
