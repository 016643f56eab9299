/**
 * What a set of lead events adds up to, replayed through the lifecycle engine: the funnel, the
 * rejections, who worked the leads, how fast. Used to check (and show) that the sample is a
 * believable picture.
 */
import type { Policy } from '../policy/policy-schema.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import { lateLoggingAfterMs } from '../domain/sal-actions.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { createCalendarLookup } from './prospect-calendar.js'
import { SAMPLE_TEAM } from './sample-team.js'

export interface SampleRefusal {
  readonly leadId: string
  readonly eventType: string
  readonly message: string
}

export interface SampleStats {
  readonly leads: number
  readonly events: number
  /** Leads that were ever in each stage. */
  readonly reached: {
    readonly mql: number
    readonly sal: number
    readonly sql: number
    readonly opportunity: number
    readonly closedWon: number
    readonly closedLost: number
  }
  /** Step conversions, 0–1: MQL of leads, SAL of MQLs, SQL of SALs, opportunity of SQLs. */
  readonly conversion: {
    readonly mql: number
    readonly salOfMql: number
    readonly sqlOfSal: number
    readonly opportunityOfSql: number
  }
  /** Leads by the stage they are in now. */
  readonly stages: Readonly<Record<string, number>>
  /** Leads recycled at least once. */
  readonly recycled: number
  /** Leads disqualified now. */
  readonly disqualified: number
  readonly duplicates: number
  readonly salRejections: Readonly<Record<string, number>>
  readonly aeRejections: Readonly<Record<string, number>>
  /** People who owned leads (SDRs) and took SQLs (AEs). */
  readonly sdrs: readonly string[]
  readonly aes: readonly string[]
  /** Share of leads created outside the prospect's business hours. */
  readonly afterHoursShare: number
  /** Of Tier 1 MQLs handed to an SDR, the share first attempted within 5 business minutes. */
  readonly tier1Within5BusinessMinutes: number
  /** Activities logged later than the policy allows (flagged late-logged). */
  readonly lateLogged: number
  readonly sources: Readonly<Record<string, number>>
  readonly countries: Readonly<Record<string, number>>
  readonly refusals: readonly SampleRefusal[]
  readonly firstEventAt: number | null
  readonly lastEventAt: number | null
}

const count = (tally: Record<string, number>, key: string): void => {
  tally[key] = (tally[key] ?? 0) + 1
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole)

export function measureSample(events: readonly NewLeadEvent[], policy: Policy): SampleStats {
  const calendars = createCalendarLookup(policy)
  const byLead = new Map<string, NewLeadEvent[]>()
  for (const event of events) {
    const list = byLead.get(event.leadId)
    if (list) {
      list.push(event)
    } else {
      byLead.set(event.leadId, [event])
    }
  }
  const roles = new Map(SAMPLE_TEAM.map((person) => [person.id, person.role]))
  const lateAfter = lateLoggingAfterMs(policy)
  const firstTier = Object.keys(policy.intentTiers)[0]
  const reached = { mql: 0, sal: 0, sql: 0, opportunity: 0, closedWon: 0, closedLost: 0 }
  const stages: Record<string, number> = {}
  const salRejections: Record<string, number> = {}
  const aeRejections: Record<string, number> = {}
  const sources: Record<string, number> = {}
  const countries: Record<string, number> = {}
  const sdrs = new Set<string>()
  const aes = new Set<string>()
  const refusals: SampleRefusal[] = []
  let recycled = 0
  let duplicates = 0
  let afterHours = 0
  let created = 0
  let tier1 = 0
  let tier1OnTime = 0
  let lateLogged = 0

  for (const [leadId, leadEvents] of byLead) {
    for (const event of leadEvents) {
      const payload = event.payload
      switch (event.type) {
        case 'sal.rejected':
          count(salRejections, String(payload.reasonCode))
          break
        case 'ae.rejected':
          count(aeRejections, String(payload.reasonCode))
          break
        case 'owner.assigned':
          if (roles.get(String(payload.ownerId)) === 'sdr') {
            sdrs.add(String(payload.ownerId))
          }
          break
        case 'sql.promoted':
          aes.add(String(payload.aeId))
          break
        case 'lead.matched':
          duplicates += 1
          break
        case 'activity.logged':
          if (event.receivedAt - event.occurredAt > lateAfter) {
            lateLogged += 1
          }
          break
      }
    }
    const { state, effects } = replayLead(leadEvents, policy)
    for (const effect of effects) {
      if (effect.kind === 'transition-refused') {
        refusals.push({ leadId, eventType: effect.eventType, message: effect.message })
      }
    }
    if (!state) {
      continue
    }
    created += 1
    count(sources, state.source)
    count(countries, state.profile.country ?? 'unknown')
    const calendar = calendars.forProspect(state.profile)
    if (!calendar.isOpen(state.createdAt)) {
      afterHours += 1
    }
    const been = new Set(state.transitions.map((transition) => transition.to))
    reached.mql += been.has('mql') ? 1 : 0
    reached.sal += been.has('sal') ? 1 : 0
    reached.sql += been.has('sql') ? 1 : 0
    reached.opportunity += been.has('opportunity') ? 1 : 0
    reached.closedWon += been.has('closed-won') ? 1 : 0
    reached.closedLost += been.has('closed-lost') ? 1 : 0
    count(stages, state.stage)
    recycled += state.recycleCount > 0 ? 1 : 0
    if (state.tier === firstTier && state.handoffCompletedAt !== null) {
      tier1 += 1
      const first = state.firstAttemptAt
      if (
        first !== null &&
        calendar.elapsed(state.handoffCompletedAt, Math.max(first, state.handoffCompletedAt)) <=
          5 * 60_000
      ) {
        tier1OnTime += 1
      }
    }
  }
  let firstEventAt: number | null = null
  let lastEventAt: number | null = null
  for (const event of events) {
    firstEventAt = Math.min(firstEventAt ?? event.occurredAt, event.occurredAt)
    lastEventAt = Math.max(lastEventAt ?? event.occurredAt, event.occurredAt)
  }
  return {
    leads: created,
    events: events.length,
    reached,
    conversion: {
      mql: share(reached.mql, created),
      salOfMql: share(reached.sal, reached.mql),
      sqlOfSal: share(reached.sql, reached.sal),
      opportunityOfSql: share(reached.opportunity, reached.sql),
    },
    stages,
    recycled,
    disqualified: stages.disqualified ?? 0,
    duplicates,
    salRejections,
    aeRejections,
    sdrs: [...sdrs].sort(),
    aes: [...aes].sort(),
    afterHoursShare: share(afterHours, created),
    tier1Within5BusinessMinutes: share(tier1OnTime, tier1),
    lateLogged,
    sources,
    countries,
    refusals,
    firstEventAt,
    lastEventAt,
  }
}
