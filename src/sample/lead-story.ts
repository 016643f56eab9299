/**
 * The planned events of one sample lead. Plans are made cause before effect; `events()` puts them
 * in occurrence order (at least a second apart, so ties never reorder them), keys them
 * `sample:<leadId>:<n>` and leaves out whatever is dated after the sample's end.
 */
import type { LeadEventPayload, LeadEventType } from '../domain/lead-events.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import type { SamplePerson } from './sample-team.js'

const SECOND = 1000

export interface PlannedEvent {
  readonly type: LeadEventType
  readonly at: number
  readonly payload: Readonly<Record<string, unknown>>
  readonly actor: SamplePerson | null
  /** How long after it happened it was logged (ms); 0 for on time. */
  readonly logLag: number
}

export interface OrderedEvent {
  readonly planned: PlannedEvent
  readonly event: NewLeadEvent
}

export class LeadStory {
  private planned: PlannedEvent[] = []

  constructor(
    readonly leadId: string,
    private readonly source: string,
  ) {}

  /** Plans an event; returns its instant (whole seconds). */
  add<T extends LeadEventType>(
    type: T,
    at: number,
    payload: LeadEventPayload<T>,
    actor: SamplePerson | null = null,
    logLag = 0,
  ): number {
    const when = Math.round(at / SECOND) * SECOND
    this.planned.push({
      type,
      at: when,
      payload,
      actor,
      logLag: Math.round(logLag / SECOND) * SECOND,
    })
    return when
  }

  drop(events: readonly PlannedEvent[]): void {
    this.planned = this.planned.filter((event) => !events.includes(event))
  }

  /** Every planned event in occurrence order, as the event log would hold it. */
  ordered(): OrderedEvent[] {
    const sorted = this.planned
      .map((planned, index) => ({ planned, index }))
      .sort((a, b) => a.planned.at - b.planned.at || a.index - b.index)
    let previous = Number.NEGATIVE_INFINITY
    return sorted.map(({ planned }, index) => {
      const occurredAt = Math.max(planned.at, previous + SECOND)
      previous = occurredAt
      const event: NewLeadEvent = {
        idempotencyKey: `sample:${this.leadId}:${index + 1}`,
        leadId: this.leadId,
        type: planned.type,
        occurredAt,
        receivedAt: occurredAt + planned.logLag,
        actor: planned.actor ? { id: planned.actor.id, role: planned.actor.role } : null,
        source: this.source,
        payload: planned.payload,
      }
      return { planned, event }
    })
  }

  /**
   * The events that happened and were logged by `end`, keyed in order. An event dated after the
   * end has not happened yet, and nor has anything after it; an activity logged after the end is
   * not in the log yet.
   */
  events(end: number): NewLeadEvent[] {
    const events: NewLeadEvent[] = []
    for (const { event } of this.ordered()) {
      if (event.occurredAt > end) {
        break
      }
      if (event.receivedAt > end) {
        continue
      }
      events.push({ ...event, idempotencyKey: `sample:${this.leadId}:${events.length + 1}` })
    }
    return events
  }
}
