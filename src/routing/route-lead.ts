/**
 * Who gets a new MQL. Pure: the roster, policy, calendars, today's load and the surge flag are
 * inputs, and the same inputs always give the same decision.
 *
 * Rules, in the policy's order (routing.ruleOrder, default below); the first that decides wins:
 *  1. account-owner — an existing customer or open opportunity goes to the profile's
 *     accountOwnerId, or, when that person is unknown or unavailable, to an available CS person.
 *  2. named-account — an email domain (or subdomain) of a named account goes to its owner, or to
 *     the backup owner when the owner is unavailable (rule 'named-account-backup'); both
 *     unavailable → revops exception (ABM leads never fall through to round robin).
 *  3. multi-product-triage — interest in more than one product line → the triage queue, due
 *     within the policy's triage.sla.
 *  4. surge-nurture — during a surge, tiers not in policy.surge.directRouteTiers go to nurture
 *     with a follow-up task for the nurture stage owner.
 *  acv-tier — with the policy's acvTiers (seed 002), by the lead's ACV tier's routeTo: the PLG
 *     onboarding queue, SDR round robin, round robin among AE-assigned SDRs (roster aeId), AE
 *     round robin (territory as for SDRs), or the named-account AE (rule 2's owner, else the
 *     profile's namedAccountOwnerId). An empty pool is a revops exception, like rule 6.
 *  5. after-hours-next-region — only with context.afterHoursToNextRegion: when the lead's calendar
 *     is closed, the SDRs whose calendar opens soonest take it, unless the lead's own territory
 *     opens as soon (then rule 6 routes it). It precedes rule 6, which would otherwise always win.
 *  6. territory-round-robin — SDRs covering the lead's country (and its segment / product line
 *     when the rep lists any), skipping out-of-office and at-capacity reps; the least loaded today
 *     wins, then the least recently assigned, then the smallest id.
 *  7. Nobody → the revops-exceptions queue with the reason, due within the triage.sla. So does,
 *     before any rule, a lead whose calendar cannot be chosen (unknown time zone, a zone or
 *     country without a calendar): no deadline could be right for it.
 *
 * "Available" means active, not out of office at `at` (in the person's calendar time zone) and
 * assigned fewer leads today than their capacity. It applies to every assignment, so an assigned
 * owner is never out of office or over capacity.
 *
 * Deadlines: the first attempt is due per the tier's response SLA (policy.responseTiers: in-hours
 * firstAttempt, else afterHours; `firstAttemptDeadline`, which the SLA clocks use too) in the lead's calendar — in the rep's calendar for rule 5, whose
 * point is that the rep's day has started. While a surge is active every duration computed here
 * is multiplied by policy.surge.slaStretch ("by HH:MM next business day" cannot stretch).
 */
import type { BusinessCalendar } from '../calendar/index.js'
import { findAcvTier } from '../domain/acv-tier.js'
import type { LeadProfile } from '../domain/lead-events.js'
import { firstAttemptDeadline } from '../domain/response-target.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import { prospectCalendar } from '../domain/sla-clock-view.js'
import type { Person, Roster } from '../domain/team/roster.js'
import { capacityOf, findPerson, isOutOfOffice } from '../domain/team/roster.js'
import type { PolicyDuration } from '../policy/duration.js'
import { durationMs } from '../policy/duration.js'
import type { Policy } from '../policy/policy-schema.js'
import { ROUTING_RULES } from '../policy/policy-schema.js'

export interface RoutingInput {
  readonly leadId: string
  readonly profile: LeadProfile
  /** The lead's response tier, a key of policy.responseTiers. */
  readonly tier: string
  /** The lead's ACV tier (an id of policy.acvTiers.tiers), when it has one. */
  readonly acvTier?: string | null
  /** When the lead is routed (epoch ms). */
  readonly at: number
}

export interface RoutingLoad {
  /** Leads assigned today per person id (absent = 0). */
  readonly assignedToday: ReadonlyMap<string, number>
  /** When each person was last assigned a lead (absent = never). */
  readonly lastAssignedAt: ReadonlyMap<string, number>
}

export interface RoutingContext {
  readonly roster: Roster
  readonly policy: Policy
  readonly calendars: CalendarSet
  readonly load: RoutingLoad
  readonly surgeActive: boolean
  /** Follow the sun: route after-hours leads to the region that opens soonest (rule 5). */
  readonly afterHoursToNextRegion?: boolean
}

export type AssignmentRule =
  | 'account-owner'
  | 'named-account'
  | 'named-account-backup'
  | 'acv-tier'
  | 'after-hours-next-region'
  | 'territory-round-robin'

export type RoutingDecision =
  | {
      readonly kind: 'assigned'
      readonly ownerId: string
      readonly rule: AssignmentRule
      readonly reason: string
      readonly nextAction: { readonly action: 'first attempt'; readonly dueAt: number }
    }
  | {
      readonly kind: 'exception'
      readonly queue: 'revops-exceptions' | 'triage'
      readonly reason: string
      readonly dueAt: number
    }
  | {
      /** A queue a rule routes to by design (not an exception), e.g. PLG onboarding. */
      readonly kind: 'queued'
      readonly queue: string
      readonly rule: 'acv-tier'
      readonly reason: string
      readonly dueAt: number
    }
  | {
      readonly kind: 'nurture'
      readonly reason: string
      readonly followUpTask: {
        readonly action: 'nurture follow-up'
        /** The role owning the nurture stage in the policy (e.g. marketing). */
        readonly ownerRole: string
        readonly dueAt: number
      }
    }

/** When the decision's next step is due: first attempt, queue deadline or nurture follow-up. */
export function decisionDueAt(decision: RoutingDecision): number {
  switch (decision.kind) {
    case 'assigned':
      return decision.nextAction.dueAt
    case 'exception':
    case 'queued':
      return decision.dueAt
    case 'nurture':
      return decision.followUpTask.dueAt
  }
}

export { ROUTING_RULES }
export type RoutingRuleId = (typeof ROUTING_RULES)[number]

/** What every rule needs, computed once per lead. */
interface Routing {
  readonly input: RoutingInput
  readonly context: RoutingContext
  readonly tier: Policy['responseTiers'][string]
  readonly leadCalendar: BusinessCalendar
  readonly stretch: number
}

type Rule = (routing: Routing) => RoutingDecision | undefined

const RULES: Record<RoutingRuleId, Rule> = {
  'account-owner': accountOwnerRule,
  'named-account': namedAccountRule,
  'multi-product-triage': multiProductRule,
  'surge-nurture': surgeRule,
  'acv-tier': acvTierRule,
  'after-hours-next-region': afterHoursRule,
  'territory-round-robin': territoryRule,
}

export function routeLead(input: RoutingInput, context: RoutingContext): RoutingDecision {
  const { policy, calendars, surgeActive } = context
  const choice = prospectCalendar(policy, input.profile)
  const leadCalendar =
    ('calendarId' in choice ? calendars.byId.get(choice.calendarId) : undefined) ??
    calendars.wallClock
  const stretch = surgeActive ? policy.surge.slaStretch : 1
  if ('problem' in choice) {
    // Without the prospect's business hours no response deadline can be right: RevOps decides.
    return exception({ input, context, leadCalendar, stretch }, choice.problem)
  }
  const tier = policy.responseTiers[input.tier]
  if (tier === undefined) {
    return exception(
      { input, context, leadCalendar, stretch },
      `unknown response tier "${input.tier}"; allowed: ${Object.keys(policy.responseTiers).join(', ')}`,
    )
  }
  const routing: Routing = { input, context, tier, leadCalendar, stretch }
  for (const ruleId of policy.routing.ruleOrder) {
    const decision = RULES[ruleId](routing)
    if (decision) {
      return decision
    }
  }
  return exception(routing, 'no routing rule applied')
}

export type Availability = 'available' | 'inactive' | 'out of office' | 'at capacity'

export function availabilityOf(
  person: Person,
  at: number,
  context: Pick<RoutingContext, 'policy' | 'calendars' | 'load'>,
): Availability {
  if (!person.active) {
    return 'inactive'
  }
  const timeZone = context.calendars.byId.get(person.calendarId)?.timeZone ?? 'UTC'
  if (isOutOfOffice(person, at, timeZone)) {
    return 'out of office'
  }
  const assigned = context.load.assignedToday.get(person.id) ?? 0
  return assigned >= capacityOf(person, context.policy) ? 'at capacity' : 'available'
}

function accountOwnerRule(routing: Routing): RoutingDecision | undefined {
  const { profile, at } = routing.input
  const status = profile.accountStatus
  if (status !== 'customer' && status !== 'open-opportunity') {
    return undefined
  }
  const what = status === 'customer' ? 'existing customer' : 'open opportunity'
  const ownerId = profile.accountOwnerId
  const owner = ownerId === undefined ? undefined : findPerson(routing.context.roster, ownerId)
  const ownerState =
    ownerId === undefined
      ? 'no account owner on the lead'
      : owner === undefined
        ? `account owner ${ownerId} is not in the roster`
        : availabilityOf(owner, at, routing.context)
  if (owner && ownerState === 'available') {
    return assigned(routing, owner, 'account-owner', `${what}: account owner`)
  }
  const reason =
    owner === undefined ? ownerState : `account owner ${owner.id} is ${String(ownerState)}`
  const cs = fairest(
    routing.context.roster.people.filter(
      (person) =>
        person.role === 'cs' && availabilityOf(person, at, routing.context) === 'available',
    ),
    routing.context,
  )
  return cs
    ? assigned(routing, cs, 'account-owner', `${what}: ${reason}; customer success takes it`)
    : exception(routing, `${what}: ${reason} and no customer success person is available`)
}

function namedAccountRule(routing: Routing): RoutingDecision | undefined {
  const domain = routing.input.profile.email?.split('@')[1]?.trim().toLowerCase()
  if (!domain) {
    return undefined
  }
  const account = routing.context.roster.namedAccounts.find(
    (candidate) => domain === candidate.domain || domain.endsWith(`.${candidate.domain}`),
  )
  if (!account) {
    return undefined
  }
  const { at } = routing.input
  const stateOf = (personId: string): [Person | undefined, string] => {
    const person = findPerson(routing.context.roster, personId)
    return [person, person ? availabilityOf(person, at, routing.context) : 'not in the roster']
  }
  const [owner, ownerState] = stateOf(account.ownerId)
  if (owner && ownerState === 'available') {
    return assigned(routing, owner, 'named-account', `named account ${account.domain}: owner`)
  }
  const [backup, backupState] = stateOf(account.backupOwnerId)
  if (backup && backupState === 'available') {
    return assigned(
      routing,
      backup,
      'named-account-backup',
      `named account ${account.domain}: owner ${account.ownerId} is ${ownerState}; backup owner`,
    )
  }
  return exception(
    routing,
    `named account ${account.domain}: owner ${account.ownerId} is ${ownerState} and backup ${account.backupOwnerId} is ${backupState}`,
  )
}

function multiProductRule(routing: Routing): RoutingDecision | undefined {
  const lines = productLinesOf(routing.input.profile)
  if (lines.length <= 1) {
    return undefined
  }
  const { policy } = routing.context
  return {
    kind: 'exception',
    queue: 'triage',
    reason: `interest in ${lines.length} product lines (${lines.join(', ')}): triage picks the team`,
    dueAt: addStretched(routing, routing.leadCalendar, routing.input.at, policy.triage.sla),
  }
}

function surgeRule(routing: Routing): RoutingDecision | undefined {
  const { policy, surgeActive } = routing.context
  const tierId = routing.input.tier
  if (!surgeActive || policy.surge.directRouteTiers.includes(tierId)) {
    return undefined
  }
  const nurtureOwner = policy.stages.find((stage) => stage.id === policy.surge.othersTo)?.owner
  return {
    kind: 'nurture',
    reason: `surge: only ${policy.surge.directRouteTiers.join(', ')} route directly; ${tierId} goes to ${policy.surge.othersTo}`,
    followUpTask: {
      action: 'nurture follow-up',
      ownerRole: nurtureOwner ?? 'marketing',
      dueAt: firstAttemptDue(routing, routing.leadCalendar),
    },
  }
}

function afterHoursRule(routing: Routing): RoutingDecision | undefined {
  const { context, input, leadCalendar } = routing
  if (context.afterHoursToNextRegion !== true || leadCalendar.isOpen(input.at)) {
    return undefined
  }
  const pool = context.roster.people.filter(
    (person) =>
      person.role === 'sdr' &&
      takesLead(person, input.profile) &&
      availabilityOf(person, input.at, context) === 'available',
  )
  const openings = new Map(
    pool.map((person) => [person.id, calendarOf(routing, person).nextOpening(input.at)]),
  )
  const openingOf = (person: Person): number => openings.get(person.id) ?? Number.POSITIVE_INFINITY
  const soonest = Math.min(...pool.map(openingOf))
  const country = input.profile.country
  const home = pool.filter((person) => country !== undefined && person.countries.includes(country))
  if (pool.length === 0 || Math.min(...home.map(openingOf)) <= soonest) {
    return undefined
  }
  const owner = fairest(
    pool.filter((person) => openingOf(person) === soonest),
    context,
  )
  if (!owner) {
    return undefined
  }
  return assigned(
    routing,
    owner,
    'after-hours-next-region',
    `after hours in ${leadCalendar.id}; ${owner.calendarId} opens first`,
    calendarOf(routing, owner),
  )
}

function territoryRule(routing: Routing): RoutingDecision {
  return roundRobin(routing, SDR_POOL, 'territory-round-robin', '')
}

/** Who a round robin draws from: a role, maybe narrowed (e.g. SDRs in an AE's pod). */
interface Pool {
  readonly role: Person['role']
  readonly label: string
  readonly admits: (person: Person) => boolean
}

const SDR_POOL: Pool = { role: 'sdr', label: 'SDR', admits: () => true }
const AE_ASSIGNED_SDR_POOL: Pool = {
  role: 'sdr',
  label: 'AE-assigned SDR',
  admits: (person) => person.aeId !== undefined,
}
const AE_POOL: Pool = { role: 'ae', label: 'AE', admits: () => true }

/** The pool members covering the lead's country and taking its segment and product line. */
function roundRobin(
  routing: Routing,
  pool: Pool,
  rule: AssignmentRule,
  prefix: string,
): RoutingDecision {
  const { context, input } = routing
  const country = input.profile.country
  if (country === undefined) {
    return exception(routing, `${prefix}the lead has no country`)
  }
  const coverers = context.roster.people.filter(
    (person) =>
      person.role === pool.role &&
      pool.admits(person) &&
      person.active &&
      person.countries.includes(country),
  )
  if (coverers.length === 0) {
    return exception(routing, `${prefix}no ${pool.label} covers ${country}`)
  }
  const matching = coverers.filter((person) => takesLead(person, input.profile))
  if (matching.length === 0) {
    return exception(
      routing,
      `${prefix}no ${pool.label} for ${country} takes ${describeSpecialty(input.profile)}`,
    )
  }
  const available = matching.filter(
    (person) => availabilityOf(person, input.at, context) === 'available',
  )
  const owner = fairest(available, context)
  if (!owner) {
    const n = matching.length
    return exception(
      routing,
      `${prefix}all ${n} ${pool.label}${n === 1 ? '' : 's'} for ${country} are out of office or at capacity`,
    )
  }
  return assigned(
    routing,
    owner,
    rule,
    `${prefix}${country}: ${available.length} of ${matching.length} ${pool.label}s available; fewest leads today`,
  )
}

function acvTierRule(routing: Routing): RoutingDecision | undefined {
  const tier = findAcvTier(routing.context.policy, routing.input.acvTier ?? null)
  if (tier === undefined) {
    return undefined
  }
  const prefix = `ACV tier ${tier.id}: `
  switch (tier.routeTo) {
    case 'plg-onboarding':
      return {
        kind: 'queued',
        queue: tier.queue ?? tier.routeTo,
        rule: 'acv-tier',
        reason: `${prefix}PLG onboarding; SDR only on a product-qualified signal`,
        dueAt: firstAttemptDue(routing, routing.leadCalendar),
      }
    case 'sdr':
      return roundRobin(routing, SDR_POOL, 'acv-tier', prefix)
    case 'ae-assigned-sdr':
      return roundRobin(routing, AE_ASSIGNED_SDR_POOL, 'acv-tier', prefix)
    case 'ae':
      return roundRobin(routing, AE_POOL, 'acv-tier', prefix)
    case 'named-account-ae':
      return namedAccountRule(routing) ?? namedAccountAeOfProfile(routing, prefix)
  }
}

/** The named-account AE the CRM put on the lead, when its domain is not a roster named account. */
function namedAccountAeOfProfile(routing: Routing, prefix: string): RoutingDecision {
  const ownerId = routing.input.profile.namedAccountOwnerId
  if (ownerId === undefined) {
    return exception(
      routing,
      `${prefix}no named-account AE: the email domain is not a named account and the lead has no namedAccountOwnerId`,
    )
  }
  const owner = findPerson(routing.context.roster, ownerId)
  const state =
    owner === undefined
      ? 'not in the roster'
      : availabilityOf(owner, routing.input.at, routing.context)
  return owner !== undefined && state === 'available'
    ? assigned(
        routing,
        owner,
        'acv-tier',
        `${prefix}named-account AE from the lead's namedAccountOwnerId`,
      )
    : exception(routing, `${prefix}named-account AE ${ownerId} is ${state}`)
}

/** The rep's segment and product-line restrictions, when they list any, admit the lead. */
function takesLead(person: Person, profile: LeadProfile): boolean {
  const segmentOk =
    person.segments === undefined ||
    (profile.segment !== undefined && includesFolded(person.segments, profile.segment))
  const lines = productLinesOf(profile)
  const productOk =
    person.productLines === undefined ||
    lines.some((line) => includesFolded(person.productLines ?? [], line))
  return segmentOk && productOk
}

function describeSpecialty(profile: LeadProfile): string {
  const segment = profile.segment === undefined ? 'no segment' : `segment ${profile.segment}`
  const lines = productLinesOf(profile)
  return lines.length === 0 ? segment : `${segment} and product line ${lines.join(', ')}`
}

function includesFolded(values: readonly string[], value: string): boolean {
  const folded = value.trim().toLowerCase()
  return values.some((candidate) => candidate.trim().toLowerCase() === folded)
}

/** Distinct product lines the lead is interested in, trimmed, in first-seen order. */
function productLinesOf(profile: LeadProfile): string[] {
  const lines: string[] = []
  for (const line of profile.productInterest ?? []) {
    const trimmed = line.trim()
    if (trimmed !== '' && !includesFolded(lines, trimmed)) {
      lines.push(trimmed)
    }
  }
  return lines
}

/** Least loaded today, then least recently assigned (never first), then smallest id. */
function fairest(
  people: readonly Person[],
  context: Pick<RoutingContext, 'load'>,
): Person | undefined {
  const loadOf = (person: Person): number => context.load.assignedToday.get(person.id) ?? 0
  const lastOf = (person: Person): number =>
    context.load.lastAssignedAt.get(person.id) ?? Number.NEGATIVE_INFINITY
  let best: Person | undefined
  for (const person of people) {
    if (
      best === undefined ||
      loadOf(person) < loadOf(best) ||
      (loadOf(person) === loadOf(best) &&
        (lastOf(person) < lastOf(best) || (lastOf(person) === lastOf(best) && person.id < best.id)))
    ) {
      best = person
    }
  }
  return best
}

function calendarOf(routing: Routing, person: Person): BusinessCalendar {
  return (
    routing.context.calendars.byId.get(person.calendarId) ?? routing.context.calendars.wallClock
  )
}

function assigned(
  routing: Routing,
  owner: Person,
  rule: AssignmentRule,
  reason: string,
  calendar: BusinessCalendar = routing.leadCalendar,
): RoutingDecision {
  return {
    kind: 'assigned',
    ownerId: owner.id,
    rule,
    reason,
    nextAction: { action: 'first attempt', dueAt: firstAttemptDue(routing, calendar) },
  }
}

function exception(
  routing: Pick<Routing, 'input' | 'context' | 'leadCalendar' | 'stretch'>,
  reason: string,
): RoutingDecision {
  const { at } = routing.input
  return {
    kind: 'exception',
    queue: 'revops-exceptions',
    reason,
    dueAt: addStretched(routing, routing.leadCalendar, at, routing.context.policy.triage.sla),
  }
}

/** The tier's first-attempt deadline in `calendar`, stretched during a surge. */
function firstAttemptDue(routing: Routing, calendar: BusinessCalendar): number {
  return firstAttemptDeadline(
    routing.tier,
    calendar,
    routing.context.calendars.wallClock,
    routing.input.at,
    routing.stretch,
  )
}

function addStretched(
  routing: Pick<Routing, 'context' | 'stretch'>,
  calendar: BusinessCalendar,
  start: number,
  duration: PolicyDuration,
): number {
  const used = duration.business ? calendar : routing.context.calendars.wallClock
  return used.add(start, durationMs(duration, calendar.businessDayMs) * routing.stretch)
}
