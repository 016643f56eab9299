/**
 * The data the escalation bench runs on. Idle clocks: pending `sla_timers` rows due far in the
 * future, bulk-inserted in SQL. Live leads: clones of one Tier-1 demo-request MQL handed to an SDR,
 * each with its own lead id, keys and times, stored as the ingest would have left them (events,
 * projection, one pending timer per planned step) so that the worker fires them for real.
 */
import type pg from 'pg'

import { toLeadRecord } from '../../src/app/ingest-events.js'
import { planEscalations } from '../../src/domain/escalation/escalation-plan.js'
import { policyFingerprint } from '../../src/app/policy-fingerprint.js'
import { snapshotOfHistory } from '../../src/domain/lead-snapshot.js'
import type { NewLeadEvent, RecordedEvent } from '../../src/domain/recorded-event.js'
import { calendarSetOf } from '../../src/domain/sla-clock-view.js'
import { IDEAL_PROFILE, leadEvent, MINUTE } from '../../src/domain/test-support.js'
import type { Policy } from '../../src/policy/policy-schema.js'
import { newEventId } from '../../src/store/event-id.js'

/** The roster SDR the template lead is assigned to (roster/default-roster.yaml). */
export const TEMPLATE_OWNER = 'sdr-ana-lopez'
/** The chain step each live lead has due at its handoff instant. */
export const LIVE_STEP = 'sdr-response-tier-1'
export const LIVE_STEP_ID = 'notification'
/** The next step of a live lead is this much later at least (the chain's 30-minute reminder). */
const MIN_LATER_STEP_MS = 30 * MINUTE

const DAY_MS = 86_400_000
const IDLE_STEPS = [
  'crm-routing-speed:target',
  'sdr-response-tier-1:reminder',
  'sdr-response-tier-1:manager-notified',
  'sal-accept-reject:target',
  'sal-accept-reject:breach',
  'sdr-response-tier-1:formal-breach',
  'sdr-response-tier-1:critical-breach',
]

/**
 * `count` pending timers, seven per idle lead, due between 1 and 31 days after `after` (spread
 * evenly, in no particular order of insertion), so none comes due while the bench runs.
 */
export async function insertIdleTimers(
  client: pg.Client,
  count: number,
  after: number,
  onProgress: (inserted: number) => void,
): Promise<void> {
  const chunk = 250_000
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk)
    await client.query(
      `insert into sla_timers (step_key, lead_id, due_at)
       select 'idle-' || (n / 7) || ':' || split_part($4, ',', (n % 7)::int + 1) || ':' || n,
              'idle-' || (n / 7),
              $3::bigint + ${DAY_MS} + ((n * 7919) % 2592000) * 1000
       from generate_series($1::bigint, $2::bigint - 1) as n`,
      [start, end, after, IDLE_STEPS.join(',')],
    )
    onProgress(end)
  }
}

function templateEvents(leadId: string, index: number, handoffAt: number): NewLeadEvent[] {
  const profile = { ...IDEAL_PROFILE, email: `dana.reyes.${index}@acmesoft.com` }
  return [
    leadEvent(leadId, 'lead.created', { profile, source: 'demo-request' }, handoffAt - 2 * MINUTE),
    leadEvent(leadId, 'intent.recorded', { action: 'demo-request' }, handoffAt - MINUTE),
    leadEvent(leadId, 'lead.enriched', { profile: { companySize: 200 } }, handoffAt - MINUTE + 1),
    leadEvent(
      leadId,
      'owner.assigned',
      { ownerId: TEMPLATE_OWNER, reason: 'round robin' },
      handoffAt,
    ),
  ]
}

/** Rows for the live leads, column by column (for `unnest`), and the steps expected to fire. */
export interface LiveLeads {
  readonly count: number
  readonly events: {
    eventId: string[]
    key: string[]
    leadId: string[]
    type: string[]
    at: number[]
    payload: string[]
  }
  readonly leads: {
    leadId: string[]
    stage: string[]
    ownerId: (string | null)[]
    tier: (string | null)[]
    score: (number | null)[]
    source: string[]
    country: (string | null)[]
    email: (string | null)[]
    policyVersion: string[]
    queues: string[]
    state: string[]
    fold: string[]
    eventCount: number[]
    updatedAt: number[]
  }
  readonly timers: { stepKey: string[]; leadId: string[]; dueAt: number[] }
  /** Where each lead's rows end in `events` and `timers`. */
  readonly eventsEnd: number[]
  readonly timersEnd: number[]
  /** The step each lead has due at its handoff: the one the bench expects to fire. */
  readonly dueSteps: ReadonlyMap<string, number>
}

/**
 * Clones the template lead once per handoff instant: replays each clone and plans its
 * escalations with the engine, so the timers are exactly what the ingest would have scheduled.
 */
export function buildLiveLeads(
  policy: Policy,
  prefix: string,
  handoffs: readonly number[],
): LiveLeads {
  const calendars = calendarSetOf(policy)
  const fingerprint = policyFingerprint(policy)
  const live: LiveLeads = {
    count: handoffs.length,
    events: { eventId: [], key: [], leadId: [], type: [], at: [], payload: [] },
    leads: {
      leadId: [],
      stage: [],
      ownerId: [],
      tier: [],
      score: [],
      source: [],
      country: [],
      email: [],
      policyVersion: [],
      queues: [],
      state: [],
      fold: [],
      eventCount: [],
      updatedAt: [],
    },
    timers: { stepKey: [], leadId: [], dueAt: [] },
    eventsEnd: [],
    timersEnd: [],
    dueSteps: new Map(),
  }
  const dueSteps = live.dueSteps as Map<string, number>
  handoffs.forEach((handoffAt, index) => {
    const leadId = `${prefix}-${String(index).padStart(6, '0')}`
    const events: RecordedEvent[] = templateEvents(leadId, index, handoffAt).map((event, seq) => ({
      ...event,
      seq: seq + 1,
      eventId: newEventId(),
      source: 'bench',
    }))
    const folded = snapshotOfHistory(events, policy, fingerprint)
    const { state, effects } =
      folded === undefined
        ? { state: undefined, effects: [] }
        : {
            state: folded.snapshot.state,
            effects: folded.effects,
          }
    if (
      !folded ||
      !state ||
      state.stage !== 'mql' ||
      state.tier !== 'tier-1' ||
      state.ownerId === null
    ) {
      throw new Error(`template lead ${leadId} is not an owned Tier-1 MQL (${state?.stage})`)
    }
    const plan = planEscalations(policy, calendars, state, effects)
    const dueNow = plan.filter((step) => step.dueAt < handoffAt + MIN_LATER_STEP_MS)
    const first = dueNow[0]
    if (
      dueNow.length !== 1 ||
      first === undefined ||
      first.dueAt !== handoffAt ||
      first.subjectId !== LIVE_STEP ||
      first.stepId !== LIVE_STEP_ID
    ) {
      throw new Error(
        `template lead ${leadId}: expected only ${LIVE_STEP}/${LIVE_STEP_ID} due at the handoff, planned ${dueNow.map((step) => `${step.key}@${step.dueAt - handoffAt}`).join(', ')}`,
      )
    }
    dueSteps.set(first.key, first.dueAt)
    for (const event of events) {
      live.events.eventId.push(event.eventId)
      live.events.key.push(event.idempotencyKey)
      live.events.leadId.push(leadId)
      live.events.type.push(event.type)
      live.events.at.push(event.occurredAt)
      live.events.payload.push(JSON.stringify(event.payload))
    }
    const record = toLeadRecord(state, events)
    live.leads.leadId.push(leadId)
    live.leads.stage.push(record.stage)
    live.leads.ownerId.push(record.ownerId)
    live.leads.tier.push(record.tier)
    live.leads.score.push(record.score)
    live.leads.source.push(record.source)
    live.leads.country.push(record.country)
    live.leads.email.push(record.email)
    live.leads.policyVersion.push(record.policyVersion)
    live.leads.queues.push(JSON.stringify(state.queues))
    live.leads.state.push(JSON.stringify(state))
    // The fold the ingest keeps beside the state, so that the worker folds on as in production.
    const { state: _state, ...fold } = folded.snapshot
    live.leads.fold.push(JSON.stringify(fold))
    live.leads.eventCount.push(record.eventCount)
    live.leads.updatedAt.push(record.updatedAt)
    for (const step of plan) {
      live.timers.stepKey.push(step.key)
      live.timers.leadId.push(leadId)
      live.timers.dueAt.push(step.dueAt)
    }
    live.eventsEnd.push(live.events.leadId.length)
    live.timersEnd.push(live.timers.leadId.length)
  })
  return live
}

function slice<T>(values: readonly T[], start: number, end: number): T[] {
  return values.slice(start, end)
}

/** Bulk-inserts the live leads' events, projections and timers, a few thousand leads a statement. */
export async function insertLiveLeads(client: pg.Client, live: LiveLeads): Promise<void> {
  const leadsPerStatement = 5_000
  const { events, leads, timers } = live
  const rowsBefore = (ends: readonly number[], lead: number): number =>
    lead === 0 ? 0 : (ends[lead - 1] ?? 0)
  for (let start = 0; start < live.count; start += leadsPerStatement) {
    const end = Math.min(live.count, start + leadsPerStatement)
    const [e0, e1] = [rowsBefore(live.eventsEnd, start), rowsBefore(live.eventsEnd, end)]
    const appended = await client.query<{ lead_id: string; seq: string }>(
      `insert into lead_events
         (event_id, idempotency_key, lead_id, type, occurred_at, received_at, actor, source, payload)
       select event_id, idempotency_key, lead_id, type, at, at, null, 'bench', payload::jsonb
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
         as u(event_id, idempotency_key, lead_id, type, at, payload)
       returning lead_id, seq`,
      [
        slice(events.eventId, e0, e1),
        slice(events.key, e0, e1),
        slice(events.leadId, e0, e1),
        slice(events.type, e0, e1),
        slice(events.at, e0, e1),
        slice(events.payload, e0, e1),
      ],
    )
    const lastSeq = new Map<string, number>()
    for (const row of appended.rows) {
      lastSeq.set(row.lead_id, Math.max(lastSeq.get(row.lead_id) ?? 0, Number(row.seq)))
    }
    await client.query(
      `insert into leads
         (lead_id, stage, owner_id, tier, score, source, country, email, policy_version, queues,
          state, fold, event_count, last_event_seq, updated_at)
       select lead_id, stage, owner_id, tier, score, source, country, email, policy_version,
              queues::jsonb, state::jsonb, fold::jsonb, event_count, last_event_seq, updated_at
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[],
                   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                   $13::int[], $14::bigint[], $15::bigint[])
         as u(lead_id, stage, owner_id, tier, score, source, country, email, policy_version,
              queues, state, fold, event_count, last_event_seq, updated_at)`,
      [
        slice(leads.leadId, start, end),
        slice(leads.stage, start, end),
        slice(leads.ownerId, start, end),
        slice(leads.tier, start, end),
        slice(leads.score, start, end),
        slice(leads.source, start, end),
        slice(leads.country, start, end),
        slice(leads.email, start, end),
        slice(leads.policyVersion, start, end),
        slice(leads.queues, start, end),
        slice(leads.state, start, end),
        slice(leads.fold, start, end),
        slice(leads.eventCount, start, end),
        slice(leads.leadId, start, end).map((leadId) => lastSeq.get(leadId) ?? 0),
        slice(leads.updatedAt, start, end),
      ],
    )
    const [t0, t1] = [rowsBefore(live.timersEnd, start), rowsBefore(live.timersEnd, end)]
    await client.query(
      `insert into sla_timers (step_key, lead_id, due_at)
       select * from unnest($1::text[], $2::text[], $3::bigint[])`,
      [slice(timers.stepKey, t0, t1), slice(timers.leadId, t0, t1), slice(timers.dueAt, t0, t1)],
    )
  }
}
