/**
 * Required follow-ups as tasks: an AE rejection's required response (AE-REJ-01…05), a recycling
 * scenario's check-in, and the SDR's "cadence completed → recycle" step of section 09. A task is
 * part of the lead's state, opened and completed by the lead's events (pure). With the calendars
 * it gets its owner and due instant (`taskViews`), and two planned steps (`taskSteps`): its
 * assignment, and its escalation when overdue — fired by the escalation scheduler like any step.
 */
import type { PolicyDuration } from '../policy/duration.js'
import { durationMs } from '../policy/duration.js'
import type { Policy, ReasonCode } from '../policy/policy-schema.js'
import type { ClockEventName } from './clock-events.js'
import type { PlannedStep } from './escalation/escalation-plan.js'
import { repOf } from './escalation/recipients.js'
import type { LeadEffect } from './lead-effects.js'
import { addWallDuration } from './wall-duration.js'
import type { LeadState } from './lead-state.js'
import type { NewLeadEvent } from './recorded-event.js'
import type { CalendarSet } from './clock-calendars.js'
import { clockCalendar } from './clock-calendars.js'

/** What completes a task implicitly: a clock moment, or a meeting booked (a reschedule). */
export type TaskMoment = ClockEventName | 'meeting-booked'

export interface LeadTask {
  /** Stable across replays: lead, source and opening instant. */
  readonly id: string
  /** What opened it: a reason code (`AE-REJ-04`), `check-in:<scenario>`, or `chain:<step>`. */
  readonly source: string
  readonly text: string
  /** The role whose person owns it (the lead's SDR or AE), or a team role (revops). */
  readonly ownerRole: string
  /** Told when it goes overdue, with the owner: the reviewer the policy names, else the owner's manager. */
  readonly escalateTo: readonly string[]
  readonly openedAt: number
  /** Measured in the owner's calendar when in business time. */
  readonly due: PolicyDuration
  /** The moments that do what the task asks (besides `task.completed`). */
  readonly completedOn: readonly TaskMoment[]
  readonly completion: {
    readonly at: number
    /** `task.completed`, or the moment that fulfilled it. */
    readonly by: string
    readonly actor: string | null
    readonly note: string | null
  } | null
}

type RecyclingScenario = Policy['recycling']['scenarios'][number]

/** Leaving SAL one way or another is what a task that sent the lead back to SAL asks for. */
const SAL_RESOLVED: readonly TaskMoment[] = ['sql-promoted', 'recycled', 'disqualified']

/** The moments that fulfil a rejection's task, by the code's effect. */
const FULFILLED_BY: Readonly<Partial<Record<ReasonCode['effect'], readonly TaskMoment[]>>> = {
  'return-to-sal': SAL_RESOLVED,
  're-engage-contact': SAL_RESOLVED,
  reschedule: ['meeting-booked', 'recycled', 'disqualified'],
  'revops-arbitration': ['owner-assigned', 'disqualified'],
}

function escalationOf(ownerRole: string, reviewer: string | undefined): string[] {
  return reviewer === undefined || reviewer === ownerRole ? ['owner-manager'] : [reviewer]
}

function taskId(leadId: string, source: string, at: number): string {
  return `${leadId}:task:${source}:${at}`
}

/** The task of an AE rejection code that names one (`task` in the policy). */
export function rejectionTask(leadId: string, code: ReasonCode, at: number): LeadTask | undefined {
  if (code.task === undefined) {
    return undefined
  }
  return {
    id: taskId(leadId, code.code, at),
    source: code.code,
    text: `${code.code}: ${code.requiredResponse}`,
    ownerRole: code.task.owner,
    escalateTo: escalationOf(code.task.owner, code.reviewedBy),
    openedAt: at,
    due: code.task.due,
    completedOn: FULFILLED_BY[code.effect] ?? [],
    completion: null,
  }
}

/** A recycling scenario's check-in (e.g. month 6 of Not Ready); a new MQL makes it moot. */
export function checkInTask(
  leadId: string,
  scenario: RecyclingScenario,
  at: number,
): LeadTask | undefined {
  if (scenario.checkInAfter === undefined) {
    return undefined
  }
  const owner = scenario.checkInBy ?? scenario.owner
  return {
    id: taskId(leadId, `check-in:${scenario.id}`, at),
    source: `check-in:${scenario.id}`,
    text: `Check in: ${scenario.scenario} — re-MQL when: ${scenario.reMqlTrigger}`,
    ownerRole: owner,
    escalateTo: escalationOf(owner, undefined),
    openedAt: at,
    due: scenario.checkInAfter,
    completedOn: ['mql-created', 'disqualified'],
    completion: null,
  }
}

/** Section 09's "cadence completed" step of the lead's response chain, when it opens a task. */
function cadenceStep(policy: Policy, lead: LeadState) {
  const item = policy.slaItems.find(
    (candidate) => candidate.responseTier === lead.tier && candidate.escalationChain !== undefined,
  )
  const chain =
    item?.escalationChain === undefined ? undefined : policy.escalationChains[item.escalationChain]
  return chain?.steps.find(
    (step) => step.when === 'cadence-completed-no-response' && step.taskDue !== undefined,
  )
}

export function cadenceTask(policy: Policy, lead: LeadState, at: number): LeadTask | undefined {
  const step = cadenceStep(policy, lead)
  if (step?.taskDue === undefined) {
    return undefined
  }
  return {
    id: taskId(lead.leadId, `chain:${step.id}`, at),
    source: `chain:${step.id}`,
    text: `${step.title}: ${step.requiredAction}`,
    ownerRole: step.actor,
    escalateTo: escalationOf(step.actor, undefined),
    openedAt: at,
    due: step.taskDue,
    completedOn: ['recycled', 'disqualified', 'sql-promoted'],
    completion: null,
  }
}

export function openTask(state: LeadState, task: LeadTask | undefined): LeadState {
  return task === undefined || state.tasks.some((open) => open.id === task.id)
    ? state
    : { ...state, tasks: [...state.tasks, task] }
}

/**
 * Completes the open tasks (of those that existed before this event) that one of the event's
 * moments fulfils: the clock moments it emitted, or a booked meeting.
 */
export function settleTasks(
  state: LeadState,
  openedBefore: ReadonlySet<string>,
  event: NewLeadEvent,
  effects: readonly LeadEffect[],
): LeadState {
  const moments: TaskMoment[] = effects.flatMap((effect) =>
    effect.kind === 'clock-event' ? [effect.event] : [],
  )
  if (event.type === 'meeting.booked') {
    moments.push('meeting-booked')
  }
  if (moments.length === 0 || !state.tasks.some((task) => task.completion === null)) {
    return state
  }
  return {
    ...state,
    tasks: state.tasks.map((task) => {
      const by = moments.find((moment) => task.completedOn.includes(moment))
      return task.completion !== null || !openedBefore.has(task.id) || by === undefined
        ? task
        : {
            ...task,
            completion: { at: event.occurredAt, by, actor: event.actor?.id ?? null, note: null },
          }
    }),
  }
}

/** `task.completed`: the open task it names is done, or a refusal naming the open ones. */
export function completeTask(
  state: LeadState,
  taskIdToComplete: string,
  note: string | undefined,
  at: number,
  actor: string | null,
): { state: LeadState } | { refusal: string } {
  const task = state.tasks.find((candidate) => candidate.id === taskIdToComplete)
  if (!task || task.completion !== null) {
    const open = state.tasks.filter((candidate) => candidate.completion === null)
    return {
      refusal: `${task ? 'task is already done' : 'no such task'}: "${taskIdToComplete}"; open tasks: ${
        open.length === 0 ? 'none' : open.map((candidate) => candidate.id).join(', ')
      }`,
    }
  }
  return {
    state: {
      ...state,
      tasks: state.tasks.map((candidate) =>
        candidate.id === task.id
          ? { ...candidate, completion: { at, by: 'task.completed', actor, note: note ?? null } }
          : candidate,
      ),
    },
  }
}

export type TaskState = 'open' | 'done'

/** A task as people see it: its owner (a person when one owns it) and its due instant. */
export interface TaskView {
  readonly taskId: string
  readonly leadId: string
  readonly source: string
  readonly text: string
  readonly ownerRole: string
  readonly ownerId: string | null
  readonly openedAt: number
  /** Null when the due is in business time and no calendar could be chosen (`calendarProblem`). */
  readonly dueAt: number | null
  readonly calendarProblem: string | null
  readonly state: TaskState
  readonly completedAt: number | null
  readonly completedBy: string | null
  readonly escalateTo: readonly string[]
}

interface TaskDue {
  readonly dueAt: number | null
  readonly calendarId: string
  readonly problem: string | null
}

/**
 * When a task is due: wall-clock dues (months by the calendar) need no calendar; business-time
 * dues run in the owner's calendar (a team-owned task in the prospect's), and a calendar that
 * cannot be chosen leaves the due unknown with its reason, never a silent default.
 */
function dueOf(policy: Policy, calendars: CalendarSet, lead: LeadState, task: LeadTask): TaskDue {
  if (!task.due.business) {
    return {
      dueAt: addWallDuration(task.openedAt, task.due),
      calendarId: calendars.wallClock.id,
      problem: null,
    }
  }
  const selector = repOf(lead, task.ownerRole) === null ? 'prospect' : 'owner'
  const choice = clockCalendar(policy, calendars, selector, task.ownerRole, lead)
  if ('problem' in choice) {
    return { dueAt: null, calendarId: calendars.wallClock.id, problem: choice.problem }
  }
  const calendar = calendars.byId.get(choice.calendarId) ?? calendars.wallClock
  return {
    dueAt: calendar.add(task.openedAt, durationMs(task.due, calendar.businessDayMs)),
    calendarId: calendar.id,
    problem: null,
  }
}

export function taskDueAt(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
  task: LeadTask,
): number | null {
  return dueOf(policy, calendars, lead, task).dueAt
}

export function taskViews(policy: Policy, calendars: CalendarSet, lead: LeadState): TaskView[] {
  return lead.tasks.map((task) => {
    const due = dueOf(policy, calendars, lead, task)
    return {
      taskId: task.id,
      leadId: lead.leadId,
      source: task.source,
      text: task.text,
      ownerRole: task.ownerRole,
      ownerId: repOf(lead, task.ownerRole),
      openedAt: task.openedAt,
      dueAt: due.dueAt,
      calendarProblem: due.problem,
      state: task.completion === null ? 'open' : 'done',
      completedAt: task.completion?.at ?? null,
      completedBy: task.completion?.by ?? null,
      escalateTo: task.escalateTo,
    }
  })
}

/**
 * Each task's assignment (when it opens, to its owner, with its due instant as the action's due)
 * and its escalation when still open at its due instant. Grace is the plan’s to decide.
 */
export function taskSteps(
  policy: Policy,
  calendars: CalendarSet,
  lead: LeadState,
): Omit<PlannedStep, 'graced'>[] {
  return lead.tasks.flatMap((task) => {
    const { dueAt, calendarId } = dueOf(policy, calendars, lead, task)
    const common = {
      leadId: lead.leadId,
      subjectId: task.source,
      subject: `Task — ${task.source}`,
      calendarId,
      repRole: task.ownerRole,
      requiredAction: task.text,
      managerActions: [],
      rootCauseDueAt: null,
    }
    const assigned: Omit<PlannedStep, 'graced'> = {
      ...common,
      key: `${task.id}:assigned`,
      kind: 'task-assigned',
      stepId: 'task-assigned',
      title: `Task assigned: ${task.text}`,
      severity: 'notice',
      dueAt: task.openedAt,
      clockStartedAt: null,
      notify: ['owner'],
      actionDueAt: dueAt,
    }
    // No overdue step without a due instant (its calendar problem shows on the task).
    const cannotBeOverdue =
      dueAt === null || (task.completion !== null && task.completion.at <= dueAt)
    return cannotBeOverdue
      ? [assigned]
      : [
          assigned,
          {
            ...common,
            key: `${task.id}:overdue`,
            kind: 'task-overdue',
            stepId: 'task-overdue',
            title: `Task overdue: ${task.text}`,
            severity: 'alert',
            dueAt,
            clockStartedAt: task.openedAt,
            notify: ['owner', ...task.escalateTo],
            actionDueAt: null,
          },
        ]
  })
}
