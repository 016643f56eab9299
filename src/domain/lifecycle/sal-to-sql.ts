/**
 * Stage 3, SAL to SQL (SDR qualification): the SDR records qualification and meetings; the L2 SQL
 * gate decides when the lead becomes an SQL for an AE.
 */
import type { Policy } from '../../policy/policy-schema.js'
import type { LeadState } from '../lead-state.js'
import type { StageHandlers } from './handler-context.js'
import { clock, moveTo, refuse, requireStage } from './handler-context.js'

function mergeQualification(
  current: LeadState['qualification'],
  update: LeadState['qualification'],
): LeadState['qualification'] {
  return {
    ...current,
    ...update,
    meddpic: { ...current.meddpic, ...update.meddpic },
  }
}

const FIELD_TEXT: Readonly<Record<string, string>> = {
  'pain-statement': 'pain statement',
  timeline: 'timeline',
  'meeting-link': 'meeting link',
}

/** L2 SQL gate: booked meeting, required fields, required MEDDPIC items. */
export function sqlGateMissing(policy: Policy, state: LeadState): { id: string; text: string }[] {
  const gate = policy.gates.sql
  const missing: { id: string; text: string }[] = []
  const meeting = state.meeting
  if (gate.requireBookedMeeting && (meeting === null || meeting.cancelled)) {
    missing.push({ id: 'booked-meeting', text: 'a booked meeting' })
  }
  const q = state.qualification
  const values: Record<(typeof gate.requiredFields)[number], string | undefined> = {
    'pain-statement': q.painStatement,
    timeline: q.timeline,
    'meeting-link': q.meetingLink ?? meeting?.link ?? undefined,
  }
  for (const field of gate.requiredFields) {
    if (!values[field]?.trim()) {
      missing.push({ id: field, text: `${FIELD_TEXT[field] ?? field} is empty` })
    }
  }
  if (gate.requireMeddpic !== 'none') {
    const needed = policy.meddpic.filter(
      (element) =>
        element.gate === 'required' ||
        (gate.requireMeddpic === 'preferred' && element.gate === 'preferred'),
    )
    for (const element of needed) {
      if (!q.meddpic?.[element.id]?.trim()) {
        missing.push({
          id: `meddpic-${element.id}`,
          text: `MEDDPIC ${element.name} is not confirmed`,
        })
      }
    }
  }
  return missing
}

export const salToSqlHandlers = {
  'qualification.updated': (context, payload) => {
    context.state = {
      ...context.state,
      qualification: mergeQualification(context.state.qualification, payload),
    }
  },
  'meeting.booked': (context, payload) => {
    context.state = {
      ...context.state,
      meeting: {
        at: payload.meetingAt,
        link: payload.link ?? null,
        cancelled: false,
        format: payload.format ?? null,
        durationMinutes: payload.durationMinutes ?? null,
        attendees: payload.attendees ?? [],
      },
    }
  },
  'meeting.cancelled': (context) => {
    const meeting = context.state.meeting
    context.state = { ...context.state, meeting: meeting ? { ...meeting, cancelled: true } : null }
  },
  'sql.promoted': (context, payload) => {
    if (!requireStage(context, ['sal'], 'SQL promotion')) {
      return
    }
    const qualification = mergeQualification(
      context.state.qualification,
      payload.qualification ?? {},
    )
    context.state = { ...context.state, qualification }
    const missing = sqlGateMissing(context.policy, context.state)
    if (missing.length > 0) {
      refuse(
        context,
        'sql-gate',
        `SQL needs ${missing.map((m) => m.text).join('; ')}`,
        missing.map((m) => m.id),
      )
      return
    }
    context.state = {
      ...context.state,
      aeId: payload.aeId,
      briefingReadAt: null,
      aeAcceptedAt: null,
    }
    moveTo(context, 'sql', 'qualified: meeting booked, pain, timeline and MEDDPIC confirmed')
    clock(context, 'ae-notified')
  },
} satisfies StageHandlers
