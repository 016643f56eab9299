/**
 * How escalation facts change a lead: a fired step is recorded once; a manager action closes a
 * formal breach only with one of its documented actions; a root cause is kept with its time.
 */
import type { LeadEventPayload } from '../lead-events.js'
import type { EscalationRecord, LeadState } from '../lead-state.js'
import type { RefusalRule } from '../lifecycle/refusal-rules.js'
import type { EventActor } from '../recorded-event.js'

export interface EscalationRefusal {
  readonly rule: RefusalRule
  readonly message: string
  readonly field: string
}

export type EscalationOutcome =
  { readonly state: LeadState } | { readonly refusal: EscalationRefusal }

export function recordFiredEscalation(
  state: LeadState,
  fired: LeadEventPayload<'escalation.fired'>,
  at: number,
): LeadState {
  if (state.escalations.some((record) => record.stepKey === fired.stepKey)) {
    return state
  }
  const record: EscalationRecord = {
    ...fired,
    firedAt: at,
    resolution: null,
    rootCause: null,
  }
  return { ...state, escalations: [...state.escalations, record] }
}

function findEscalation(
  state: LeadState,
  stepKey: string,
): { record: EscalationRecord } | { refusal: EscalationRefusal } {
  const record = state.escalations.find((candidate) => candidate.stepKey === stepKey)
  return record
    ? { record }
    : {
        refusal: {
          rule: 'escalation-exists',
          message: `lead ${state.leadId} has no escalation "${stepKey}"`,
          field: 'stepKey',
        },
      }
}

function replaceRecord(state: LeadState, record: EscalationRecord): LeadState {
  return {
    ...state,
    escalations: state.escalations.map((candidate) =>
      candidate.stepKey === record.stepKey ? record : candidate,
    ),
  }
}

export function resolveEscalation(
  state: LeadState,
  resolution: LeadEventPayload<'escalation.resolved'>,
  at: number,
  actor: EventActor | null,
): EscalationOutcome {
  const found = findEscalation(state, resolution.stepKey)
  if ('refusal' in found) {
    return found
  }
  const { record } = found
  if (record.resolution !== null) {
    return {
      refusal: {
        rule: 'escalation-open',
        message: `escalation "${record.title}" was already resolved (${record.resolution.action})`,
        field: 'stepKey',
      },
    }
  }
  if (record.managerActions.length > 0 && !record.managerActions.includes(resolution.action)) {
    return {
      refusal: {
        rule: 'escalation-manager-action',
        message: `"${resolution.action}" is not a documented action for "${record.title}"; record one of: ${record.managerActions.join(', ')}`,
        field: 'action',
      },
    }
  }
  return {
    state: replaceRecord(state, {
      ...record,
      resolution: {
        action: resolution.action,
        note: resolution.note,
        at,
        actor: actor?.id ?? null,
      },
    }),
  }
}

export function recordRootCause(
  state: LeadState,
  rootCause: LeadEventPayload<'escalation.root-caused'>,
  at: number,
  actor: EventActor | null,
): EscalationOutcome {
  const found = findEscalation(state, rootCause.stepKey)
  if ('refusal' in found) {
    return found
  }
  const { record } = found
  if (record.rootCauseDueAt === null) {
    return {
      refusal: {
        rule: 'root-cause-required',
        message: `"${record.title}" does not call for a root cause (only critical breaches do)`,
        field: 'stepKey',
      },
    }
  }
  return {
    state: replaceRecord(state, {
      ...record,
      rootCause: { text: rootCause.rootCause, at, actor: actor?.id ?? null },
    }),
  }
}

/** Open = a formal breach without a manager action, or a critical breach without a root cause. */
export function isOpenEscalation(record: EscalationRecord): boolean {
  return (
    (record.managerActions.length > 0 && record.resolution === null) ||
    (record.rootCauseDueAt !== null && record.rootCause === null)
  )
}
