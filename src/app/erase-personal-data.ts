/**
 * Use case: the right to erasure. A person's personal data leaves every lead of theirs — the
 * event log (the one documented exception to its append-only rule), the audit trail's records of
 * their transitions, the notification outbox — and the derived rows are replayed from the erased
 * history. Erased fields keep every fact the engine derives (src/domain/personal-data.ts), so
 * stages, clocks, escalations and reports stay as they were. The erasure itself is audited: who,
 * when, from where, which leads and fields — never the values.
 */
import {
  ERASED,
  erasePayload,
  PERSONAL_MESSAGE_FIELDS,
  profileCountries,
} from '../domain/personal-data.js'
import type { RecordedEvent } from '../domain/recorded-event.js'
import type { Roster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { RecordedAuditEntry } from './access-port.js'
import type { ChangeOrigin } from './api-tokens.js'
import { auditEntry } from './api-tokens.js'
import { rebuildFromHistories } from './ingest-events.js'
import type { LeadRecord, LeadRepository } from './lead-repository.js'

export interface ErasureDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  /** The team, for `calendar: owner` clocks of the replayed leads. */
  readonly roster?: () => Roster | undefined
}

/** Whose data: one lead, every lead with an email address (compared lower-cased), or both. */
export interface ErasureRequest {
  readonly leadId?: string
  readonly email?: string
}

export interface ErasureRequester {
  /** Leads the requester may not see are not erased (and not named). */
  mayErase(lead: LeadRecord): boolean
  readonly by: ChangeOrigin
}

export type ErasureOutcome =
  | {
      readonly status: 'erased'
      readonly leadIds: readonly string[]
      /** Events whose payload held personal data (none when it was erased before). */
      readonly events: number
      /** Audit entries of the leads' transitions that recorded it. */
      readonly auditEntries: number
      /** The payload fields that held it, e.g. `profile.email`. */
      readonly fields: readonly string[]
    }
  | { readonly status: 'not-found' }

export const ERASURE_ACTION = 'privacy.erased'

interface ErasedLead {
  readonly history: RecordedEvent[]
  readonly rewritten: { eventId: string; payload: Readonly<Record<string, unknown>> }[]
  readonly fields: Set<string>
}

/** A lead's history with its personal data erased, and what changed. */
function eraseHistory(history: readonly RecordedEvent[]): ErasedLead {
  const countries = profileCountries(history)
  const erased: ErasedLead = { history: [], rewritten: [], fields: new Set() }
  for (const event of history) {
    const { payload, fields } = erasePayload(event.type, event.payload, countries)
    erased.history.push({ ...event, payload })
    if (fields.length > 0) {
      erased.rewritten.push({ eventId: event.eventId, payload })
      fields.forEach((field) => erased.fields.add(field))
    }
  }
  return erased
}

/** A transition's audit entry records the event's payload; it is erased like the event. */
function erasedAuditEntry(
  entry: RecordedAuditEntry,
  countries: readonly (string | undefined)[],
): Pick<RecordedAuditEntry, 'seq' | 'before' | 'after' | 'detail'> | undefined {
  const payload = entry.detail?.payload
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return undefined
  }
  const erased = erasePayload(entry.action, payload as Record<string, unknown>, countries)
  return erased.fields.length === 0
    ? undefined
    : { ...entry, detail: { ...entry.detail, payload: erased.payload } }
}

/** The leads a request names: its lead id, and the leads that have its email address now. */
async function matchingLeadIds(
  repository: LeadRepository,
  request: ErasureRequest,
): Promise<string[]> {
  const email = request.email?.trim().toLowerCase()
  const byEmail =
    email === undefined || email === ''
      ? []
      : await repository.withLeadsLocked([], async (tx) =>
          (await tx.findLeadsByEmails([email])).map((lead) => lead.leadId),
        )
  return [...new Set([...(request.leadId === undefined ? [] : [request.leadId]), ...byEmail])]
}

export async function erasePersonalData(
  deps: ErasureDependencies,
  request: ErasureRequest,
  requester: ErasureRequester,
  at: number,
): Promise<ErasureOutcome> {
  const candidates = await matchingLeadIds(deps.repository, request)
  if (candidates.length === 0) {
    return { status: 'not-found' }
  }
  return deps.repository.withLeadsLocked(candidates, async (tx) => {
    const leads = (await Promise.all(candidates.map((leadId) => tx.getLead(leadId)))).filter(
      (lead): lead is LeadRecord => lead !== undefined && requester.mayErase(lead),
    )
    if (leads.length === 0) {
      return { status: 'not-found' }
    }
    const leadIds = leads.map((lead) => lead.leadId).sort()
    await tx.erasure.declare()
    const histories = await tx.listEventsOfLeads(leadIds)
    const erased = new Map(
      [...histories].map(([leadId, history]) => [leadId, eraseHistory(history)]),
    )
    await tx.erasure.rewritePayloads([...erased.values()].flatMap((lead) => lead.rewritten))
    const auditRewrites = (await tx.erasure.auditEntriesAbout(leadIds)).flatMap(
      (entry) =>
        erasedAuditEntry(entry, profileCountries(histories.get(entry.subject) ?? [])) ?? [],
    )
    await tx.erasure.rewriteAuditEntries(auditRewrites)
    await tx.erasure.eraseMessageFields(leadIds, PERSONAL_MESSAGE_FIELDS, ERASED)
    await rebuildFromHistories(
      tx,
      new Map([...erased].map(([leadId, lead]) => [leadId, lead.history])),
      deps.policy,
      deps.roster?.(),
    )
    const matchedBy = [
      ...(request.leadId === undefined ? [] : ['leadId']),
      ...(request.email === undefined ? [] : ['email']),
    ]
    for (const leadId of leadIds) {
      const lead = erased.get(leadId)
      await tx.appendAudit(
        auditEntry(requester.by, {
          at,
          action: ERASURE_ACTION,
          subject: leadId,
          before: null,
          after: null,
          detail: {
            matchedBy,
            events: lead?.rewritten.length ?? 0,
            fields: [...(lead?.fields ?? [])].sort(),
          },
        }),
      )
    }
    return {
      status: 'erased',
      leadIds,
      events: [...erased.values()].reduce((sum, lead) => sum + lead.rewritten.length, 0),
      auditEntries: auditRewrites.length,
      fields: [...new Set([...erased.values()].flatMap((lead) => [...lead.fields]))].sort(),
    }
  })
}
