/**
 * Live routing (R1–R3): an MQL without an owner gets exactly one routing decision — an owner with
 * the rule that matched and the next action due, or an exception/triage queue, or nurture during
 * a surge — recorded in the routing log and as an event of the lead. Audit replays of history do
 * not route: their events already say who owned the lead.
 */
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { RoutingDecision } from '../routing/route-lead.js'
import { decisionDueAt, routeLead } from '../routing/route-lead.js'
import { surgeStatus } from '../routing/surge.js'
import type { LeadTransaction } from './lead-repository.js'

export interface LiveRouting {
  readonly roster: () => Roster
  readonly calendars: CalendarSet
}

export const ROUTER_ACTOR = { id: 'leadclock-router', role: 'system' } as const

const DAY_MS = 86_400_000

function routedEvent(
  state: LeadState,
  decision: RoutingDecision,
  at: number,
  slaStretch: number,
): NewLeadEvent {
  const envelope = {
    idempotencyKey: `route:${state.leadId}:${state.mqlCount}`,
    leadId: state.leadId,
    occurredAt: at,
    receivedAt: at,
    actor: ROUTER_ACTOR,
    source: 'system',
  }
  switch (decision.kind) {
    case 'assigned':
      return {
        ...envelope,
        type: 'owner.assigned',
        payload: {
          ownerId: decision.ownerId,
          reason: `${decision.rule}: ${decision.reason}`,
          ...(slaStretch === 1 ? {} : { slaStretch }),
        },
      }
    case 'exception':
      return {
        ...envelope,
        type: 'lead.routed',
        payload: {
          outcome: decision.queue === 'triage' ? 'triage' : 'exception',
          queue: decision.queue,
          reason: decision.reason,
          dueAt: decision.dueAt,
        },
      }
    case 'queued':
      return {
        ...envelope,
        type: 'lead.routed',
        payload: {
          outcome: 'queued',
          queue: decision.queue,
          reason: `${decision.rule}: ${decision.reason}`,
          dueAt: decision.dueAt,
        },
      }
    case 'nurture':
      return {
        ...envelope,
        type: 'lead.routed',
        payload: {
          outcome: 'nurture',
          reason: decision.reason,
          dueAt: decision.followUpTask.dueAt,
        },
      }
  }
}

/**
 * Routes `state` at `at` when it is an MQL nobody owns. Returns the event it appended (the caller
 * re-derives the lead), or undefined when there was nothing to route.
 */
export async function routeUnownedMql(
  tx: LeadTransaction,
  state: LeadState,
  policy: Policy,
  routing: LiveRouting,
  at: number,
): Promise<NewLeadEvent | undefined> {
  if (state.stage !== 'mql' || state.ownerId !== null || state.tier === null) {
    return undefined
  }
  const dayStart = Math.floor(at / DAY_MS) * DAY_MS
  const today = new Date(dayStart).toISOString().slice(0, 10)
  const counts = await tx.routing.dailyRoutedCounts(dayStart - 31 * DAY_MS, dayStart + DAY_MS)
  // This MQL counts toward today's volume.
  counts.set(today, (counts.get(today) ?? 0) + 1)
  const surge = surgeStatus(counts, today, policy)
  const last = await tx.routing.lastSurgeChange()
  const surgeWasActive = last?.kind === 'surge-started'
  if (surge.active !== surgeWasActive) {
    await tx.routing.recordSurgeChange({
      kind: surge.active ? 'surge-started' : 'surge-ended',
      at,
      reason: `${surge.todayCount} MQL${surge.todayCount === 1 ? '' : 's'} today against a trailing average of ${surge.trailingAverage.toFixed(2)} a day (surge above ${surge.threshold.toFixed(2)})`,
    })
  }
  const decision = routeLead(
    {
      leadId: state.leadId,
      profile: state.profile,
      tier: state.tier,
      acvTier: state.acvTier?.tierId ?? null,
      at,
    },
    {
      roster: routing.roster(),
      policy,
      calendars: routing.calendars,
      load: await tx.routing.load(dayStart, dayStart + DAY_MS),
      surgeActive: surge.active,
      afterHoursToNextRegion: policy.routing.afterHoursToNextRegion,
    },
  )
  const recorded = await tx.routing.recordDecision({
    kind: decision.kind === 'exception' && decision.queue === 'triage' ? 'triage' : decision.kind,
    leadId: state.leadId,
    mqlNumber: state.mqlCount,
    decidedAt: at,
    ownerId: decision.kind === 'assigned' ? decision.ownerId : null,
    rule: decision.kind === 'assigned' || decision.kind === 'queued' ? decision.rule : null,
    queue: decision.kind === 'exception' || decision.kind === 'queued' ? decision.queue : null,
    reason: decision.reason,
    dueAt: decisionDueAt(decision),
  })
  if (!recorded) {
    return undefined
  }
  const event = routedEvent(state, decision, at, surge.active ? policy.surge.slaStretch : 1)
  await tx.appendEvent(event)
  return event
}
