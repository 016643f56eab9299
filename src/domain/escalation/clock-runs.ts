/**
 * The runs of one SLA clock over a lead's history: a clock starts on its start event, restarts
 * (a new run) on a restart event while it runs, pauses and resumes, and stops on a stop event.
 * A stopped clock starts again only on its start event (a new MQL, a new SQL…).
 */
import type { SlaClock } from '../../calendar/index.js'
import { pauseClock, resumeClock, startClock, stopClock } from '../../calendar/index.js'
import type { ClockEventName } from '../clock-events.js'
import type { LeadEffect } from '../lead-effects.js'

export interface ClockRules {
  readonly startsOn: ClockEventName
  readonly stopsOn: readonly ClockEventName[]
  readonly restartsOn?: readonly ClockEventName[] | undefined
  readonly pausesOn?: readonly ClockEventName[] | undefined
  readonly resumesOn?: readonly ClockEventName[] | undefined
}

export interface ClockRun {
  readonly startedAt: number
  /** Stop or restart instant; null while the run is open. */
  readonly endedAt: number | null
  /** How the run ended: a stop event or a restart. */
  readonly endedBy: 'stop' | 'restart' | null
  readonly pauses: readonly { readonly from: number; readonly to: number | null }[]
}

export interface ClockMoment {
  readonly event: ClockEventName
  readonly at: number
}

/** The clock moments of a lead, in time order (ties keep the order the engine emitted them). */
export function clockMoments(effects: readonly LeadEffect[]): ClockMoment[] {
  return effects
    .flatMap((effect) =>
      effect.kind === 'clock-event' ? [{ event: effect.event, at: effect.at }] : [],
    )
    .map((moment, index) => ({ moment, index }))
    .sort((a, b) => a.moment.at - b.moment.at || a.index - b.index)
    .map(({ moment }) => moment)
}

export function clockRuns(moments: readonly ClockMoment[], rules: ClockRules): ClockRun[] {
  const runs: ClockRun[] = []
  let open: { startedAt: number; pauses: { from: number; to: number | null }[] } | null = null
  const close = (at: number, endedBy: 'stop' | 'restart'): void => {
    if (open) {
      const pauses = open.pauses.map((pause) => (pause.to === null ? { ...pause, to: at } : pause))
      runs.push({ startedAt: open.startedAt, endedAt: at, endedBy, pauses })
      open = null
    }
  }
  for (const { event, at } of moments) {
    if (open && rules.stopsOn.includes(event)) {
      close(at, 'stop')
    } else if (open && (rules.restartsOn?.includes(event) || event === rules.startsOn)) {
      close(at, 'restart')
      open = { startedAt: at, pauses: [] }
    } else if (!open && event === rules.startsOn) {
      open = { startedAt: at, pauses: [] }
    } else if (open && rules.pausesOn?.includes(event) && open.pauses.at(-1)?.to !== null) {
      open.pauses.push({ from: at, to: null })
    } else if (open && rules.resumesOn?.includes(event) && open.pauses.at(-1)?.to === null) {
      const last = open.pauses.at(-1)
      if (last) {
        last.to = at
      }
    }
  }
  const last = open
  if (last) {
    runs.push({ startedAt: last.startedAt, endedAt: null, endedBy: null, pauses: last.pauses })
  }
  return runs
}

/** A run as the calendar module's SLA clock, in the calendar that measures it. */
export function runAsSlaClock(run: ClockRun, calendarId: string): SlaClock {
  let clock = startClock(calendarId, run.startedAt)
  for (const pause of run.pauses) {
    clock = pauseClock(clock, pause.from)
    if (pause.to !== null) {
      clock = resumeClock(clock, pause.to)
    }
  }
  return run.endedAt === null ? clock : stopClock(clock, run.endedAt)
}
