/** SLA clock pauses: an item's clock pauses only for a reason its policy allows, and resumes once. */
import type { ClockPause, LeadState } from '../lead-state.js'
import type { StageHandlers } from './handler-context.js'
import { at, refuse } from './handler-context.js'

function openPause(state: LeadState, itemId: string): ClockPause | undefined {
  return state.clockPauses.find((pause) => pause.itemId === itemId && pause.to === null)
}

export const clockPauseHandlers = {
  'clock.paused': (context, payload) => {
    const item = context.policy.slaItems.find((candidate) => candidate.id === payload.item)
    const allowed = item?.clock?.pauseReasons ?? []
    if (!allowed.includes(payload.reason)) {
      const pausable = context.policy.slaItems
        .filter((candidate) => candidate.clock?.pauseReasons !== undefined)
        .map((candidate) => candidate.id)
      refuse(
        context,
        'pause-reason-allowed',
        item === undefined
          ? `no SLA item "${payload.item}"; items that may pause: ${pausable.join(', ')}`
          : allowed.length === 0
            ? `the ${item.name} clock (${item.id}) cannot be paused; items that may pause: ${pausable.join(', ')}`
            : `the ${item.name} clock (${item.id}) may pause only for: ${allowed.join(', ')}; got "${payload.reason}"`,
        ['reason'],
      )
      return
    }
    const open = openPause(context.state, payload.item)
    if (open) {
      refuse(
        context,
        'pause-once',
        `the ${payload.item} clock is already paused since ${new Date(open.from).toISOString()} (${open.reason})`,
        ['item'],
      )
      return
    }
    context.state = {
      ...context.state,
      clockPauses: [
        ...context.state.clockPauses,
        { itemId: payload.item, reason: payload.reason, from: at(context), to: null },
      ],
    }
  },
  'clock.resumed': (context, payload) => {
    const open = openPause(context.state, payload.item)
    if (!open) {
      refuse(context, 'resume-paused', `the ${payload.item} clock is not paused`, ['item'])
      return
    }
    context.state = {
      ...context.state,
      clockPauses: context.state.clockPauses.map((pause) =>
        pause === open ? { ...pause, to: at(context) } : pause,
      ),
    }
  },
} satisfies StageHandlers
