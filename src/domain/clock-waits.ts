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

/**
 * The start events a person waits on, with the last funnel stage in which each can still happen
 * (a lead past it will not start that clock) and what the wait is for.
 */
const AWAITED_STARTS: Readonly<
  Partial<
    Record<
      ClockEventName,
      {
        readonly lastStage: string
        readonly waitsFor: string
        readonly missing?: typeof handoffMissing
      }
    >
  >
> = {
  'qualifying-action': { lastStage: 'inquiry', waitsFor: 'a qualifying action' },
  'mql-created': { lastStage: 'inquiry', waitsFor: 'MQL creation' },
  // The bilateral start: the SDR's clocks start once Marketing's half of the handoff is done.
  'marketing-handoff-complete': {
    lastStage: 'mql',
    waitsFor: 'Marketing',
    missing: handoffMissing,
  },
  'sal-accepted': { lastStage: 'mql', waitsFor: 'SAL acceptance' },
  'call-connected-not-converted': {
    lastStage: 'sal',
    waitsFor: 'a connected call that does not convert',
  },
  'sql-promoted': { lastStage: 'sal', waitsFor: 'SQL promotion' },
  'ae-notified': { lastStage: 'sal', waitsFor: 'SQL promotion' },
  'ae-accepted': { lastStage: 'sql', waitsFor: 'AE acceptance' },
  'opportunity-created': { lastStage: 'sql', waitsFor: 'an opportunity' },
  'meeting-held': { lastStage: 'opportunity', waitsFor: 'a held meeting' },
  'stage-changed': { lastStage: 'opportunity', waitsFor: 'an opportunity stage change' },
}

/** What Marketing still owes before the handoff completes (see the engine's handoff rule). */
function handoffMissing(lead: LeadState): string[] {
  return [
    ...(lead.stage === 'mql' ? [] : ['not an MQL yet']),
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
  const funnelNumber = (stageId: string): number | undefined => {
    const stage = policy.stages.find((candidate) => candidate.id === stageId)
    return stage?.kind === 'funnel' ? stage.number : undefined
  }
  const leadStage = funnelNumber(lead.stage)
  if (leadStage === undefined) {
    return []
  }
  return policy.slaItems.flatMap((item) => {
    const awaited = item.clock ? AWAITED_STARTS[item.clock.startsOn] : undefined
    const lastStage = awaited ? funnelNumber(awaited.lastStage) : undefined
    if (
      !item.clock ||
      !awaited ||
      lastStage === undefined ||
      leadStage > lastStage ||
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
