/**
 * The escalation scheduler's use cases. `leadSchedule` is a lead's durable timers as its
 * escalation plan wants them (written whenever the lead is rebuilt). `fireDueSteps` claims due timers,
 * re-reads each lead, re-plans, and fires what is still due: the escalation event, the
 * notifications and the timer's settlement commit in one transaction, so a step fires once.
 */
import { planEscalations } from '../domain/escalation/escalation-plan.js'
import type { PlannedStep } from '../domain/escalation/escalation-plan.js'
import { periodBounds, periodOf } from '../domain/escalation/escalation-plan.js'
import { repIdOf, resolveRecipients } from '../domain/escalation/recipients.js'
import type { LeadEffect } from '../domain/lead-effects.js'
import type { LeadEventPayload } from '../domain/lead-events.js'
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import { calendarSetOf, withOwnerCalendars } from '../domain/sla-clock-view.js'
import type {
  EscalationMessage,
  NotificationChannelName,
  NotificationRecipient,
  OutboundNotification,
} from '../notify/notification.js'
import type { Policy } from '../policy/policy-schema.js'
import type { Roster } from '../domain/team/roster.js'
import { findPerson } from '../domain/team/roster.js'
import type { DueTimer, LeadSchedule, TimerSettlement } from './escalation-port.js'
import type { DerivedLead, LeadRepository, LeadTransaction } from './lead-repository.js'

/** The policy's calendars, with the roster's people when there is one (`calendar: owner`). */
export function clockCalendarsOf(policy: Policy, roster: Roster | undefined): CalendarSet {
  const calendars = calendarSetOf(policy)
  return roster === undefined ? calendars : withOwnerCalendars(calendars, roster.people)
}

/** The lead's durable timers as its escalation plan wants them, as of `at`. */
export function leadSchedule(
  state: LeadState,
  effects: readonly LeadEffect[],
  policy: Policy,
  calendars: CalendarSet,
  at: number,
): LeadSchedule {
  const plan = planEscalations(policy, calendars, state, effects)
  return {
    leadId: state.leadId,
    planned: plan.map((step) => ({ stepKey: step.key, leadId: state.leadId, dueAt: step.dueAt })),
    at,
  }
}

/**
 * The scheduler's access to leads as their stored snapshots say, so that a round plans from the
 * fold instead of replaying histories.
 */
export interface LeadDerivation {
  /** Each lead's current snapshot (its stored fold brought up to its log); writes nothing. */
  current(
    tx: LeadTransaction,
    leadIds: readonly string[],
  ): Promise<ReadonlyMap<string, DerivedLead>>
  /** Folds just-appended events onto the leads' `current` snapshots and writes derived rows. */
  appended(
    tx: LeadTransaction,
    current: ReadonlyMap<string, DerivedLead>,
    events: readonly RecordedEvent[],
  ): Promise<unknown>
  /** Brings leads' derived rows up to their logs. */
  rebuild(tx: LeadTransaction, leadIds: readonly string[]): Promise<unknown>
}

export interface SchedulerDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  readonly roster: () => Roster
  /** Channels to enqueue notifications for; empty in audit replays (history is not re-sent). */
  readonly channels: readonly NotificationChannelName[]
  /** Reads and re-derives leads: the ingest use case's fold (`leadDerivation`). */
  readonly leads: LeadDerivation
  readonly leadUrl?: (leadId: string) => string
}

export interface FiringReport {
  /** The round's instant: the one given, or the database's clock. */
  readonly at: number
  readonly claimed: number
  readonly fired: number
  readonly skipped: number
  readonly rescheduled: number
  /** Timers left for later because a writer held their lead. */
  readonly busy: number
  readonly notificationsQueued: number
  /** Leads whose processing threw: their timers were deferred, everyone else's went ahead. */
  readonly failed: readonly { readonly leadId: string; readonly error: string }[]
}

function firedEvent(
  step: PlannedStep,
  state: LeadState,
  recipients: readonly NotificationRecipient[],
  now: number,
): NewLeadEvent {
  const payload: LeadEventPayload<'escalation.fired'> = {
    stepKey: step.key,
    kind: step.kind,
    subjectId: step.subjectId,
    stepId: step.stepId,
    title: step.title,
    severity: step.severity,
    repId: repIdOf(step, state),
    recipientIds: recipients.flatMap((recipient) =>
      recipient.personId === null ? [] : [recipient.personId],
    ),
    graced: step.graced,
    dueAt: step.dueAt,
    actionDueAt: step.actionDueAt,
    managerActions: [...step.managerActions],
    rootCauseDueAt: step.rootCauseDueAt,
  }
  return {
    idempotencyKey: `escalation:${step.key}`,
    leadId: state.leadId,
    type: 'escalation.fired',
    occurredAt: now,
    receivedAt: now,
    actor: null,
    source: 'system',
    payload,
  }
}

/** The webhook event type of a step's message (`lead.sla_escalated` unless named here). */
const MESSAGE_TYPES: Partial<Record<PlannedStep['kind'], string>> = {
  'stale-alert': 'lead.opportunity_stale',
  'task-assigned': 'lead.task_assigned',
  'task-overdue': 'lead.task_overdue',
}

function messageOf(
  step: PlannedStep,
  state: LeadState,
  roster: Roster,
  now: number,
  leadUrl: ((leadId: string) => string) | undefined,
): EscalationMessage {
  const profile = state.profile
  const repId = repIdOf(step, state)
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ')
  return {
    type: MESSAGE_TYPES[step.kind] ?? 'lead.sla_escalated',
    stepKey: step.key,
    firedAt: now,
    leadId: state.leadId,
    leadName: name === '' ? (profile.email ?? state.leadId) : name,
    company: profile.company ?? null,
    subject: step.subject,
    stepTitle: step.title,
    severity: step.severity,
    requiredAction: step.requiredAction,
    actionDueAt: step.actionDueAt,
    clockElapsedMs: step.clockStartedAt === null ? null : step.dueAt - step.clockStartedAt,
    ownerName: repId === null ? null : (findPerson(roster, repId)?.name ?? repId),
    graced: step.graced,
    leadUrl: leadUrl?.(state.leadId) ?? null,
  }
}

/** One Slack and one webhook message per step; email and CRM tasks per person. */
export function notificationsFor(
  message: EscalationMessage,
  recipients: readonly NotificationRecipient[],
  channels: readonly NotificationChannelName[],
): OutboundNotification[] {
  const everyone: NotificationRecipient = {
    personId: null,
    name: recipients.map((recipient) => recipient.name).join(', '),
    email: null,
    role: 'channel',
  }
  return channels.flatMap((channel) => {
    const targets =
      channel === 'slack' || channel === 'webhook'
        ? [everyone]
        : recipients.filter((recipient) => recipient.personId !== null)
    return targets.map((recipient) => ({
      deliveryKey: `${message.stepKey}:${channel}:${recipient.personId ?? recipient.role}`,
      channel,
      recipient,
      message,
    }))
  })
}

/** A due step about to fire, at `at`. */
interface Firing {
  readonly step: PlannedStep
  readonly state: LeadState
  readonly at: number
}

/**
 * Fires steps: their events in one insert (a step already in the log is a duplicate and fires
 * nothing), then the new ones' notifications in one insert. Returns the events recorded, in
 * input order (undefined for a duplicate).
 */
async function fireSteps(
  deps: SchedulerDependencies,
  tx: LeadTransaction,
  firings: readonly Firing[],
  roster: Roster,
): Promise<{ recorded: (RecordedEvent | undefined)[]; queued: number }> {
  const recipients = firings.map(({ step, state }) => resolveRecipients(step, state, roster))
  const results = await tx.appendEvents(
    firings.map(({ step, state, at }, index) =>
      firedEvent(step, state, recipients[index] ?? [], at),
    ),
  )
  const recorded = results.map((result) =>
    result.status === 'appended' ? result.event : undefined,
  )
  const queued = await tx.escalation.enqueueNotifications(
    firings.flatMap(({ step, state, at }, index) =>
      recorded[index] !== undefined
        ? notificationsFor(
            messageOf(step, state, roster, at, deps.leadUrl),
            recipients[index] ?? [],
            deps.channels,
          )
        : [],
    ),
  )
  return { recorded, queued }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The policy's repeat-offender rule: the same rep with `count` critical breaches in a period is
 * flagged once for that period. Counted under a per-rep lock so two workers cannot both miss it.
 */
async function flagRepeatOffender(
  deps: SchedulerDependencies,
  tx: LeadTransaction,
  step: PlannedStep,
  state: LeadState,
  roster: Roster,
  now: number,
): Promise<{ fired: boolean; queued: number }> {
  const item = deps.policy.slaItems.find((candidate) => candidate.id === step.subjectId)
  const chain =
    item?.escalationChain === undefined
      ? undefined
      : deps.policy.escalationChains[item.escalationChain]
  const rule = chain?.repeatOffender
  const repId = repIdOf(step, state)
  if (!rule || repId === null || step.graced || step.severity !== rule.severity) {
    return { fired: false, queued: 0 }
  }
  await tx.escalation.lockKey(`repeat-offender:${repId}`)
  const zone =
    calendarSetOf(deps.policy).byId.get(deps.policy.calendarSelection.default)?.timeZone ?? 'UTC'
  const period = periodOf(now, rule.per, zone)
  const bounds = periodBounds(now, rule.per, zone)
  // The rep's criticals up to this one: in audit mode a round records later ones of the same
  // period too (each at its due instant), which must not flag the rep before their time.
  const count = await tx.escalation.countEscalations(
    repId,
    'chain-step',
    rule.severity,
    bounds[0],
    Math.min(bounds[1], now + 1),
  )
  // Several criticals of one rep can land in one round, so the count may pass the rule's at once;
  // the per-rep lock makes earlier flags visible here, and the flag's key (rep and period) keeps
  // it to one even so.
  const flagged = await tx.escalation.countEscalations(
    repId,
    'repeat-offender',
    rule.severity,
    ...bounds,
  )
  if (count < rule.count || flagged > 0) {
    return { fired: false, queued: 0 }
  }
  const flag: PlannedStep = {
    ...step,
    key: `repeat-offender:${repId}:${period}`,
    kind: 'repeat-offender',
    stepId: 'repeat-offender',
    title: `Repeat offender — ${rule.count} ${rule.severity} breaches in ${period}: ${rule.track}`,
    severity: rule.severity,
    dueAt: now,
    notify: rule.notify,
    requiredAction: `Open the ${rule.track} track for this rep`,
    managerActions: [],
    rootCauseDueAt: null,
  }
  const { recorded, queued } = await fireSteps(deps, tx, [{ step: flag, state, at: now }], roster)
  return { fired: recorded[0] !== undefined, queued }
}

/** How long the timers of a lead that failed to process wait before the next try. */
const FAILED_LEAD_RETRY_MS = 60_000

interface CriticalFiring {
  readonly step: PlannedStep
  readonly state: LeadState
  readonly at: number
}

interface BatchOutcome {
  firedStepKeys: string[]
  fired: number
  skipped: number
  rescheduled: number
  queued: number
  criticals: CriticalFiring[]
}

/**
 * Re-plans locked leads from their stored snapshots (one read for all) and fires, reschedules or
 * skips each of their claimed timers; events, notifications, the fired leads' derived rows and
 * settlements are each written in one statement for the whole batch. Settlements go last, so a
 * live step's lag is measured by the database's clock just before the commit.
 */
async function fireLeadTimers(
  deps: SchedulerDependencies,
  tx: LeadTransaction,
  timersByLead: ReadonlyMap<string, readonly DueTimer[]>,
  roster: Roster,
  now: number,
  options: { readonly atDueTime?: boolean },
): Promise<BatchOutcome> {
  const current = await deps.leads.current(tx, [...timersByLead.keys()])
  const calendars = clockCalendarsOf(deps.policy, roster)
  const skipped: TimerSettlement[] = []
  const moves: { stepKey: string; dueAt: number }[] = []
  const firings: (Firing & { readonly stepKey: string })[] = []
  for (const [leadId, timers] of timersByLead) {
    const snapshot = current.get(leadId)?.snapshot
    const plan = new Map(
      snapshot
        ? planEscalations(deps.policy, calendars, snapshot.state, snapshot.clockEffects).map(
            (step) => [step.key, step],
          )
        : [],
    )
    for (const timer of timers) {
      const step = plan.get(timer.stepKey)
      if (!snapshot || !step) {
        skipped.push({ stepKey: timer.stepKey, outcome: 'skipped', at: now, lagMs: null })
      } else if (step.dueAt > now) {
        moves.push({ stepKey: timer.stepKey, dueAt: step.dueAt })
      } else {
        // Audit mode records each step at the instant it was due.
        const at = options.atDueTime === true ? step.dueAt : now
        firings.push({ step, state: snapshot.state, at, stepKey: timer.stepKey })
      }
    }
  }
  const { recorded, queued } = await fireSteps(deps, tx, firings, roster)
  const firedSteps = firings.filter((_, index) => recorded[index] !== undefined)
  // Settled before the leads are re-derived: re-deriving cancels the timers no longer planned.
  await tx.escalation.settleTimers([
    ...skipped,
    ...firings.map(({ stepKey, step, at }, index) => ({
      stepKey,
      outcome: recorded[index] !== undefined ? ('fired' as const) : ('skipped' as const),
      at,
      lagMs: at - step.dueAt,
    })),
  ])
  await tx.escalation.rescheduleTimers(moves)
  const appended = recorded.filter((event) => event !== undefined)
  if (appended.length > 0) {
    await deps.leads.appended(tx, current, appended)
  }
  return {
    firedStepKeys: firedSteps.map(({ stepKey }) => stepKey),
    fired: firedSteps.length,
    skipped: skipped.length + firings.length - firedSteps.length,
    rescheduled: moves.length,
    queued,
    criticals: firedSteps.filter(
      ({ step }) => step.severity === 'critical' && step.kind === 'chain-step',
    ),
  }
}

/**
 * One round: claims up to `limit` timers due at `clock` — an instant, or `'database'` for the
 * database server's clock, so that workers whose own clocks drift still agree on what is due —
 * and fires them.
 */
export async function fireDueSteps(
  deps: SchedulerDependencies,
  clock: number | 'database',
  limit = 100,
  options: { readonly atDueTime?: boolean } = {},
): Promise<FiringReport> {
  const roster = deps.roster()
  return deps.repository.withLeadsLocked([], async (tx) => {
    const now = clock === 'database' ? await tx.escalation.databaseNow() : clock
    const due = await tx.escalation.claimDueTimers(now, limit)
    const byLead = new Map<string, DueTimer[]>()
    for (const timer of due) {
      const timers = byLead.get(timer.leadId)
      if (timers) {
        timers.push(timer)
      } else {
        byLead.set(timer.leadId, [timer])
      }
    }
    const locked = await tx.escalation.tryLockLeads([...byLead.keys()].sort(compareText))
    const ready = new Map([...byLead].filter(([leadId]) => locked.has(leadId)))
    const report = {
      at: now,
      claimed: due.length,
      fired: 0,
      skipped: 0,
      rescheduled: 0,
      busy: due.filter((timer) => !locked.has(timer.leadId)).length,
      notificationsQueued: 0,
      failed: [] as { leadId: string; error: string }[],
    }
    const criticals: CriticalFiring[] = []
    const firedStepKeys: string[] = []
    const count = (outcome: BatchOutcome): void => {
      report.fired += outcome.fired
      report.skipped += outcome.skipped
      report.rescheduled += outcome.rescheduled
      report.notificationsQueued += outcome.queued
      criticals.push(...outcome.criticals)
      firedStepKeys.push(...outcome.firedStepKeys)
    }
    const fire = (timersByLead: ReadonlyMap<string, readonly DueTimer[]>) =>
      tx.escalation.isolated(() => fireLeadTimers(deps, tx, timersByLead, roster, now, options))
    try {
      count(await fire(ready))
    } catch {
      // One lead that cannot be processed must not hold up everyone else's escalations: the
      // batch is undone and retried lead by lead, and only the failing leads' timers wait.
      for (const [leadId, timers] of ready) {
        try {
          count(await fire(new Map([[leadId, timers]])))
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          await tx.escalation.deferTimers(
            timers.map((timer) => timer.stepKey),
            now + FAILED_LEAD_RETRY_MS,
            message,
          )
          report.failed.push({ leadId, error: message })
        }
      }
    }
    // Per-rep locks in one order for every worker, taken last: two workers never wait in a cycle.
    criticals.sort(
      (a, b) =>
        compareText(repIdOf(a.step, a.state) ?? '', repIdOf(b.step, b.state) ?? '') || a.at - b.at,
    )
    for (const { step, state, at } of criticals) {
      const flagged = await flagRepeatOffender(deps, tx, step, state, roster, at)
      if (flagged.fired) {
        report.fired += 1
        report.notificationsQueued += flagged.queued
        // At once: the rep's next critical in this round counts the flag from the projection.
        await deps.leads.rebuild(tx, [state.leadId])
      }
    }
    if (clock === 'database' && firedStepKeys.length > 0) {
      // A live step's lag runs until the round commits: the moment its notifications can go.
      await tx.escalation.stampFiringLagAtCommit(firedStepKeys)
    }
    return report
  })
}

/**
 * Simulated time the audit clock advances per round. A round fires the steps due in it against
 * each lead's state at the round's start, as a live worker does after a pause; what firing
 * creates (root causes going overdue, notices) is planned after the round and fired in the next
 * one at its own instant. A day keeps the rounds of a 90-day history near a hundred.
 */
const AUDIT_WINDOW_MS = 86_400_000

/**
 * Audit mode: fires every step due up to `until` on a simulated clock that jumps from one due
 * instant to the next (a day of steps at a time), recording each at the instant it was due.
 */
export async function fireOnSimulatedClock(
  deps: SchedulerDependencies,
  until: number,
  onProgress?: (firedSoFar: number, at: number) => void,
): Promise<{ fired: number; lastAt: number | null }> {
  let fired = 0
  let lastAt: number | null = null
  for (;;) {
    const next = await deps.repository.withLeadsLocked([], (tx) => tx.escalation.nextDueAt(until))
    if (next === undefined) {
      return { fired, lastAt }
    }
    const windowEnd = Math.min(until, next + AUDIT_WINDOW_MS)
    const report = await fireDueSteps(deps, windowEnd, 500, { atDueTime: true })
    fired += report.fired
    lastAt = windowEnd
    onProgress?.(fired, windowEnd)
    if (report.claimed === 0) {
      return { fired, lastAt }
    }
  }
}
