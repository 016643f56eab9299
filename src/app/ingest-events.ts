/**
 * Use cases that write lead events: ingest (one or a batch) and request a transition. The HTTP
 * API, the CLI import and connectors all call these; none holds business rules of its own.
 */
import { emailDomain } from '../domain/hygiene.js'
import { leadClockSpans } from '../domain/lead-clock-spans.js'
import { replayLead } from '../domain/lead-engine.js'
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import type { Policy } from '../policy/policy-schema.js'
import type { InputProblem } from './event-input.js'
import type { LeadRecord, LeadRepository, LeadTransaction } from './lead-repository.js'
import { clockCalendarsOf, syncLeadSchedule } from './fire-escalations.js'
import type { Roster } from '../routing/roster.js'
import type { LiveRouting } from './route-mql.js'
import { routeUnownedMql } from './route-mql.js'

export interface IngestDependencies {
  readonly repository: LeadRepository
  readonly policy: Policy
  /** Live intake routes new MQLs; replays of history (import, audit) leave this out. */
  readonly routing?: LiveRouting
  /** The team, for `calendar: owner` clocks (else live routing's roster; else none). */
  readonly roster?: () => Roster
}

function rosterOf(deps: IngestDependencies): Roster | undefined {
  return (deps.roster ?? deps.routing?.roster)?.()
}

/** Re-derives a lead and, in live mode, routes it if it just became an MQL nobody owns. */
async function settleLead(
  tx: LeadTransaction,
  leadId: string,
  deps: IngestDependencies,
  at: number,
): Promise<LeadState | undefined> {
  const state = await rebuildLead(tx, leadId, deps.policy, rosterOf(deps))
  if (state && deps.routing && (await routeUnownedMql(tx, state, deps.policy, deps.routing, at))) {
    return rebuildLead(tx, leadId, deps.policy, rosterOf(deps))
  }
  return state
}

export interface RefusalSummary {
  readonly rule: string
  readonly message: string
}

export type IngestOutcome =
  | {
      readonly status: 'appended'
      readonly event: RecordedEvent
      readonly stage: string | null
      /** The engine recorded the event but refused what it asked for (a gate said no). */
      readonly refusal: RefusalSummary | null
    }
  | { readonly status: 'duplicate'; readonly event: RecordedEvent }
  | {
      readonly status: 'invalid'
      readonly index: number
      readonly problems: readonly InputProblem[]
    }

/** Leads per transaction in a batch: large enough to amortise commits, small enough to hold few locks. */
const LEADS_PER_TRANSACTION = 50

export function toLeadRecord(state: LeadState, events: readonly RecordedEvent[]): LeadRecord {
  return {
    leadId: state.leadId,
    stage: state.stage,
    ownerId: state.ownerId,
    tier: state.tier,
    score: state.score?.total ?? null,
    source: state.source,
    country: state.profile.country ?? null,
    email: state.profile.email?.toLowerCase() ?? null,
    policyVersion: state.policyVersion,
    state,
    eventCount: events.length,
    lastEventSeq: Math.max(...events.map((event) => event.seq)),
    updatedAt: Math.max(...events.map((event) => event.receivedAt)),
  }
}

function refusalFor(state: LeadState | undefined, event: NewLeadEvent): RefusalSummary | null {
  const refusal = state?.refusals.find(
    (candidate) => candidate.eventType === event.type && candidate.at === event.occurredAt,
  )
  return refusal ? { rule: refusal.rule, message: refusal.message } : null
}

/**
 * Re-derives a lead from its whole log, so late events land in occurrence order, and keeps its
 * escalation timers equal to its plan.
 */
export async function rebuildLead(
  tx: LeadTransaction,
  leadId: string,
  policy: Policy,
  roster?: Roster,
): Promise<LeadState | undefined> {
  const events = await tx.listLeadEvents(leadId)
  const { state, effects } = replayLead(events, policy)
  if (state) {
    const record = toLeadRecord(state, events)
    await tx.upsertLead(
      record,
      leadClockSpans(policy, clockCalendarsOf(policy, roster), state, effects),
    )
    await syncLeadSchedule(tx, state, effects, policy, record.updatedAt, roster)
    if (state.suppressesDomain) {
      await suppressDomainEverywhere(tx, state.leadId, state.suppressesDomain, policy, roster)
    }
  }
  return state
}

function systemEvent(
  leadId: string,
  key: string,
  at: RecordedEvent,
  type: string,
  payload: Readonly<Record<string, unknown>>,
): NewLeadEvent {
  return {
    idempotencyKey: key,
    leadId,
    type,
    occurredAt: at.occurredAt,
    receivedAt: at.receivedAt,
    actor: null,
    source: 'system',
    payload,
  }
}

/**
 * REJ-06: a competitor's domain goes on the global suppression list, and every lead at that
 * domain created since then is suppressed — also leads that arrived before the rejection did.
 */
async function suppressDomainEverywhere(
  tx: LeadTransaction,
  sourceLeadId: string,
  suppression: { domain: string; since: number },
  policy: Policy,
  roster: Roster | undefined,
): Promise<void> {
  await tx.suppressDomain({
    ...suppression,
    leadId: sourceLeadId,
    reason: 'competitor domain (permanent suppression)',
  })
  const listed = await tx.findDomainSuppression(suppression.domain)
  for (const leadId of await tx.findLeadIdsAtDomain(
    suppression.domain,
    listed?.since ?? suppression.since,
  )) {
    if (leadId === sourceLeadId) {
      continue
    }
    await tx.lockLead(leadId)
    const creation = (await tx.listLeadEvents(leadId)).find(
      (event) => event.type === 'lead.created',
    )
    if (!creation) {
      continue
    }
    const result = await tx.appendEvent(
      systemEvent(leadId, `suppress:${suppression.domain}:${leadId}`, creation, 'lead.suppressed', {
        domain: suppression.domain,
      }),
    )
    if (result.status === 'appended') {
      await rebuildLead(tx, leadId, policy, roster)
    }
  }
}

/** Intake: a new lead at a domain on the global suppression list is suppressed from the start. */
async function applyDomainSuppression(tx: LeadTransaction, created: RecordedEvent): Promise<void> {
  const domain = emailDomain((created.payload as { profile?: { email?: string } }).profile?.email)
  if (created.type !== 'lead.created' || domain === undefined) {
    return
  }
  const suppression = await tx.findDomainSuppression(domain)
  if (suppression && created.occurredAt >= suppression.since) {
    await tx.appendEvent(
      systemEvent(
        created.leadId,
        `suppress:${domain}:${created.leadId}`,
        created,
        'lead.suppressed',
        { domain },
      ),
    )
  }
}

function matchEvent(
  leadId: string,
  key: string,
  at: RecordedEvent,
  original: { leadId: string; createdAt: number },
): NewLeadEvent {
  return systemEvent(leadId, `match:${key}:${original.leadId}`, at, 'lead.matched', {
    duplicateOfLeadId: original.leadId,
    originalCreatedAt: original.createdAt,
  })
}

/**
 * Intake: the oldest lead with an email address is the original, every other one its duplicate,
 * recorded as lead.matched events. When the new lead is older than leads already stored, those
 * are marked too, so the outcome does not depend on arrival order. Returns the other leads
 * that changed.
 */
async function matchDuplicates(tx: LeadTransaction, created: RecordedEvent): Promise<string[]> {
  const email = (created.payload as { profile?: { email?: string } }).profile?.email
  if (created.type !== 'lead.created' || !email) {
    return []
  }
  const others = await tx.findLeadsByEmail(email.toLowerCase(), created.leadId)
  if (others.length === 0) {
    return []
  }
  const self = { leadId: created.leadId, createdAt: created.occurredAt }
  const original = [self, ...others].reduce((oldest, lead) =>
    lead.createdAt < oldest.createdAt ||
    (lead.createdAt === oldest.createdAt && lead.leadId < oldest.leadId)
      ? lead
      : oldest,
  )
  if (original !== self) {
    await tx.appendEvent(matchEvent(self.leadId, created.idempotencyKey, created, original))
    return []
  }
  const changed: string[] = []
  for (const other of others) {
    await tx.lockLead(other.leadId)
    const history = await tx.listLeadEvents(other.leadId)
    const creation = history.find((event) => event.type === 'lead.created')
    if (creation) {
      await tx.appendEvent(matchEvent(other.leadId, creation.idempotencyKey, creation, original))
      changed.push(other.leadId)
    }
  }
  return changed
}

/**
 * Appends valid events (in the given order) and rebuilds each touched lead. An acknowledged
 * outcome means the event is committed. Invalid items come back with their problems.
 */
export async function ingestEvents(
  deps: IngestDependencies,
  items: readonly (
    { ok: true; event: NewLeadEvent } | { ok: false; problems: readonly InputProblem[] }
  )[],
): Promise<IngestOutcome[]> {
  const outcomes: (IngestOutcome | undefined)[] = items.map((item, index) =>
    item.ok ? undefined : { status: 'invalid', index, problems: item.problems },
  )
  const byLead = new Map<string, number[]>()
  items.forEach((item, index) => {
    if (item.ok) {
      byLead.set(item.event.leadId, [...(byLead.get(item.event.leadId) ?? []), index])
    }
  })
  const leadIds = [...byLead.keys()]
  for (let start = 0; start < leadIds.length; start += LEADS_PER_TRANSACTION) {
    const chunk = leadIds.slice(start, start + LEADS_PER_TRANSACTION)
    await deps.repository.withLeadsLocked(chunk, async (tx) => {
      for (const leadId of chunk) {
        const appended: { index: number; event: RecordedEvent }[] = []
        for (const index of byLead.get(leadId) ?? []) {
          const item = items[index]
          if (!item?.ok) {
            continue
          }
          const result = await tx.appendEvent(item.event)
          if (result.status === 'duplicate') {
            outcomes[index] = { status: 'duplicate', event: result.event }
            continue
          }
          await applyDomainSuppression(tx, result.event)
          for (const other of await matchDuplicates(tx, result.event)) {
            await rebuildLead(tx, other, deps.policy, rosterOf(deps))
          }
          appended.push({ index, event: result.event })
        }
        if (appended.length === 0) {
          continue
        }
        const state = await settleLead(
          tx,
          leadId,
          deps,
          Math.max(...appended.map(({ event }) => event.receivedAt)),
        )
        for (const { index, event } of appended) {
          outcomes[index] = {
            status: 'appended',
            event,
            stage: state?.stage ?? null,
            refusal: refusalFor(state, event),
          }
        }
      }
    })
  }
  return outcomes.map((outcome, index) => outcome ?? { status: 'invalid', index, problems: [] })
}

export type TransitionOutcome =
  | { readonly status: 'applied'; readonly event: RecordedEvent; readonly lead: LeadState }
  | { readonly status: 'duplicate'; readonly event: RecordedEvent }
  | { readonly status: 'refused'; readonly refusal: RefusalSummary }
  | { readonly status: 'not-found' }

/**
 * A transition requested by a person (accept, reject, promote…): checked against the gates first;
 * a refused request is answered with the rule that refused it and is not recorded.
 */
export async function requestTransition(
  deps: IngestDependencies,
  event: NewLeadEvent,
): Promise<TransitionOutcome> {
  return deps.repository.withLeadsLocked([event.leadId], async (tx) => {
    const history = await tx.listLeadEvents(event.leadId)
    if (!history.some((recorded) => recorded.type === 'lead.created')) {
      return { status: 'not-found' }
    }
    const known = history.find((recorded) => recorded.idempotencyKey === event.idempotencyKey)
    if (known) {
      return { status: 'duplicate', event: known }
    }
    const trial = replayLead(
      [...history, { ...event, seq: Number.MAX_SAFE_INTEGER, eventId: 'trial' }],
      deps.policy,
    )
    const refusal = refusalFor(trial.state, event)
    if (refusal) {
      return { status: 'refused', refusal }
    }
    const { event: recorded } = await tx.appendEvent(event)
    const lead = await settleLead(tx, event.leadId, deps, event.receivedAt)
    return lead ? { status: 'applied', event: recorded, lead } : { status: 'not-found' }
  })
}
