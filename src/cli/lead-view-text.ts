/** `leadclock lead ID` as text, from the JSON view: every instant in the lead's zone with UTC beside it. */
import type { LeadViewJson } from '../app/lead-view-json.js'
import { readableInstant } from '../domain/lead-local-time.js'
import { textTable } from './text-table.js'

export function leadViewText(view: LeadViewJson): string[] {
  const { lead, scoreNow, clocks, clockWaits, upcomingEscalations, timeline, timeZone } = view
  const when = (iso: string | null): string =>
    iso === null ? '—' : readableInstant(Date.parse(iso), timeZone)
  const lines = [
    `${lead.leadId} — ${lead.profile.firstName ?? ''} ${lead.profile.lastName ?? ''} at ${lead.profile.company ?? '?'}`,
    `Stage ${lead.stage.toUpperCase()} · tier ${lead.tier ?? '—'} · owner ${lead.ownerId ?? '—'} · policy ${lead.policyVersion} · times in ${timeZone}`,
    `Score now ${scoreNow.total} (fit ${scoreNow.fitScore}/100): ${scoreNow.lines.map((l) => `${l.signal} ${l.points > 0 ? '+' : ''}${l.points}`).join(', ')}`,
    '',
    textTable(
      ['SLA clock', 'Status', 'Started', 'Target', 'Breach', 'Elapsed (min)'],
      clocks.map((clock) => [
        clock.name,
        // Why a clock cannot run, or why it waits, belongs next to its status.
        [clock.status, clock.problem ?? clock.pausedSince?.reason].filter(Boolean).join(': '),
        when(clock.startedAt),
        when(clock.targetAt),
        when(clock.breachAt),
        String(Math.round(clock.elapsedMs / 60_000)),
      ]),
    ),
  ]
  if (view.tasks.length > 0) {
    lines.push(
      '',
      textTable(
        ['Task', 'Owner', 'Due', 'State'],
        view.tasks.map((task) => [
          task.text,
          task.ownerId ?? task.ownerRole,
          when(task.dueAt),
          task.state,
        ]),
      ),
    )
  }
  if (clockWaits.length > 0) {
    lines.push('', 'Not started:', ...clockWaits.map((wait) => `  ${wait.reason}`))
  }
  if (view.firedEscalations.length > 0) {
    lines.push(
      '',
      textTable(
        ['Fired escalation', 'Severity', 'Due', 'Fired'],
        view.firedEscalations.map((step) => [
          step.title,
          step.severity,
          when(step.dueAt),
          when(step.firedAt),
        ]),
      ),
    )
  }
  if (upcomingEscalations.length > 0) {
    lines.push(
      '',
      textTable(
        ['Upcoming escalation', 'Severity', 'Due'],
        upcomingEscalations.map((step) => [step.title, step.severity, when(step.dueAt)]),
      ),
    )
  }
  lines.push(
    '',
    textTable(
      ['Occurred', 'Event', 'Actor'],
      timeline.map((event) => [when(event.occurredAt), event.type, event.actor?.id ?? '—']),
    ),
  )
  return lines
}
