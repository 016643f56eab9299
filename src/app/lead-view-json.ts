/**
 * The lead view as JSON (`GET /leads/{id}`, and what `leadclock lead` prints from): every
 * top-level `…At` instant of the lead, a clock (and its `pausedSince.at`), an escalation step, a
 * task, the cadence or a timeline event is an ISO 8601 UTC instant with a `…AtLocal` sibling in
 * the lead's zone (`timeZone`); null stays null.
 */
import { withLocalInstants } from '../domain/lead-local-time.js'
import type { ScoreBreakdown } from '../domain/scoring.js'
import type { LeadView } from './read-lead.js'

type Iso = string

/** The fields of the JSON view the CLI prints (the JSON has more). */
export interface LeadViewJson {
  readonly lead: {
    readonly leadId: string
    readonly profile: {
      readonly firstName?: string
      readonly lastName?: string
      readonly company?: string
    }
    readonly stage: string
    readonly tier: string | null
    readonly ownerId: string | null
    readonly policyVersion: string
  }
  readonly timeZone: string
  readonly scoreNow: ScoreBreakdown
  readonly clocks: readonly {
    readonly name: string
    readonly status: string
    readonly problem: string | null
    readonly pausedSince: { readonly reason: string } | null
    readonly startedAt: Iso
    readonly targetAt: Iso | null
    readonly breachAt: Iso | null
    readonly elapsedMs: number
  }[]
  readonly clockWaits: readonly { readonly reason: string }[]
  readonly tasks: readonly {
    readonly text: string
    readonly ownerId: string | null
    readonly ownerRole: string
    readonly dueAt: Iso | null
    readonly state: string
  }[]
  readonly firedEscalations: readonly {
    readonly title: string
    readonly severity: string
    readonly dueAt: Iso
    readonly firedAt: Iso
  }[]
  readonly upcomingEscalations: readonly {
    readonly title: string
    readonly severity: string
    readonly dueAt: Iso
  }[]
  readonly timeline: readonly {
    readonly type: string
    readonly occurredAt: Iso
    readonly actor: { readonly id: string } | null
  }[]
}

/** A clock as JSON: its instants (and its pause's) in UTC and in the lead's zone. */
export function clockJson(
  clock: LeadView['clocks'][number],
  zone: string,
): Record<string, unknown> {
  return {
    ...withLocalInstants(clock, zone),
    pausedSince: clock.pausedSince === null ? null : withLocalInstants(clock.pausedSince, zone),
  }
}

export function leadViewJson(view: LeadView): Record<string, unknown> & LeadViewJson {
  const localized = (record: object): Record<string, unknown> =>
    withLocalInstants(record, view.timeZone)
  const json = {
    lead: localized(view.lead),
    timeZone: view.timeZone,
    scoreNow: view.scoreNow,
    clocks: view.clocks.map((clock) => clockJson(clock, view.timeZone)),
    clockWaits: view.clockWaits.map((wait) => ({ ...wait, missing: [...wait.missing] })),
    upcomingEscalations: view.upcomingEscalations.map(localized),
    tasks: view.tasks.map(localized),
    cadence: view.cadence === null ? null : localized(view.cadence),
    firedEscalations: view.lead.escalations.map(localized),
    timeline: view.timeline.map(localized),
  }
  // The localized records keep every field of the view, with instants as ISO strings.
  return json as unknown as Record<string, unknown> & LeadViewJson
}
