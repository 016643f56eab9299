/**
 * The escalation plan of one lead: every step that is due, or will be, given its history —
 * each appendix-A item's thresholds (or the steps of its section-09 chain), the stale-opportunity
 * alerts, root causes gone overdue and resolution notices. Pure and independent of `now`: the
 * scheduler keeps one timer per planned step and fires it when its instant has come. A step
 * whose clock stopped, whose `unless` event happened, or whose trigger no longer holds is simply
 * not in the plan any more.
 */
import { DateTime } from 'luxon'

import type { PolicyDuration } from '../../policy/duration.js'
import { durationMs } from '../../policy/duration.js'
import { effectiveInstant } from '../../policy/policy-history.js'
import type { EscalationChain, Policy, SlaItem } from '../../policy/policy-schema.js'
import type { LeadEffect } from '../lead-effects.js'
import type { EscalationKind, EscalationSeverity } from '../lead-events.js'
import type { EscalationRecord, LeadState } from '../lead-state.js'
import type { CalendarSet } from '../clock-calendars.js'
import { clockCalendar } from '../clock-calendars.js'
import type { ClockRules, ClockRun } from './clock-runs.js'
import { clockMoments, clockRuns } from './clock-runs.js'
import type { ClockContext, ItemRun } from './item-clocks.js'
import { deadlineInstant, itemClock, runReaches } from './item-clocks.js'
import { taskSteps } from '../tasks.js'

export interface PlannedStep {
  /** Stable across replays: lead, subject, clock start and step. The idempotency key of firing. */
  readonly key: string
  readonly leadId: string
  readonly kind: EscalationKind
  /** SLA item id or stale trigger id. */
  readonly subjectId: string
  readonly subject: string
  readonly stepId: string
  readonly title: string
  readonly severity: EscalationSeverity
  readonly dueAt: number
  /** When the clock this step is measured on started (null for event-driven alerts). */
  readonly clockStartedAt: number | null
  readonly calendarId: string
  /** Who the step is about: the role whose person owns the clock (sdr, ae, marketing-ops…). */
  readonly repRole: string
  /** Recipient selectors: owner, owner-manager, or a role (sdr-manager, revops, vp-sales…). */
  readonly notify: readonly string[]
  readonly requiredAction: string
  readonly actionDueAt: number | null
  readonly managerActions: readonly string[]
  readonly rootCauseDueAt: number | null
  /** Inside the policy's grace period: recorded and coached, not escalated beyond the rep. */
  readonly graced: boolean
}

interface PlanContext extends ClockContext {
  readonly graceEndsAt: number
}

export function planEscalations(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  effects: readonly LeadEffect[],
): PlannedStep[] {
  const context: PlanContext = {
    policy,
    calendars,
    lead,
    moments: clockMoments(effects),
    graceEndsAt: addWall(effectiveInstant(policy), policy.gracePeriod.duration),
  }
  const steps = [
    ...policy.slaItems.flatMap((item) => itemSteps(context, item)),
    ...staleAlerts(context),
    ...stageNextActions(context),
    ...lead.escalations.flatMap((record) => followUpSteps(context, record)),
    ...taskSteps(policy, calendars, lead).map((step) => ({
      ...step,
      graced: step.dueAt < context.graceEndsAt,
    })),
  ]
  return steps.sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function addWall(start: number, duration: PolicyDuration): number {
  return start + durationMs(duration, 86_400_000)
}

function happenedWithin(
  context: PlanContext,
  event: string,
  from: number,
  to: number,
): number | undefined {
  return context.moments.find(
    (moment) => moment.event === event && moment.at >= from && moment.at <= to,
  )?.at
}

function baseStep(
  context: PlanContext,
  fields: Omit<PlannedStep, 'leadId' | 'graced' | 'key'> & {
    readonly keyParts: readonly (string | number)[]
  },
): PlannedStep {
  const { keyParts, ...rest } = fields
  return {
    ...rest,
    key: [context.lead.leadId, ...keyParts].join(':'),
    leadId: context.lead.leadId,
    graced: fields.dueAt < context.graceEndsAt,
  }
}

function itemSteps(context: PlanContext, item: SlaItem): PlannedStep[] {
  const clock = itemClock(context, item)
  // A clock whose calendar cannot be chosen has no instants; the clock view says why.
  if (clock === null || clock.kind === 'unable' || item.staleTrigger !== undefined) {
    return []
  }
  const { runs, calendarId } = clock
  const chain =
    item.escalationChain === undefined
      ? undefined
      : context.policy.escalationChains[item.escalationChain]
  return runs.flatMap((run, index) =>
    chain
      ? chainSteps(context, item, chain, run, runs[index + 1]?.startedAt ?? null, calendarId)
      : thresholdSteps(context, item, run, calendarId),
  )
}

function chainSteps(
  context: PlanContext,
  item: SlaItem,
  chain: EscalationChain,
  run: ItemRun,
  nextRunAt: number | null,
  calendarId: string,
): PlannedStep[] {
  const steps: PlannedStep[] = []
  for (const step of chain.steps) {
    if (step.tiers !== undefined && !step.tiers.includes(context.lead.tier ?? '')) {
      continue
    }
    let dueAt: number | null
    if (step.when !== undefined) {
      // A `when` step follows its event (the cadence ran out), not the clock, which has
      // usually stopped at the first attempt by then.
      const whenAt = happenedWithin(context, step.when, run.startedAt, nextRunAt ?? Infinity)
      const reached = runReaches(
        context,
        { ...run, endedAt: null, endedBy: null },
        calendarId,
        step.at,
      )
      dueAt = whenAt === undefined || reached === null ? null : Math.max(whenAt, reached)
    } else {
      dueAt = runReaches(context, run, calendarId, step.at)
    }
    if (dueAt === null) {
      continue
    }
    if (
      step.unless !== undefined &&
      happenedWithin(context, step.unless, run.startedAt, dueAt) !== undefined
    ) {
      continue
    }
    steps.push(
      baseStep(context, {
        keyParts: [item.id, run.startedAt, step.id],
        kind: 'chain-step',
        subjectId: item.id,
        subject: item.name,
        stepId: step.id,
        title: `${step.label} · ${step.title}`,
        severity: step.severity ?? (step.at.amount === 0 ? 'notice' : 'reminder'),
        dueAt,
        clockStartedAt: run.startedAt,
        calendarId,
        repRole: item.owner,
        notify: step.notify,
        requiredAction: step.requiredAction,
        actionDueAt: null,
        managerActions: step.managerActions ?? [],
        rootCauseDueAt: step.rootCauseDue === undefined ? null : addWall(dueAt, step.rootCauseDue),
      }),
    )
  }
  return steps
}

function describeDeadline(deadline: SlaItem['target']): string {
  return typeof deadline === 'string'
    ? deadline
    : `${deadline.amount} ${deadline.business ? 'business ' : ''}${deadline.unit}${deadline.amount === 1 ? '' : 's'}`
}

/** An item without a chain: a reminder at its check-in and target, an escalation at breach. */
function thresholdSteps(
  context: PlanContext,
  item: SlaItem,
  run: ItemRun,
  calendarId: string,
): PlannedStep[] {
  const thresholds: {
    stepId: string
    deadline: SlaItem['target'] | undefined
    severity: EscalationSeverity
    notify: readonly string[]
    title: string
    requiredAction: string
  }[] = [
    {
      stepId: 'check-in',
      deadline: item.checkIn,
      severity: 'reminder',
      notify: ['owner'],
      title: `${item.name}: check-in${item.checkIn ? ` at ${describeDeadline(item.checkIn)}` : ''}`,
      requiredAction: `Resolve before the ${describeDeadline(item.breach)} window closes`,
    },
    {
      stepId: 'target',
      deadline: sameDeadline(item.target, item.breach) ? undefined : item.target,
      severity: 'reminder',
      notify: ['owner'],
      title: `${item.name}: target of ${describeDeadline(item.target)} passed`,
      requiredAction: `Act before the breach at ${describeDeadline(item.breach)}`,
    },
    {
      stepId: 'breach',
      deadline: item.breach,
      severity: 'alert',
      notify: ['owner', ...item.escalateTo],
      title: `${item.name}: breached (${describeDeadline(item.breach)})`,
      requiredAction: `${item.escalateTo.join(', ')} to act on the breach`,
    },
  ]
  return thresholds.flatMap((threshold) => {
    const dueAt = deadlineInstant(context, item, run, calendarId, threshold.deadline)
    return dueAt === null
      ? []
      : [
          baseStep(context, {
            keyParts: [item.id, run.startedAt, threshold.stepId],
            kind: 'sla-threshold',
            subjectId: item.id,
            subject: item.name,
            stepId: threshold.stepId,
            title: threshold.title,
            severity: threshold.severity,
            dueAt,
            clockStartedAt: run.startedAt,
            calendarId,
            repRole: item.owner,
            notify: threshold.notify,
            requiredAction: threshold.requiredAction,
            actionDueAt: null,
            managerActions: [],
            rootCauseDueAt: null,
          }),
        ]
  })
}

function sameDeadline(a: SlaItem['target'], b: SlaItem['target']): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Section 07's next-action SLA of each stage the deal entered: a reminder to the AE when the
 * stage's action is not logged in time (the stale protocol escalates beyond that).
 */
function stageNextActions(context: PlanContext): PlannedStep[] {
  const opportunity = context.lead.opportunity
  if (!opportunity) {
    return []
  }
  const calendarId = opportunityCalendarId(context)
  if (calendarId === null) {
    return []
  }
  const closedAt = context.moments.find(
    (moment) => moment.event === 'closed-won' || moment.event === 'closed-lost',
  )?.at
  const steps: PlannedStep[] = []
  opportunity.stageHistory.forEach((entry, index) => {
    const stage = context.policy.opportunityStages.find(
      (candidate) => candidate.stage === entry.stage,
    )
    if (!stage) {
      return
    }
    const stageEnd = opportunity.stageHistory[index + 1]?.enteredAt ?? closedAt ?? Infinity
    const within = context.moments.filter(
      (moment) => moment.at >= entry.enteredAt && moment.at < stageEnd,
    )
    const action = stage.nextAction
    const doneEvent = action.from === 'last-check-in' ? 'activity-logged' : 'next-step-logged'
    const anchors =
      action.from === 'meeting'
        ? within.filter((moment) => moment.event === 'meeting-held').map((moment) => moment.at)
        : action.from === 'last-check-in'
          ? [entry.enteredAt, ...within.filter((m) => m.event === doneEvent).map((m) => m.at)]
          : [entry.enteredAt]
    for (const anchor of anchors) {
      const doneAt = within.find((moment) => moment.event === doneEvent && moment.at > anchor)?.at
      const endedAt = Math.min(doneAt ?? Infinity, stageEnd)
      const run: ClockRun = {
        startedAt: anchor,
        endedAt: Number.isFinite(endedAt) ? endedAt : null,
        endedBy: Number.isFinite(endedAt) ? 'stop' : null,
        pauses: [],
      }
      const dueAt = runReaches(context, run, calendarId, action.within)
      if (dueAt === null) {
        continue
      }
      steps.push(
        baseStep(context, {
          keyParts: [`opportunity-stage-${stage.stage}`, anchor, 'next-action'],
          kind: 'sla-threshold',
          subjectId: `opportunity-stage-${stage.stage}`,
          subject: `Stage ${stage.stage} (${stage.name})`,
          stepId: 'next-action',
          title: `Stage ${stage.stage} (${stage.name}) next action overdue: ${action.description}`,
          severity: 'alert',
          dueAt,
          clockStartedAt: anchor,
          calendarId,
          repRole: 'ae',
          notify: ['owner'],
          requiredAction: action.description,
          actionDueAt: null,
          managerActions: [],
          rootCauseDueAt: null,
        }),
      )
    }
  })
  return steps
}

/** The AE's calendar, in which the opportunity's own SLAs run (null: it cannot be chosen). */
function opportunityCalendarId(context: PlanContext): string | null {
  const choice = clockCalendar(context.policy, context.calendars, 'owner', 'ae', context.lead)
  return 'calendarId' in choice ? choice.calendarId : null
}

/** Section 09's stale-opportunity protocol, from the opportunity's own history. */
function staleAlerts(context: PlanContext): PlannedStep[] {
  const opportunity = context.lead.opportunity
  if (!opportunity) {
    return []
  }
  const calendarId = opportunityCalendarId(context)
  if (calendarId === null) {
    return []
  }
  const closes = ['closed-won', 'closed-lost'] as const
  const alerts: PlannedStep[] = []
  for (const trigger of context.policy.staleOpportunityTriggers) {
    const alert = (
      dueAt: number,
      anchor: number | string,
      clockStartedAt: number | null,
    ): PlannedStep =>
      baseStep(context, {
        keyParts: ['stale', trigger.id, anchor],
        kind: 'stale-alert',
        subjectId: trigger.id,
        subject: trigger.trigger,
        stepId: trigger.id,
        title: `Stale opportunity — ${trigger.trigger}`,
        severity: 'alert',
        dueAt,
        clockStartedAt,
        calendarId,
        repRole: 'ae',
        notify: trigger.alertTo,
        requiredAction: trigger.requiredAction,
        actionDueAt: addWall(dueAt, trigger.deadline),
        managerActions: [],
        rootCauseDueAt: null,
      })
    const condition = trigger.condition
    const runsOf = (rules: ClockRules): ClockRun[] => clockRuns(context.moments, rules)
    switch (condition.kind) {
      case 'no-next-step-for':
      case 'no-activity-for': {
        const rules: ClockRules = {
          startsOn: 'opportunity-created',
          restartsOn: [
            condition.kind === 'no-next-step-for' ? 'next-step-logged' : 'activity-logged',
          ],
          stopsOn: closes,
        }
        for (const run of runsOf(rules)) {
          const dueAt = runReaches(context, run, calendarId, condition.duration)
          if (dueAt !== null) {
            alerts.push(alert(dueAt, run.startedAt, run.startedAt))
          }
        }
        break
      }
      case 'stage-age-exceeded': {
        // One run per stage entered; each stage has its own maximum age.
        const entries = opportunity.stageHistory
        const closedAt = context.moments.find((moment) =>
          (closes as readonly string[]).includes(moment.event),
        )?.at
        entries.forEach((entry, index) => {
          const maxAge = context.policy.opportunityStages.find(
            (stage) => stage.stage === entry.stage,
          )?.maxAge
          const endedAt = entries[index + 1]?.enteredAt ?? closedAt ?? null
          if (maxAge === undefined) {
            return
          }
          const run: ClockRun = {
            startedAt: entry.enteredAt,
            endedAt,
            endedBy: endedAt === null ? null : 'stop',
            pauses: [],
          }
          const dueAt = runReaches(context, run, calendarId, maxAge)
          if (dueAt !== null) {
            alerts.push(alert(dueAt, `stage-${entry.stage}-${entry.enteredAt}`, entry.enteredAt))
          }
        })
        break
      }
      case 'close-date-pushed': {
        const zone = context.calendars.byId.get(calendarId)?.timeZone ?? 'UTC'
        const counted = new Map<string, number>()
        for (const pushedAt of opportunity.closeDatePushes) {
          const period = periodOf(pushedAt, condition.per, zone)
          const count = (counted.get(period) ?? 0) + 1
          counted.set(period, count)
          if (count === condition.times) {
            alerts.push(alert(pushedAt, period, null))
          }
        }
        break
      }
      case 'acv-change-over': {
        const original = opportunity.originalAcv
        if (original === null || original === 0) {
          break
        }
        let outside = false
        for (const change of opportunity.acvChanges) {
          const beyond = (Math.abs(change.acv - original) / original) * 100 > condition.percent
          if (beyond && !outside) {
            alerts.push(alert(change.at, change.at, null))
          }
          outside = beyond
        }
        break
      }
    }
  }
  return alerts
}

type Period = 'month' | 'quarter' | 'year'

/** Calendar month, quarter or year of an instant in a time zone, e.g. "2026-Q2". */
export function periodOf(at: number, per: Period, timeZone: string): string {
  const local = DateTime.fromMillis(at, { zone: timeZone })
  switch (per) {
    case 'month':
      return local.toFormat('yyyy-MM')
    case 'quarter':
      return `${local.year}-Q${local.quarter}`
    case 'year':
      return String(local.year)
  }
}

/** [start, end) of the calendar period containing `at`, in the time zone. */
export function periodBounds(at: number, per: Period, timeZone: string): [number, number] {
  const start = DateTime.fromMillis(at, { zone: timeZone }).startOf(per)
  return [start.toMillis(), start.plus({ [`${per}s`]: 1 }).toMillis()]
}

/** After a step fired: its root cause going overdue, or the notice that closes the loop. */
function followUpSteps(context: PlanContext, record: EscalationRecord): PlannedStep[] {
  const chainStep = chainStepOf(context.policy, record)
  const steps: PlannedStep[] = []
  const inherited = {
    subjectId: record.subjectId,
    subject: record.title,
    clockStartedAt: null,
    calendarId: context.calendars.wallClock.id,
    repRole: context.policy.slaItems.find((item) => item.id === record.subjectId)?.owner ?? 'sdr',
    managerActions: [],
    rootCauseDueAt: null,
  }
  const rootCauseLate =
    record.rootCauseDueAt !== null &&
    !record.graced &&
    (record.rootCause === null || record.rootCause.at > record.rootCauseDueAt)
  if (rootCauseLate && record.rootCauseDueAt !== null) {
    steps.push(
      baseStep(context, {
        ...inherited,
        keyParts: [record.stepKey.slice(context.lead.leadId.length + 1), 'root-cause-overdue'],
        kind: 'root-cause-overdue',
        stepId: 'root-cause-overdue',
        title: `Root cause overdue — ${record.title}`,
        severity: 'critical',
        dueAt: record.rootCauseDueAt,
        notify: chainStep?.notify ?? ['owner-manager'],
        requiredAction: 'Document the root cause of the critical breach now',
        actionDueAt: null,
      }),
    )
  }
  const noticeWithin = chainStep?.resolutionNoticeWithin
  if (record.resolution !== null && noticeWithin !== undefined) {
    steps.push(
      baseStep(context, {
        ...inherited,
        keyParts: [record.stepKey.slice(context.lead.leadId.length + 1), 'resolution-notice'],
        kind: 'resolution-notice',
        stepId: 'resolution-notice',
        title: `Resolved — ${record.title}: ${record.resolution.action}`,
        severity: 'notice',
        dueAt: record.resolution.at,
        notify: ['sdr', 'sdr-manager'],
        requiredAction: record.resolution.note,
        actionDueAt: addWall(record.resolution.at, noticeWithin),
      }),
    )
  }
  return steps
}

function chainStepOf(policy: Policy, record: EscalationRecord) {
  const chainId = policy.slaItems.find((item) => item.id === record.subjectId)?.escalationChain
  return chainId === undefined
    ? undefined
    : policy.escalationChains[chainId]?.steps.find((step) => step.id === record.stepId)
}
