/**
 * The shape of a Leadclock policy: the whole SLA framework as data. Structural rules live here;
 * rules that relate one part of the policy to another live in check-policy.ts.
 */
import { z } from 'zod'

import type { PolicyDuration } from './duration.js'
import { DURATION_SYNTAX, formatDuration, parseDuration } from './duration.js'

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id such as "sdr-manager"')
const text = z.string().min(1, 'must not be empty')
const idList = z.array(id)

export const duration = z.string().transform((value, ctx) => {
  const parsed = parseDuration(value)
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration; allowed: ${DURATION_SYNTAX}`,
    })
    return z.NEVER
  }
  return parsed
})

const percent = z.union([
  z.number().min(0).max(100),
  z
    .string()
    .regex(/^\d+(?:\.\d+)?%$/, 'must be a percentage such as "20%"')
    .transform((value) => Number(value.slice(0, -1))),
])

/** Deadlines of appendix A that are not plain durations. */
export const DEADLINE_KEYWORDS = [
  'before ae-notification',
  'any incomplete',
  'same session',
  'same business day',
  'next business day',
  'stage max age',
  'before first meeting',
] as const
export type DeadlineKeyword = (typeof DEADLINE_KEYWORDS)[number]

const deadline = z.union([z.enum(DEADLINE_KEYWORDS), duration], {
  error: `must be a duration (${DURATION_SYNTAX}) or one of: ${DEADLINE_KEYWORDS.join(', ')}`,
})

/** "30 business minutes after next open", "by 10:00 next business day". */
export type AfterHoursRule =
  | {
      readonly kind: 'after-next-open'
      readonly duration: NonNullable<ReturnType<typeof parseDuration>>
    }
  | { readonly kind: 'next-business-day-at'; readonly localTime: string }

const AFTER_HOURS_SYNTAX =
  '"<duration> after next open" or "by HH:MM next business day", e.g. "30 business minutes after next open"'
const afterHours = z.string().transform((value, ctx): AfterHoursRule => {
  const byTime = /^by\s+([01]\d|2[0-3]):([0-5]\d)\s+next business day$/i.exec(value.trim())
  if (byTime) {
    return { kind: 'next-business-day-at', localTime: `${byTime[1]}:${byTime[2]}` }
  }
  const afterOpen = /^(.+?)\s+after next open$/i.exec(value.trim())
  const parsed = afterOpen?.[1] === undefined ? undefined : parseDuration(afterOpen[1])
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an after-hours rule; allowed: ${AFTER_HOURS_SYNTAX}`,
    })
    return z.NEVER
  }
  return { kind: 'after-next-open', duration: parsed }
})

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')

/** Access a roster role can grant through the API (README "Who may do what"). */
export const PERSON_ACCESS_ROLES = ['rep', 'manager', 'revops', 'leadership'] as const

const role = z.strictObject({
  name: text,
  /** What people of this role may do through the API (README "Who may do what"); none if absent. */
  access: z.enum(PERSON_ACCESS_ROLES).optional(),
})

/** The routing rules Leadclock knows; a policy orders them (`routing.ruleOrder`). */
export const ROUTING_RULES = [
  'account-owner',
  'named-account',
  'multi-product-triage',
  'surge-nurture',
  'acv-tier',
  'after-hours-next-region',
  'territory-round-robin',
] as const

/** Stage ids the lifecycle engine moves leads between; a policy names and owns them. */
export const LIFECYCLE_STAGES = [
  'inquiry',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'closed-won',
  'closed-lost',
  'recycled',
  'nurture',
  'disqualified',
] as const

const stage = z.strictObject({
  id,
  number: z.number().int().min(1).optional(),
  name: text,
  owner: id,
  kind: z.enum(['funnel', 'terminal', 'side']),
})

const criterionRule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('min-fit-score'), points: z.number().int() }),
  z.strictObject({ kind: z.literal('persona-in'), personas: idList.min(1) }),
  z.strictObject({
    kind: z.literal('intent-actions'),
    anyOf: z.array(z.strictObject({ tier: id, count: z.number().int().min(1) })).min(1),
  }),
  z.strictObject({
    kind: z.literal('required-fields'),
    fields: z.array(z.enum(['name', 'company', 'email', 'phone', 'title', 'country'])).min(1),
  }),
  z.strictObject({ kind: z.literal('email-valid'), allowRoleBased: z.boolean() }),
  z.strictObject({ kind: z.literal('territory-active') }),
])

const mqlEntryCriterion = z.strictObject({
  id,
  name: text,
  definition: text,
  minimumBar: text,
  verifiedBy: text,
  rule: criterionRule,
})

const persona = z.strictObject({ name: text, signal: id, titlePatterns: z.array(text).min(1) })

const intentTier = z.strictObject({
  name: text,
  points: z.number().int(),
  signals: text,
  actions: idList,
})

const scoringSignal = z.strictObject({
  id,
  category: z.enum(['demographic-fit', 'high-intent', 'medium-intent', 'low-intent', 'penalty']),
  name: text,
  points: z.number().int(),
  note: text.optional(),
})

const scoring = z.strictObject({
  threshold: z.number().int(),
  managerReviewBand: z.strictObject({ min: z.number().int(), max: z.number().int() }),
  /** Whose score decides the MQL when a source system supplies its own (e.g. a CRM lead score). */
  scorePrecedence: z.enum(['leadclock', 'supplied']).default('leadclock'),
  signals: z.array(scoringSignal).min(1),
  actionSignals: z.record(id, id).optional(),
  decay: z.array(
    z.strictObject({ afterInactivity: duration, points: z.number().int(), note: text.optional() }),
  ),
})

/** Where the ACV-tier routing rule sends a tier's MQLs (seed 002 "Recommended Routing"). */
export const ACV_ROUTES = [
  'plg-onboarding',
  'sdr',
  'ae-assigned-sdr',
  'ae',
  'named-account-ae',
] as const
export type AcvRoute = (typeof ACV_ROUTES)[number]

const acvTier = z.strictObject({
  id,
  name: text,
  /** The band of the lead's estimated ACV (profile.acvEstimate): acvFrom ≤ ACV < acvTo. */
  acvFrom: z.number().min(0),
  /** Absent on the top band: no upper bound. */
  acvTo: z.number().positive().optional(),
  mqlThreshold: z.number().int(),
  /** A response tier whose first-attempt SLA this tier's MQLs get; absent: their intent tier's. */
  responseTier: id.optional(),
  routeTo: z.enum(ACV_ROUTES),
  /** The queue `plg-onboarding` routes to. */
  queue: id.optional(),
})

/** Seed 002: MQL threshold, response SLA and routing by the lead's ACV tier. */
const acvTiers = z.strictObject({
  /** ISO 4217 code the bands are in (documentation: ACV estimates arrive in this currency). */
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as "USD"'),
  /** The tier of a lead with no ACV estimate and no supplied tier; absent: no tier applies. */
  whenUnknown: id.optional(),
  /** Whose tier wins when a source system supplies its own (e.g. a CRM lead tier). */
  tierPrecedence: z.enum(['leadclock', 'supplied']),
  tiers: z.array(acvTier).min(1),
})

const responseTier = z.strictObject({
  name: text,
  triggers: idList,
  firstAttempt: duration,
  afterHours,
  cadence: z.strictObject({
    attempts: z.number().int().min(1),
    over: duration,
    then: z.enum(['recycle', 'nurture']),
  }),
})

const channel = z.enum(['phone', 'email', 'linkedin', 'video', 'meeting'])
const touch = z.strictObject({
  touch: z.number().int().min(1),
  day: z.number().int().min(1),
  channel,
  objective: text,
  tiers: idList.min(1),
})

const validFollowUps = z.strictObject({
  activityTypes: z.array(z.enum(['call', 'email', 'linkedin', 'meeting', 'video'])).min(1),
  excluded: idList,
})

const meddpicElement = z.strictObject({
  id,
  name: text,
  mustConfirm: text,
  gate: z.enum(['required', 'preferred', 'optional']),
  ifNotConfirmed: text,
})

const gates = z.strictObject({
  sql: z.strictObject({
    requireBookedMeeting: z.boolean(),
    requiredFields: z.array(z.enum(['pain-statement', 'timeline', 'meeting-link'])),
    requireMeddpic: z.enum(['required', 'preferred', 'none']),
  }),
  aeAcceptance: z.strictObject({ requireBriefingRead: z.boolean() }),
  salRejection: z.strictObject({ requireReasonCode: z.boolean() }),
})

export const REASON_EFFECTS = [
  'data-cleanup',
  'suppress-company',
  'suppress-contact',
  'do-not-route',
  'route-to-account-team',
  'suppress-domain-permanently',
  'route-to-territory',
  'nurture',
  'recycle',
  'return-to-sal',
  'long-term-nurture',
  're-engage-contact',
  'reschedule',
  'revops-arbitration',
  'merge-duplicate',
] as const

const reasonCode = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/, 'must be an upper-case code such as "REJ-01"'),
  reason: text,
  requiredResponse: text,
  reviewedBy: id.optional(),
  effect: z.enum(REASON_EFFECTS),
  checkInAfter: duration.optional(),
  /** The required response as a task: the role that owns it and how long it has (owner's calendar). */
  task: z.strictObject({ owner: id, due: duration }).optional(),
})

const reasonTaxonomy = z.strictObject({ name: text, codes: z.array(reasonCode).min(1) })

const rejection = z.strictObject({
  sal: id,
  ae: id,
  aeRejectionReviewThreshold: z.strictObject({ codes: z.array(text).min(1), rateAbove: percent }),
})

export const CLOCK_EVENTS = [
  'qualifying-action',
  'lead-scored',
  'mql-created',
  'owner-assigned',
  'marketing-handoff-complete',
  'valid-follow-up',
  'first-attempt',
  'sal-accepted',
  'sal-rejected',
  'sql-promoted',
  'recycled',
  'disqualified',
  'call-connected-not-converted',
  'ae-notified',
  'ae-accepted',
  'ae-rejected',
  'opportunity-created',
  'meeting-held',
  'next-step-logged',
  'activity-logged',
  'stage-changed',
  'closed-won',
  'closed-lost',
  'cadence-completed-no-response',
  'three-way-intro-sent',
  'sequence-enrolled',
  'internal-debrief-held',
] as const
const clockEvent = z.enum(CLOCK_EVENTS)

const slaClock = z.strictObject({
  calendar: z.string().min(1),
  startsOn: clockEvent,
  stopsOn: z.array(clockEvent).min(1),
  restartsOn: z.array(clockEvent).optional(),
  pausesOn: z.array(clockEvent).optional(),
  resumesOn: z.array(clockEvent).optional(),
  /** Reasons a person may pause this clock for (`clock.paused` events); none = never paused. */
  pauseReasons: idList.min(1).optional(),
})

/**
 * A section-04 SAL action window. `activity-logging` is the CRM-reality late-logging flag's
 * window; a row with `slaItem` is that item's target (check-policy holds them equal); a row with
 * a `clock` is a checked window, shown with the lead's SLA clocks (it has no escalation chain).
 */
/** The SAL action row whose window flags an activity logged too late (`late-logged`). */
export const ACTIVITY_LOGGING_ACTION = 'activity-logging'

const salAction = z.strictObject({
  id,
  action: text,
  obligation: text,
  owner: id,
  window: deadline,
  from: id,
  slaItem: id.optional(),
  clock: slaClock.optional(),
})

const slaItem = z.strictObject({
  id,
  name: text,
  stage: text,
  owner: id,
  responseTier: id.optional(),
  target: deadline,
  breach: deadline,
  checkIn: duration.optional(),
  escalateTo: idList.min(1),
  escalationChain: id.optional(),
  /** The item escalates through this stale-opportunity trigger instead of its own thresholds. */
  staleTrigger: id.optional(),
  /** Where the framework defines the item when it is not a row of appendix A. */
  source: text.optional(),
  /** "before first meeting" deadlines fall this long before the first booked meeting. */
  beforeMeeting: duration.optional(),
  /**
   * Only leads of these segments (e.g. strategic accounts) run this clock; with `opportunity`,
   * only runs that start once the lead has an opportunity (the section-07 opportunity SLAs).
   */
  appliesTo: z
    .strictObject({
      segments: z.array(text).min(1).optional(),
      opportunity: z.literal(true).optional(),
    })
    .refine((value) => value.segments !== undefined || value.opportunity !== undefined, {
      message: 'name the segments, or opportunity: true',
    })
    .optional(),
  clock: slaClock.optional(),
})

const escalationStep = z.strictObject({
  id,
  /** The framework's name for the step, e.g. T+30 or T+24h; leads and messages show it. */
  label: text,
  at: duration,
  title: text,
  actor: id,
  notify: idList.min(1),
  requiredAction: text,
  tiers: idList.optional(),
  unless: clockEvent.optional(),
  when: clockEvent.optional(),
  severity: z.enum(['reminder', 'formal-breach', 'critical']).optional(),
  managerActions: idList.optional(),
  reassign: z.boolean().optional(),
  rootCauseDue: duration.optional(),
  resolutionNoticeWithin: duration.optional(),
  outcome: z.enum(['recycle']).optional(),
  recycleScenario: id.optional(),
  /** A `when` step opens a task for its actor when the event happens, due this long after it. */
  taskDue: duration.optional(),
  /**
   * A step of the normal flow (the T+0 "SDR receives notification"): it notifies, it does not
   * escalate, so reports count it apart from escalations.
   */
  routine: z.boolean().optional(),
})

const escalationChain = z.strictObject({
  name: text,
  steps: z.array(escalationStep).min(1),
  repeatOffender: z
    .strictObject({
      severity: z.enum(['formal-breach', 'critical']),
      count: z.number().int().min(1),
      per: z.enum(['month', 'quarter', 'year']),
      track: id,
      /** Who is told when a rep reaches the count (recipient selectors, as in steps). */
      notify: idList.min(1).default(['owner-manager']),
    })
    .optional(),
})

const staleCondition = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('no-next-step-for'), duration }),
  z.strictObject({ kind: z.literal('no-activity-for'), duration }),
  z.strictObject({ kind: z.literal('stage-age-exceeded') }),
  z.strictObject({
    kind: z.literal('close-date-pushed'),
    times: z.number().int().min(1),
    per: z.enum(['month', 'quarter', 'year']),
  }),
  z.strictObject({ kind: z.literal('acv-change-over'), percent: z.number().positive() }),
])

const staleTrigger = z.strictObject({
  id,
  trigger: text,
  condition: staleCondition,
  alertTo: idList.min(1),
  requiredAction: text,
  deadline: duration,
})

const closeDateRule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('within'), duration, description: text }),
  z.strictObject({ kind: z.literal('requires-eb-meeting'), description: text }),
  z.strictObject({ kind: z.literal('after-evaluation-end'), description: text }),
])

const opportunityStage = z.strictObject({
  stage: z.number().int().min(1),
  name: text,
  definition: text,
  maxAge: duration,
  /**
   * What the AE must do in the stage, and by when: from stage entry (proposal delivery is the
   * entry to Proposal), from each meeting held, or from the last check-in (activity), repeating.
   * A logged next step (opportunity.updated nextStep) or, for check-ins, an activity meets it.
   */
  nextAction: z.strictObject({
    description: text,
    within: duration,
    from: z.enum(['stage-entry', 'meeting', 'proposal-delivered', 'last-check-in']),
  }),
  closeDateRule,
})

const SUPPRESSION_KEYWORDS = ['none', 'until-enriched', 'permanent', 'not-applicable'] as const
const recyclingScenario = z.strictObject({
  id,
  scenario: text,
  outcome: z.enum([
    'recycled',
    'nurture',
    'sal',
    'data-cleanup',
    'disqualified',
    'account-management',
  ]),
  suppression: z.union([z.enum(SUPPRESSION_KEYWORDS), duration], {
    error: `must be a duration or one of: ${SUPPRESSION_KEYWORDS.join(', ')}`,
  }),
  reMqlTrigger: text,
  owner: id,
  checkInAfter: duration.optional(),
  /** Who does the check-in (a task); the scenario's owner when not given. */
  checkInBy: id.optional(),
})

const recycling = z.strictObject({
  recycleLimit: z.number().int().min(0),
  afterLimit: z.enum(['nurture', 'disqualified']),
  reMqlRequiresHigherIntent: z.boolean(),
  scenarios: z.array(recyclingScenario).min(1),
})

/** Green beyond `green`, red beyond `red`, amber between them (both ends included). */
const ragThresholds = {
  better: z.enum(['higher', 'lower']),
  green: z.number(),
  red: z.number(),
}

const metric = z.strictObject({
  id,
  name: text,
  definition: text,
  ...ragThresholds,
  cadence: z.enum(['daily', 'weekly', 'monthly', 'quarterly']),
  /** The SLA item whose compliance this metric rates (e.g. sdr-response-tier-1). */
  slaItem: id.optional(),
})

/** Seed 001's thresholds for the measures section 11 does not rate, and its response rubric. */
const measurement = z.strictObject({
  thresholds: z.array(z.strictObject({ id, name: text, question: text, ...ragThresholds })),
  /** Points by first-response time, best band first; a lead never touched earns `noResponse`. */
  responseScoring: z.strictObject({
    bands: z
      .array(
        z.strictObject({ within: duration.optional(), points: z.number().min(0), grade: text }),
      )
      .min(1),
    noResponse: z.strictObject({ points: z.number().min(0), grade: text }),
  }),
  /** How many weeks a metrics trend covers when the request names none. */
  trendWeeks: z.number().int().min(1).max(52),
})

const hhmm = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM (00:00–24:00)')
const calendar = z.strictObject({
  timeZone: text,
  weeklyHours: z.strictObject(
    Object.fromEntries(
      (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => [
        day,
        z.array(z.strictObject({ start: hhmm, end: hhmm })).optional(),
      ]),
    ) as Record<
      'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun',
      z.ZodOptional<
        z.ZodArray<z.ZodObject<{ start: typeof hhmm; end: typeof hhmm }, z.core.$strict>>
      >
    >,
  ),
  holidays: z
    .strictObject({
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
      state: z.string().optional(),
      region: z.string().optional(),
      types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).optional(),
    })
    .optional(),
  closedDates: z.array(localDate).optional(),
  closures: z
    .array(
      z.strictObject({
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local time YYYY-MM-DDTHH:MM'),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local time YYYY-MM-DDTHH:MM'),
        reason: text.optional(),
      }),
    )
    .optional(),
})

const calendarSelection = z.strictObject({
  default: id,
  byCountry: z.record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO country code'), id),
  /** IANA time zone → calendar; a lead's zone wins over its country (see prospectCalendar). */
  byTimeZone: z.record(z.string(), id).optional(),
})

export const policySchema = z.strictObject({
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as "2.1.0"'),
  effectiveFrom: localDate,
  name: text,
  description: text.optional(),
  roles: z.record(id, role),
  stages: z.array(stage).min(1),
  mqlEntryCriteria: z.array(mqlEntryCriterion).min(1),
  personas: z.record(id, persona),
  icp: z.strictObject({
    industries: idList.min(1),
    industrySignal: id,
    companySize: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
    companySizeSignal: id,
  }),
  hygiene: z.strictObject({
    competitorDomains: z.array(text),
    suppressedDomains: z.array(text),
    studentDomainPatterns: z.array(text),
    studentTitlePatterns: z.array(text),
    freeEmailMinCompanySize: z.number().int().min(0),
    rejectDisposableEmail: z.boolean(),
  }),
  intentTiers: z.record(id, intentTier),
  scoring,
  /** Seed 002's ACV tiers; absent: one MQL threshold for every lead (seed 000). */
  acvTiers: acvTiers.optional(),
  responseTiers: z.record(id, responseTier),
  touchPlan: z.array(touch),
  validFollowUps,
  salActions: z.array(salAction),
  meddpic: z.array(meddpicElement),
  gates,
  reasonTaxonomies: z.record(id, reasonTaxonomy),
  rejection,
  slaItems: z.array(slaItem).min(1),
  escalationChains: z.record(id, escalationChain),
  staleOpportunityTriggers: z.array(staleTrigger),
  opportunityStages: z.array(opportunityStage),
  recycling,
  metrics: z.array(metric),
  measurement,
  calendars: z.record(id, calendar),
  calendarSelection,
  territories: z.strictObject({
    active: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO country code')),
  }),
  surge: z.strictObject({
    volumeMultiple: z.number().gt(1),
    trailingWindow: duration,
    slaStretch: z.number().min(1),
    directRouteTiers: idList,
    othersTo: z.enum(['nurture']),
  }),
  gracePeriod: z.strictObject({ duration, maxEscalationRole: id }),
  triage: z.strictObject({ queue: id, sla: duration }),
  routing: z.strictObject({
    capacityPerRepPerDay: z.number().int().min(1),
    /** The routing rules, in the order they are tried; the first that decides wins. */
    ruleOrder: z.array(z.enum(ROUTING_RULES)).min(1),
    /** Follow the sun: after hours, route to the region that opens soonest. */
    afterHoursToNextRegion: z.boolean(),
  }),
})

export type Policy = z.output<typeof policySchema>
export type PolicyInput = z.input<typeof policySchema>
export type SlaItem = Policy['slaItems'][number]
export type EscalationChain = Policy['escalationChains'][string]
export type AcvTier = NonNullable<Policy['acvTiers']>['tiers'][number]
export type CalendarSpec = Policy['calendars'][string]
export type Deadline = SlaItem['target']
export type ReasonCode = Policy['reasonTaxonomies'][string]['codes'][number]

/** A deadline as the policy writes it: "4 business hours", or a keyword such as "same day". */
export function formatDeadline(deadline: Deadline): string {
  return isDurationDeadline(deadline) ? formatDuration(deadline) : deadline
}

export function isDurationDeadline(deadline: Deadline): deadline is PolicyDuration {
  return typeof deadline === 'object'
}
