/**
 * The sample data a newcomer explores: a realistic B2B lead flow (by default ~2,000 leads over the
 * 90 days before `end`) as the lead events the intake, the reps and the CRM would have recorded.
 * Pure and deterministic: a seeded PRNG, no wall clock; same options, same events.
 */
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { compareByOccurrence } from '../domain/recorded-event.js'
import type { Policy } from '../policy/policy-schema.js'
import { LeadStory } from './lead-story.js'
import { createCalendarLookup } from './prospect-calendar.js'
import { createRandom } from './random.js'
import { LeadLife } from './sample-lifecycle.js'
import type { LifecycleContext } from './sample-lifecycle.js'
import { draftLeads, ProspectDirectory } from './sample-leads.js'
import type { SamplePerson, SampleRegion } from './sample-team.js'
import { teamOf } from './sample-team.js'
import { STANDARD_SAMPLE } from './standard-sample.js'

export { SAMPLE_TEAM } from './sample-team.js'
export type { SamplePerson, SampleRegion, SampleRole } from './sample-team.js'

/** The `source` of every sample event. */
export const SAMPLE_SOURCE = 'sample'

export interface SampleOptions {
  readonly seed: number
  /** How many leads (lead.created events). */
  readonly leads: number
  /** Leads are created over this many days before `end`. */
  readonly days: number
  /** Epoch ms: the 'now' of the sample; nothing is dated after it. */
  readonly end: number
  readonly policy: Policy
}

export function generateSampleEvents(options: SampleOptions): NewLeadEvent[] {
  const { policy, seed } = options
  if (!Number.isInteger(options.leads) || options.leads < 0) {
    throw new RangeError(`leads must be a whole number ≥ 0; got ${options.leads}`)
  }
  if (!(options.days > 0)) {
    throw new RangeError(`days must be > 0; got ${options.days}`)
  }
  const end = Math.floor(options.end)
  const random = createRandom(seed)
  const calendars = createCalendarLookup(policy)
  const drafts = draftLeads(random.fork(), policy, calendars, { ...options, end })

  const turns = new Map<string, number>()
  const nextOwner = (role: 'sdr' | 'ae', region: SampleRegion): SamplePerson => {
    const regional = teamOf(role, region)
    const pool = regional.length > 0 ? regional : teamOf(role, 'na')
    const key = `${role}:${region}`
    const turn = turns.get(key) ?? 0
    turns.set(key, turn + 1)
    const person = pool[turn % pool.length]
    if (!person) {
      throw new Error(`the sample team has no ${role}`)
    }
    return person
  }
  const context: LifecycleContext = { policy, end, calendars, nextOwner }
  const directory = new ProspectDirectory(policy)

  const events: NewLeadEvent[] = []
  for (const draft of drafts) {
    const leadRandom = random.fork()
    const prospect = directory.prospectFor(draft, leadRandom)
    const story = new LeadStory(draft.leadId, SAMPLE_SOURCE)
    new LeadLife(context, draft, prospect, story, leadRandom).live()
    events.push(...story.events(end))
  }
  return events.sort(compareByOccurrence)
}

export { STANDARD_SAMPLE }

const DAY_MS = 86_400_000

/**
 * Where a sample made at `now` ends: the start of `now`'s UTC day. The events depend on the exact
 * end instant, so every command run on the same day — `start` loading the sample, `sample`
 * writing it — must use the same end to produce the same events.
 */
export function sampleEndOf(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS
}

/** The standard sample as of `now`. */
export function standardSampleEvents(policy: Policy, now: number): NewLeadEvent[] {
  return generateSampleEvents({ ...STANDARD_SAMPLE, end: sampleEndOf(now), policy })
}

/**
 * JSON Lines, one event per line, in the form `leadclock import FILE.jsonl` reads: the event
 * envelope as is, without `actor` when there is none (system events).
 */
export function writeSampleJsonl(events: readonly NewLeadEvent[]): string {
  return events
    .map((event) => {
      const line = {
        idempotencyKey: event.idempotencyKey,
        leadId: event.leadId,
        type: event.type,
        occurredAt: event.occurredAt,
        receivedAt: event.receivedAt,
        ...(event.actor === null ? {} : { actor: event.actor }),
        source: event.source,
        payload: event.payload,
      }
      return `${JSON.stringify(line)}\n`
    })
    .join('')
}
