/**
 * Use cases that write lead events: ingest (one or a batch) and request a transition. The HTTP
 * API, the CLI import and connectors all call these; none holds business rules of its own.
 */
import { emailDomain } from '../domain/hygiene.js'
import { leadClockSpans } from '../domain/lead-clock-spans.js'
import { replayLead } from '../domain/lifecycle/engine.js'
import { foldOntoSnapshot, snapshotOfHistory } from '../domain/lead-snapshot.js'
import type { LeadState } from '../domain/lead-state.js'
import type { NewLeadEvent, RecordedEvent } from '../domain/recorded-event.js'
import { isRetryOf } from '../domain/recorded-event.js'
import { taskViews } from '../domain/tasks.js'
import type { Policy } from '../policy/policy-schema.js'
import type { ChangeOrigin } from './api-tokens.js'
import { transitionAudit } from './audit-trail.js'
import type { InputProblem } from './event-input.js'
import type {
  AppendResult,
  DerivedLead,
  LeadRecord,
  LeadRepository,
  LeadTransaction,
  StoredSnapshot,
  UnreadAppendResult,
} from './lead-repository.js'
import { policyFingerprint } from './policy-fingerprint.js'
import type { LeadDerivation } from './fire-escalations.js'
import { clockCalendarsOf, leadSchedule } from './fire-escalations.js'
import type { Roster } from '../domain/team/roster.js'
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

/** Live mode: routes the lead if it just became an MQL nobody owns, and re-derives it. */
async function routeIfUnowned(
  tx: LeadTransaction,
  state: LeadState | undefined,
  deps: IngestDependencies,
  routing: LiveRouting,
  at: number,
): Promise<LeadState | undefined> {
  if (state && (await routeUnownedMql(tx, state, deps.policy, routing, at))) {
    return rebuildLead(tx, state.leadId, deps.policy, rosterOf(deps))
  }
  return state
}

/** Re-derives a lead and, in live mode, routes it if it just became an MQL nobody owns. */
async function settleLead(
  tx: LeadTransaction,
  leadId: string,
  deps: IngestDependencies,
  at: number,
): Promise<LeadState | undefined> {
  const state = await rebuildLead(tx, leadId, deps.policy, rosterOf(deps))
  return deps.routing ? routeIfUnowned(tx, state, deps, deps.routing, at) : state
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
  /** The source's key is taken by a different event, which is not told (it may be another lead's). */
  | { readonly status: 'conflict'; readonly conflict: IdempotencyConflict }
  | {
      readonly status: 'invalid'
      readonly index: number
      readonly problems: readonly InputProblem[]
    }

/** A submitted event whose source's idempotency key is already taken by a different event. */
export interface IdempotencyConflict {
  readonly idempotencyKey: string
  readonly source: string
}

/** The problem a conflict is told as, naming the key and its source (never the stored event). */
export function idempotencyConflictProblem(conflict: IdempotencyConflict): InputProblem {
  return {
    field: 'idempotencyKey',
    rule: 'idempotency-key-reused',
    message: `idempotency key "${conflict.idempotencyKey}" of source "${conflict.source}" was already used for a different event (another lead, type or payload); a new event needs a new key`,
  }
}

/**
 * What a submission whose key its source has used before gets: the stored event when it is a
 * retry of it, else the conflict, which names only what the caller sent.
 */
function duplicateOutcome(
  stored: RecordedEvent,
  submitted: NewLeadEvent,
):
  | { readonly status: 'duplicate'; readonly event: RecordedEvent }
  | { readonly status: 'conflict'; readonly conflict: IdempotencyConflict } {
  return isRetryOf(stored, submitted)
    ? { status: 'duplicate', event: stored }
    : {
        status: 'conflict',
        conflict: { idempotencyKey: submitted.idempotencyKey, source: submitted.source },
      }
}

/** The counters a lead record keeps of the events its state was derived from. */
type EventCounters = Pick<LeadRecord, 'eventCount' | 'lastEventSeq' | 'updatedAt'>

function leadRecord(state: LeadState, counters: EventCounters): LeadRecord {
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
    ...counters,
  }
}

function countersOf({ eventCount, lastEventSeq, updatedAt }: LeadRecord): EventCounters {
  return { eventCount, lastEventSeq, updatedAt }
}

/** The counters after `events`, continuing `before` (a stored record's) when given. */
function countersAfter(events: readonly RecordedEvent[], before?: EventCounters): EventCounters {
  let counters = before ?? { eventCount: 0, lastEventSeq: 0, updatedAt: 0 }
  for (const event of events) {
    counters = {
      eventCount: counters.eventCount + 1,
      lastEventSeq: Math.max(counters.lastEventSeq, event.seq),
      updatedAt: Math.max(counters.updatedAt, event.receivedAt),
    }
  }
  return counters
}

/** The record of a lead derived from its whole history. */
export function toLeadRecord(state: LeadState, events: readonly RecordedEvent[]): LeadRecord {
  return leadRecord(state, countersAfter(events))
}

function refusalFor(state: LeadState | undefined, event: NewLeadEvent): RefusalSummary | null {
  const refusal = state?.refusals.find(
    (candidate) => candidate.eventType === event.type && candidate.at === event.occurredAt,
  )
  return refusal ? { rule: refusal.rule, message: refusal.message } : null
}

/** A lead replayed from its whole history. */
function replayHistory(
  events: readonly RecordedEvent[],
  policy: Policy,
  fingerprint: string,
): DerivedLead | undefined {
  const snapshot = snapshotOfHistory(events, policy, fingerprint, 'validated')?.snapshot
  return snapshot && { snapshot, record: toLeadRecord(snapshot.state, events) }
}

/** A lead's new events folded onto its stored snapshot; undefined when it needs a replay. */
function foldOnto(
  stored: StoredSnapshot,
  events: readonly RecordedEvent[],
  policy: Policy,
  fingerprint: string,
): DerivedLead | undefined {
  const snapshot = foldOntoSnapshot(
    stored.snapshot,
    events,
    policy,
    fingerprint,
    'validated',
  )?.snapshot
  return snapshot && { snapshot, record: leadRecord(snapshot.state, countersAfter(events, stored)) }
}

/**
 * The one place where the rows derived from leads are written — the projection, the escalation
 * timers (kept equal to each lead's plan), the escalation records and the tasks — for any
 * number of leads, each kind in multi-row statements. A new projection written with the lead
 * belongs here.
 */
export async function writeDerivedRows(
  tx: LeadTransaction,
  leads: readonly DerivedLead[],
  policy: Policy,
  roster: Roster | undefined,
): Promise<void> {
  if (leads.length === 0) {
    return
  }
  const calendars = clockCalendarsOf(policy, roster)
  await tx.upsertLeads(
    leads.map(({ snapshot: { state, ...fold }, record }) => ({
      record,
      fold,
      clocks: leadClockSpans(policy, calendars, state, fold.clockEffects),
    })),
  )
  await tx.escalation.syncTimers(
    leads.map(({ snapshot, record }) =>
      leadSchedule(snapshot.state, snapshot.clockEffects, policy, calendars, record.updatedAt),
    ),
  )
  await tx.escalation.syncEscalations(
    leads.map(({ snapshot: { state } }) => ({ leadId: state.leadId, records: state.escalations })),
  )
  await tx.escalation.syncTasks(
    leads.map(({ snapshot: { state } }) => ({
      leadId: state.leadId,
      tasks: taskViews(policy, calendars, state),
    })),
  )
}

/**
 * Each lead's current snapshot, reading only what is new: its events since the stored snapshot
 * (all leads in one query) are folded onto it; a lead whose new events sort before the
 * snapshot's position (a late event), or whose snapshot was folded under another policy, is
 * replayed from its whole history (read in one query), so late events land in occurrence order.
 * Writes nothing.
 */
export async function deriveLeads(
  tx: LeadTransaction,
  leadIds: readonly string[],
  policy: Policy,
): Promise<Map<string, DerivedLead>> {
  return deriveLoaded(tx, leadIds, await loadNewEvents(tx, leadIds), policy)
}

/** The leads' stored snapshots and the events each received after its snapshot. */
interface NewEventsOfLeads {
  readonly stored: ReadonlyMap<string, StoredSnapshot>
  readonly fresh: ReadonlyMap<string, readonly RecordedEvent[]>
}

async function loadNewEvents(
  tx: LeadTransaction,
  leadIds: readonly string[],
): Promise<NewEventsOfLeads> {
  const stored = await tx.loadSnapshots(leadIds)
  const fresh = await tx.listEventsAfter(
    new Map(leadIds.map((leadId) => [leadId, stored.get(leadId)?.lastEventSeq ?? 0])),
  )
  return { stored, fresh }
}

/** `deriveLeads` from what `loadNewEvents` read. */
async function deriveLoaded(
  tx: LeadTransaction,
  leadIds: readonly string[],
  { stored, fresh }: NewEventsOfLeads,
  policy: Policy,
): Promise<Map<string, DerivedLead>> {
  const fingerprint = policyFingerprint(policy)
  const derived = new Map<string, DerivedLead>()
  const replays: string[] = []
  for (const leadId of leadIds) {
    const known = stored.get(leadId)
    const events = fresh.get(leadId) ?? []
    // Without a snapshot, the events after seq 0 are the whole history.
    const lead = known
      ? foldOnto(known, events, policy, fingerprint)
      : replayHistory(events, policy, fingerprint)
    if (lead) {
      derived.set(leadId, lead)
    } else if (known) {
      replays.push(leadId)
    }
  }
  for (const [leadId, history] of await tx.listEventsOfLeads(replays)) {
    const lead = replayHistory(history, policy, fingerprint)
    if (lead) {
      derived.set(leadId, lead)
    }
  }
  return derived
}

/**
 * Brings leads' derived rows up to date with their logs (`deriveLeads`), then writes them and
 * spreads the competitor suppressions they call for.
 */
export async function rebuildLeads(
  tx: LeadTransaction,
  leadIds: readonly string[],
  policy: Policy,
  roster?: Roster,
): Promise<Map<string, LeadState>> {
  const derived = await deriveLeads(tx, leadIds, policy)
  return writeRebuilt(tx, [...derived.values()], policy, roster)
}

/**
 * `rebuildLeads` after the caller appended `events` to leads whose current snapshots it holds
 * (from `deriveLeads` in the same transaction): the events fold onto those snapshots without
 * reading anything back; a lead they do not fold onto (an event dated before its position) is
 * rebuilt from the log.
 */
export async function rebuildAppended(
  tx: LeadTransaction,
  current: ReadonlyMap<string, DerivedLead>,
  events: readonly RecordedEvent[],
  policy: Policy,
  roster?: Roster,
): Promise<Map<string, LeadState>> {
  const fingerprint = policyFingerprint(policy)
  const byLead = new Map<string, RecordedEvent[]>()
  for (const event of events) {
    byLead.set(event.leadId, [...(byLead.get(event.leadId) ?? []), event])
  }
  const derived: DerivedLead[] = []
  const rebuilt: string[] = []
  for (const [leadId, appended] of byLead) {
    const lead = current.get(leadId)
    const folded =
      lead &&
      foldOnto(
        { snapshot: lead.snapshot, ...countersOf(lead.record) },
        appended,
        policy,
        fingerprint,
      )
    if (folded) {
      derived.push(folded)
    } else {
      rebuilt.push(leadId)
    }
  }
  const states = await writeRebuilt(tx, derived, policy, roster)
  for (const [leadId, state] of await rebuildLeads(tx, rebuilt, policy, roster)) {
    states.set(leadId, state)
  }
  return states
}

/**
 * Leads replayed in full from the whole histories the caller holds, replacing their stored
 * folds: for histories whose payloads were rewritten in place (an erasure), where folding on
 * would keep what the old payloads left in the snapshot.
 */
export async function rebuildFromHistories(
  tx: LeadTransaction,
  histories: ReadonlyMap<string, readonly RecordedEvent[]>,
  policy: Policy,
  roster?: Roster,
): Promise<Map<string, LeadState>> {
  const fingerprint = policyFingerprint(policy)
  const derived = [...histories.values()].flatMap(
    (events) => replayHistory(events, policy, fingerprint) ?? [],
  )
  return writeRebuilt(tx, derived, policy, roster)
}

/**
 * The scheduler's access to leads (`LeadDerivation`), under `policy` — or, given a function, the
 * policy it gives at each call (the one in use, which another process may change) — and the
 * current roster.
 */
export function leadDerivation(
  policy: Policy | (() => Policy),
  roster?: () => Roster,
): LeadDerivation {
  const policyNow = typeof policy === 'function' ? policy : () => policy
  return {
    current: (tx, leadIds) => deriveLeads(tx, leadIds, policyNow()),
    appended: (tx, current, events) =>
      rebuildAppended(tx, current, events, policyNow(), roster?.()),
    rebuild: (tx, leadIds) => rebuildLeads(tx, leadIds, policyNow(), roster?.()),
  }
}

async function writeRebuilt(
  tx: LeadTransaction,
  derived: readonly DerivedLead[],
  policy: Policy,
  roster: Roster | undefined,
): Promise<Map<string, LeadState>> {
  await writeDerivedRows(tx, derived, policy, roster)
  for (const { snapshot } of derived) {
    if (snapshot.state.suppressesDomain) {
      await suppressDomainEverywhere(
        tx,
        snapshot.state.leadId,
        snapshot.state.suppressesDomain,
        policy,
        roster,
      )
    }
  }
  return new Map(derived.map(({ snapshot }) => [snapshot.state.leadId, snapshot.state]))
}

/** `rebuildLeads` of one lead. */
export async function rebuildLead(
  tx: LeadTransaction,
  leadId: string,
  policy: Policy,
  roster?: Roster,
): Promise<LeadState | undefined> {
  return (await rebuildLeads(tx, [leadId], policy, roster)).get(leadId)
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
  const [listed] = await tx.findDomainSuppressions([suppression.domain])
  const reached = (
    await tx.findLeadIdsAtDomain(suppression.domain, listed?.since ?? suppression.since)
  ).filter((leadId) => leadId !== sourceLeadId)
  await tx.lockLeads(reached)
  const suppressions = [...(await tx.listEventsOfLeads(reached))].flatMap(([leadId, history]) => {
    const creation = history.find((event) => event.type === 'lead.created')
    return creation
      ? [
          systemEvent(
            leadId,
            `suppress:${suppression.domain}:${leadId}`,
            creation,
            'lead.suppressed',
            { domain: suppression.domain },
          ),
        ]
      : []
  })
  const appended = (await tx.appendEvents(suppressions)).filter(
    (result) => result.status === 'appended',
  )
  await rebuildLeads(
    tx,
    appended.map((result) => result.event.leadId),
    policy,
    roster,
  )
}

function matchEvent(
  leadId: string,
  key: string,
  at: RecordedEvent,
  original: { leadId: string; createdAt: number },
): NewLeadEvent {
  // The creation's key is unique within its source only: both name the lead matched.
  return systemEvent(leadId, `match:${at.source}:${key}:${original.leadId}`, at, 'lead.matched', {
    duplicateOfLeadId: original.leadId,
    originalCreatedAt: original.createdAt,
  })
}

function createdEmail(created: RecordedEvent): string | undefined {
  return (created.payload as { profile?: { email?: string } }).profile?.email
}

/**
 * Intake: a new lead at a domain on the global suppression list is suppressed from the start.
 * The list is read once for all the new leads.
 */
async function domainSuppressions(
  tx: LeadTransaction,
  created: readonly RecordedEvent[],
): Promise<NewLeadEvent[]> {
  const domains = new Map(created.map((event) => [event, emailDomain(createdEmail(event))]))
  const listed = new Map(
    (
      await tx.findDomainSuppressions(
        [...domains.values()].filter((domain) => domain !== undefined),
      )
    ).map((suppression) => [suppression.domain, suppression.since]),
  )
  return created.flatMap((event) => {
    const domain = domains.get(event)
    const since = domain === undefined ? undefined : listed.get(domain)
    return domain !== undefined && since !== undefined && event.occurredAt >= since
      ? [
          systemEvent(
            event.leadId,
            `suppress:${domain}:${event.leadId}`,
            event,
            'lead.suppressed',
            { domain },
          ),
        ]
      : []
  })
}

interface KnownLead {
  readonly leadId: string
  readonly createdAt: number
  /** Known for the leads created in this batch; stored leads' creations are read when needed. */
  readonly creation?: RecordedEvent
}

/**
 * Intake: the oldest lead with an email address is the original, every other one its duplicate,
 * recorded as lead.matched events. When a new lead is older than leads already known, those are
 * marked too, so the outcome does not depend on arrival order. The new leads are taken in order,
 * each against the stored leads (read in one query) and the new ones before it. Returns the
 * events and the stored leads they mark.
 */
async function duplicateMatches(
  tx: LeadTransaction,
  created: readonly RecordedEvent[],
): Promise<{ events: NewLeadEvent[]; storedLeads: string[] }> {
  const emails = created.flatMap((event) => createdEmail(event)?.toLowerCase() ?? [])
  const known = new Map<string, KnownLead[]>()
  for (const lead of await tx.findLeadsByEmails(emails)) {
    known.set(lead.email, [...(known.get(lead.email) ?? []), lead])
  }
  const events: NewLeadEvent[] = []
  const storedLeads: string[] = []
  for (const event of created) {
    const email = createdEmail(event)?.toLowerCase()
    if (!email) {
      continue
    }
    const self: KnownLead = { leadId: event.leadId, createdAt: event.occurredAt, creation: event }
    const others = (known.get(email) ?? []).filter((lead) => lead.leadId !== self.leadId)
    known.set(email, [...others, self])
    if (others.length === 0) {
      continue
    }
    const original = [self, ...others].reduce((oldest, lead) =>
      lead.createdAt < oldest.createdAt ||
      (lead.createdAt === oldest.createdAt && lead.leadId < oldest.leadId)
        ? lead
        : oldest,
    )
    if (original !== self) {
      events.push(matchEvent(self.leadId, event.idempotencyKey, event, original))
      continue
    }
    for (const other of others) {
      const creation = other.creation ?? (await storedCreation(tx, other.leadId))
      if (creation) {
        events.push(matchEvent(other.leadId, creation.idempotencyKey, creation, original))
        storedLeads.push(...(other.creation ? [] : [other.leadId]))
      }
    }
  }
  return { events, storedLeads }
}

/** A stored lead found on the way (locked from here on) and its creation event. */
async function storedCreation(
  tx: LeadTransaction,
  leadId: string,
): Promise<RecordedEvent | undefined> {
  await tx.lockLeads([leadId])
  return (await tx.listLeadEvents(leadId)).find((event) => event.type === 'lead.created')
}

/**
 * The intake rules of the new leads among `events` (duplicates by email address, suppressed
 * domains): appends the system events they call for. Returns the stored leads those events
 * also reach, and how many it appended.
 */
async function applyIntakeRules(
  tx: LeadTransaction,
  events: readonly RecordedEvent[],
): Promise<{ storedLeads: string[]; appended: number }> {
  const created = events.filter((event) => event.type === 'lead.created')
  if (created.length === 0) {
    return { storedLeads: [], appended: 0 }
  }
  const matches = await duplicateMatches(tx, created)
  const results = await tx.appendEvents([
    ...(await domainSuppressions(tx, created)),
    ...matches.events,
  ])
  return {
    storedLeads: matches.storedLeads,
    appended: results.filter((result) => result.status === 'appended').length,
  }
}

/** An item submitted for append, with its position among the items. */
interface Submitted {
  readonly index: number
  readonly event: NewLeadEvent
}

/**
 * The store's append results (in submission order) paired with the submissions: a duplicate's
 * outcome (retry or conflict) goes to `onDuplicate`; the appended ones are returned.
 */
function appendedOf<R extends AppendResult | UnreadAppendResult>(
  results: readonly R[],
  submissions: readonly Submitted[],
  onDuplicate: (index: number, outcome: ReturnType<typeof duplicateOutcome>) => void,
): { submitted: Submitted; result: Exclude<R, { status: 'duplicate' }> }[] {
  if (results.length !== submissions.length) {
    throw new Error(`the store answered ${results.length} appends for ${submissions.length} events`)
  }
  const appended: { submitted: Submitted; result: Exclude<R, { status: 'duplicate' }> }[] = []
  results.forEach((result, position) => {
    const submitted = submissions[position]!
    if (result.status === 'duplicate') {
      onDuplicate(submitted.index, duplicateOutcome(result.event, submitted.event))
    } else {
      appended.push({ submitted, result: result as Exclude<R, { status: 'duplicate' }> })
    }
  })
  return appended
}

/** What the first phase of an import answers for each item. */
export type AppendOutcome =
  { readonly status: 'appended' } | Exclude<IngestOutcome, { readonly status: 'appended' }>

/**
 * An import's first phase, for a batch: appends the valid events in one transaction and marks
 * their leads pending derivation in the same one, without deriving anything (a lead touched by
 * every batch of a file is derived once, by `derivePendingLeads`, not once per batch). The
 * leads are locked meanwhile, so a live writer of one of them never folds past an event of the
 * batch it cannot see yet.
 */
export async function appendForDerivation(
  repository: LeadRepository,
  items: readonly (
    { ok: true; event: NewLeadEvent } | { ok: false; problems: readonly InputProblem[] }
  )[],
): Promise<AppendOutcome[]> {
  const valid = items.flatMap((item, index) => (item.ok ? [{ index, event: item.event }] : []))
  const outcomes: AppendOutcome[] = items.map((item, index) =>
    item.ok ? { status: 'appended' } : { status: 'invalid', index, problems: item.problems },
  )
  if (valid.length === 0) {
    return outcomes
  }
  const leadIds = [...new Set(valid.map(({ event }) => event.leadId))]
  await repository.withLeadsLocked(leadIds, async (tx) => {
    const results = await tx.appendEventsUnread(valid.map(({ event }) => event))
    const appended = appendedOf(results, valid, (index, outcome) => (outcomes[index] = outcome))
    await tx.markPendingDerivations([
      ...new Set(appended.map(({ submitted }) => submitted.event.leadId)),
    ])
  })
  return outcomes
}

export interface DerivationProgress {
  readonly derived: number
  readonly total: number
}

/**
 * An import's second phase: derives every lead marked pending (by this import, or by one that
 * stopped before its end), `chunkLeads` leads per transaction — the new events read in one
 * query, the intake rules applied to the new leads among them, each lead folded once, its rows
 * written in multi-row statements, its mark cleared with them.
 */
export async function derivePendingLeads(
  deps: IngestDependencies,
  options: {
    readonly chunkLeads: number
    readonly onProgress?: (progress: DerivationProgress) => void
  },
): Promise<number> {
  const total = await deps.repository.countPendingDerivations()
  let derived = 0
  let after = ''
  for (;;) {
    const leadIds = await deps.repository.listPendingDerivations(options.chunkLeads, after)
    const last = leadIds.at(-1)
    if (last === undefined) {
      return derived
    }
    await deps.repository.withLeadsLocked(leadIds, async (tx) => {
      const loaded = await loadNewEvents(tx, leadIds)
      const intake = await applyIntakeRules(tx, [...loaded.fresh.values()].flat())
      const roster = rosterOf(deps)
      if (intake.appended === 0 && intake.storedLeads.length === 0) {
        await writeRebuilt(
          tx,
          [...(await deriveLoaded(tx, leadIds, loaded, deps.policy)).values()],
          deps.policy,
          roster,
        )
      } else {
        await rebuildLeads(
          tx,
          [...new Set([...leadIds, ...intake.storedLeads])],
          deps.policy,
          roster,
        )
      }
      await tx.clearPendingDerivations(leadIds)
    })
    derived += leadIds.length
    after = last
    options.onProgress?.({ derived, total: Math.max(total, derived) })
  }
}

/**
 * Appends valid events and re-derives each touched lead, in one transaction: the events in one
 * multi-row insert (lead by lead, in the order leads first appear), the intake rules for the new
 * leads, every touched lead's history in one query, folded once, its rows written in multi-row
 * statements. An acknowledged outcome means the event is committed. Invalid items come back
 * with their problems.
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
  const byLead = new Map<string, { index: number; event: NewLeadEvent }[]>()
  items.forEach((item, index) => {
    if (item.ok) {
      const ofLead = byLead.get(item.event.leadId)
      if (ofLead) {
        ofLead.push({ index, event: item.event })
      } else {
        byLead.set(item.event.leadId, [{ index, event: item.event }])
      }
    }
  })
  if (byLead.size > 0) {
    await deps.repository.withLeadsLocked([...byLead.keys()], async (tx) => {
      const valid = [...byLead.values()].flat()
      const appended = appendedOf(
        await tx.appendEvents(valid.map(({ event }) => event)),
        valid,
        (index, outcome) => (outcomes[index] = outcome),
      ).map(({ submitted, result }) => ({ index: submitted.index, event: result.event }))
      const intake = await applyIntakeRules(
        tx,
        appended.map(({ event }) => event),
      )
      const touched = [...new Set(appended.map(({ event }) => event.leadId))]
      const states = await rebuildLeads(
        tx,
        [...new Set([...touched, ...intake.storedLeads])],
        deps.policy,
        rosterOf(deps),
      )
      if (deps.routing) {
        const lastReceived = new Map<string, number>()
        for (const { event } of appended) {
          lastReceived.set(
            event.leadId,
            Math.max(lastReceived.get(event.leadId) ?? event.receivedAt, event.receivedAt),
          )
        }
        for (const [leadId, at] of lastReceived) {
          const routed = await routeIfUnowned(tx, states.get(leadId), deps, deps.routing, at)
          if (routed) {
            states.set(leadId, routed)
          }
        }
      }
      for (const { index, event } of appended) {
        const state = states.get(event.leadId)
        outcomes[index] = {
          status: 'appended',
          event,
          stage: state?.stage ?? null,
          refusal: refusalFor(state, event),
        }
      }
    })
  }
  return outcomes.map((outcome, index) => outcome ?? { status: 'invalid', index, problems: [] })
}

export type TransitionOutcome =
  | { readonly status: 'applied'; readonly event: RecordedEvent; readonly lead: LeadState }
  | { readonly status: 'duplicate'; readonly event: RecordedEvent }
  | { readonly status: 'conflict'; readonly conflict: IdempotencyConflict }
  | { readonly status: 'refused'; readonly refusal: RefusalSummary }
  | { readonly status: 'not-found' }

/** Who asks for a transition: whether they may act on the lead, and the audit trail's origin. */
export interface TransitionRequester {
  /** Judged on the lead as it stands under its lock; a lead they may not act on is not found. */
  mayActOn(lead: LeadRecord): boolean
  readonly by: ChangeOrigin
}

/**
 * A transition requested by a person (accept, reject, promote…): checked against the gates first;
 * a refused request is answered with the rule that refused it and is not recorded. With a
 * requester, the change is recorded in the audit trail in the same transaction.
 */
export async function requestTransition(
  deps: IngestDependencies,
  event: NewLeadEvent,
  requester?: TransitionRequester,
): Promise<TransitionOutcome> {
  return deps.repository.withLeadsLocked([event.leadId], async (tx) => {
    const before = await tx.getLead(event.leadId)
    if (before === undefined || (requester !== undefined && !requester.mayActOn(before))) {
      return { status: 'not-found' }
    }
    const history = await tx.listLeadEvents(event.leadId)
    if (!history.some((recorded) => recorded.type === 'lead.created')) {
      return { status: 'not-found' }
    }
    const known = history.find(
      (recorded) =>
        recorded.source === event.source && recorded.idempotencyKey === event.idempotencyKey,
    )
    if (known) {
      return duplicateOutcome(known, event)
    }
    const trial = replayLead(
      [...history, { ...event, seq: Number.MAX_SAFE_INTEGER, eventId: 'trial' }],
      deps.policy,
    )
    const refusal = refusalFor(trial.state, event)
    if (refusal) {
      return { status: 'refused', refusal }
    }
    const appended = await tx.appendEvent(event)
    if (appended.status === 'duplicate') {
      // The key was used for another lead's event: not this lead's history, so never a retry.
      return duplicateOutcome(appended.event, event)
    }
    const recorded = appended.event
    const lead = await settleLead(tx, event.leadId, deps, event.receivedAt)
    if (!lead) {
      return { status: 'not-found' }
    }
    if (requester !== undefined) {
      await tx.appendAudit(transitionAudit(requester.by, recorded, before, lead))
    }
    return { status: 'applied', event: recorded, lead }
  })
}
