/** Use case: one lead as a person wants to see it — state, score now, timeline, SLA clocks. */
import type { ClockWait } from '../domain/clock-waits.js'
import { clockWaits } from '../domain/clock-waits.js'
import { leadTimeZone } from '../domain/lead-time-zone.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import type { LeadState } from '../domain/lead-state.js'
import type { RecordedEvent } from '../domain/recorded-event.js'
import type { ScoreBreakdown } from '../domain/scoring.js'
import type { CadenceProgress } from '../domain/cadence.js'
import { cadenceProgress } from '../domain/cadence.js'
import type { TaskView } from '../domain/tasks.js'
import { taskViews } from '../domain/tasks.js'
import { scoreLead } from '../domain/scoring.js'
import type { PlannedStep } from '../domain/escalation/escalation-plan.js'
import { planEscalations } from '../domain/escalation/escalation-plan.js'
import type { CalendarSet, ClockCountdown, SlaClockView } from '../domain/sla-clock-view.js'
import { clockCountdown, deriveSlaClocks, withOwnerCalendars } from '../domain/sla-clock-view.js'
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadRepository, OpenClockFilter } from './lead-repository.js'
import { policyFingerprint } from './policy-fingerprint.js'

export interface LeadView {
  readonly lead: LeadState
  /** The score as of `now`: decay is applied at evaluation time. */
  readonly scoreNow: ScoreBreakdown
  /** The zone its instants are shown in: the profile's `timeZone`, else its prospect calendar's. */
  readonly timeZone: string
  /** With the time left on each open one, as of `now`. */
  readonly clocks: readonly (SlaClockView & ClockCountdown)[]
  /** The SLA items that apply to the lead but whose clock has not started, and why. */
  readonly clockWaits: readonly ClockWait[]
  /** Escalation steps still ahead, soonest first (fired ones are in `lead.escalations`). */
  readonly upcomingEscalations: readonly PlannedStep[]
  /** Required follow-ups, open and done, with owner and due instant. */
  readonly tasks: readonly TaskView[]
  /** Section 04's outreach cadence of the current MQL: attempts, connect, the next touch. */
  readonly cadence: CadenceProgress | null
  readonly timeline: readonly RecordedEvent[]
}

export interface ReadDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  readonly calendars: CalendarSet
  /** The team, for `calendar: owner` clocks (the AE's working hours…). */
  readonly roster?: () => Roster
}

/** The calendars clocks run in: the policy's, with each roster person's for `calendar: owner`. */
function clockCalendars(deps: ReadDependencies): CalendarSet {
  const roster = deps.roster?.()
  return roster === undefined ? deps.calendars : withOwnerCalendars(deps.calendars, roster.people)
}

/** The lead's clocks at `now`, each with the time left on it. */
function clocksAt(
  deps: ReadDependencies,
  calendars: CalendarSet,
  replayed: {
    readonly state: LeadState
    readonly effects: ReturnType<typeof replayLead>['effects']
  },
  now: number,
): (SlaClockView & ClockCountdown)[] {
  return deriveSlaClocks(deps.policy, calendars, replayed.state, replayed.effects, now).map(
    (clock) => ({ ...clock, ...clockCountdown(deps.policy, calendars, clock, now) }),
  )
}

export async function readLead(
  deps: ReadDependencies,
  leadId: string,
  now: number,
): Promise<LeadView | undefined> {
  const timeline = await deps.repository.listLeadEvents(leadId)
  const { state, effects } = replayLead(timeline, deps.policy, 'validated')
  if (!state) {
    return undefined
  }
  const calendars = clockCalendars(deps)
  const clocks = clocksAt(deps, calendars, { state, effects }, now)
  return {
    lead: state,
    scoreNow: scoreLead(deps.policy, state, now),
    timeZone: leadTimeZone(deps.policy, calendars, state),
    clocks,
    clockWaits: clockWaits(deps.policy, state, new Set(clocks.map((clock) => clock.itemId))),
    upcomingEscalations: planEscalations(deps.policy, calendars, state, effects).filter(
      (step) => step.dueAt > now,
    ),
    tasks: taskViews(deps.policy, deps.calendars, state),
    cadence: cadenceProgress(deps.policy, state),
    timeline,
  }
}

/** One open SLA clock with the lead it runs for. */
export interface OpenClockView {
  readonly lead: LeadState
  /** The lead's zone (as in its view). */
  readonly timeZone: string
  readonly clock: SlaClockView & ClockCountdown
}

/**
 * The open clocks `filter` selects, soonest breach first, each as its lead's view shows it at
 * `now` (the same derivation, so the countdowns agree with the lead page).
 */
export async function readOpenClocks(
  deps: ReadDependencies,
  filter: OpenClockFilter,
): Promise<OpenClockView[]> {
  const refs = await deps.repository.listOpenClocks(filter)
  const clockKey = (leadId: string, itemId: string): string => `${leadId} ${itemId}`
  // Each listed clock's place in the list (soonest breach first).
  const rank = new Map(refs.map((ref, index) => [clockKey(ref.leadId, ref.itemId), index]))
  const calendars = clockCalendars(deps)
  const leadIds = [...new Set(refs.map((ref) => ref.leadId))]
  // The clocks listed come from the leads' stored snapshots: read them in one query, and replay
  // only a lead folded under another policy (or never folded).
  const stored = await deps.repository.withLeadsLocked([], (tx) => tx.loadSnapshots(leadIds))
  const fingerprint = policyFingerprint(deps.policy)
  const open: OpenClockView[] = []
  for (const leadId of leadIds) {
    const snapshot = stored.get(leadId)?.snapshot
    const lead =
      snapshot?.policyFingerprint === fingerprint
        ? { state: snapshot.state, effects: snapshot.clockEffects }
        : replayLead(await deps.repository.listLeadEvents(leadId), deps.policy, 'validated')
    const state = lead.state
    if (!state) {
      continue
    }
    const timeZone = leadTimeZone(deps.policy, calendars, state)
    for (const clock of clocksAt(deps, calendars, { state, effects: lead.effects }, filter.now)) {
      if (rank.has(clockKey(leadId, clock.itemId))) {
        open.push({ lead: state, timeZone, clock })
      }
    }
  }
  const rankOf = (view: OpenClockView): number =>
    rank.get(clockKey(view.lead.leadId, view.clock.itemId)) ?? 0
  return open.sort((a, b) => rankOf(a) - rankOf(b))
}
