/**
 * Why an SLA clock has not started: for each item of the policy that applies to the lead (its
 * tier, segment, opportunity: `itemApplies`) and whose start comes next in the lead's stage, what
 * it waits for, e.g. "SDR Response — Tier 1 waits for Marketing: not enriched". Pure: from the
 * lead's state and the policy.
 */
import type { Policy } from '../policy/policy-schema.js'
import type { ClockEventName } from './clock-events.js'
import { itemApplies } from './escalation/item-clocks.js'
import type { LeadState } from './lead-state.js'

export interface ClockWait {
  readonly itemId: string
  readonly name: string
  readonly startsOn: ClockEventName
  /** Who or what the clock waits for, e.g. "Marketing" or "SQL promotion". */
  readonly waitsFor: string
  /** What is missing for it to start, e.g. ["not enriched"]; empty when the event itself is. */
  readonly missing: readonly string[]
  readonly reason: string
}

interface AwaitedStart {
  /** The stages in which the lead waits for this event next. */
  readonly stages: readonly string[]
  readonly waitsFor: string
  readonly missing?: (lead: LeadState) => string[]
}

/**
 * The start events a lead waits on, by stage: only the clocks that come next are shown, not every
 * clock of later stages. Conditional starts (a connected call that does not convert) are not waits;
 * the opportunity items apply only once the opportunity exists.
 */
const AWAITED_STARTS: Readonly<Partial<Record<ClockEventName, AwaitedStart>>> = {
  'qualifying-action': { stages: ['inquiry'], waitsFor: 'a qualifying action' },
  'mql-created': { stages: ['inquiry'], waitsFor: 'MQL creation' },
  // The bilateral start: the SDR's clocks start once Marketing's half of the handoff is done.
  'marketing-handoff-complete': { stages: ['mql'], waitsFor: 'Marketing', missing: handoffMissing },
  'sal-accepted': { stages: ['mql'], waitsFor: 'SAL acceptance' },
  'sql-promoted': { stages: ['sal'], waitsFor: 'SQL promotion' },
  'ae-notified': { stages: ['sal'], waitsFor: 'SQL promotion' },
  'ae-accepted': { stages: ['sql'], waitsFor: 'AE acceptance' },
  'meeting-held': { stages: ['opportunity'], waitsFor: 'a held meeting' },
  'stage-changed': { stages: ['opportunity'], waitsFor: 'an opportunity stage change' },
}

/** What Marketing still owes before the handoff completes (see the engine's handoff rule). */
function handoffMissing(lead: LeadState): string[] {
  return [
    ...(lead.ownerId === null ? ['not routed'] : []),
    ...(lead.enrichedAt === null ? ['not enriched'] : []),
    ...lead.criteria
      .filter((criterion) => !criterion.met)
      .map((criterion) => `${criterion.name} not met`),
  ]
}

/** `startedItemIds`: the items whose clock has started (the lead's SLA clock views). */
export function clockWaits(
  policy: Policy,
  lead: LeadState,
  startedItemIds: ReadonlySet<string>,
): ClockWait[] {
  return policy.slaItems.flatMap((item) => {
    const awaited = item.clock ? AWAITED_STARTS[item.clock.startsOn] : undefined
    if (
      !item.clock ||
      !awaited?.stages.includes(lead.stage) ||
      startedItemIds.has(item.id) ||
      !itemApplies(item, lead)
    ) {
      return []
    }
    const missing = awaited.missing?.(lead) ?? []
    return [
      {
        itemId: item.id,
        name: item.name,
        startsOn: item.clock.startsOn,
        waitsFor: awaited.waitsFor,
        missing,
        reason: `${item.name} waits for ${awaited.waitsFor}${missing.length > 0 ? `: ${missing.join(', ')}` : ''}`,
      },
    ]
  })
}
