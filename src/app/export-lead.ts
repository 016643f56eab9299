/**
 * Use case: a data-subject access export of one lead — the person's personal data, and everything
 * Leadclock holds about the lead: its derived state, clocks, tasks, escalations, its events (with
 * their payloads) and the notifications sent about it.
 */
import { PERSONAL_PROFILE_FIELDS } from '../domain/personal-data.js'
import type { LeadViewJson } from './lead-view-json.js'
import { leadViewJson } from './lead-view-json.js'
import type { ReadDependencies } from './read-lead.js'
import { readLead } from './read-lead.js'

/** More than the steps, channels and recipients of one lead's escalations ever make. */
const NOTIFICATIONS_PER_LEAD = 1000

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString())

export interface LeadExport {
  readonly exportedAt: string
  readonly leadId: string
  /** The profile fields that identify the person, as Leadclock holds them (erased: tombstones). */
  readonly personalData: Readonly<Record<string, unknown>>
  /** The lead as `GET /leads/{id}` shows it: state, clocks, tasks, escalations, timeline. */
  readonly lead: LeadViewJson & Record<string, unknown>
  readonly notifications: readonly Readonly<Record<string, unknown>>[]
}

/** The export of a lead the caller may read (`mayRead` of its owner); undefined otherwise. */
export async function exportLead(
  deps: ReadDependencies,
  leadId: string,
  now: number,
  mayRead: (ownerId: string | null) => boolean,
): Promise<LeadExport | undefined> {
  const view = await readLead(deps, leadId, now)
  if (view === undefined || !mayRead(view.lead.ownerId)) {
    return undefined
  }
  const profile: Readonly<Record<string, unknown>> = view.lead.profile
  const deliveries = await deps.repository.outbox.listDeliveries({
    leadId,
    limit: NOTIFICATIONS_PER_LEAD,
  })
  return {
    exportedAt: new Date(now).toISOString(),
    leadId,
    personalData: Object.fromEntries(
      PERSONAL_PROFILE_FIELDS.flatMap((field) =>
        profile[field] === undefined ? [] : [[field, profile[field]]],
      ),
    ),
    lead: leadViewJson(view),
    notifications: deliveries.map((delivery) => ({
      deliveryKey: delivery.deliveryKey,
      channel: delivery.channel,
      state: delivery.state,
      createdAt: iso(delivery.createdAt),
      deliveredAt: iso(delivery.deliveredAt),
      message: delivery.notification.message,
    })),
  }
}
