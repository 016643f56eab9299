/**
 * The lead event vocabulary: each type with the shape of its payload. Names follow
 * `<entity>.<past tense>`. Payloads are validated where they enter (API, import, connectors).
 */
import { z } from 'zod'

import { dateOrInstantSchema, instantSchema as instant } from './instant.js'

const optionalText = z.string().trim().min(1).max(500).optional()

/** What fired: a step of an escalation chain, an SLA item's own threshold, a stale alert… */
export const ESCALATION_KINDS = [
  'chain-step',
  'sla-threshold',
  'stale-alert',
  'root-cause-overdue',
  'resolution-notice',
  'repeat-offender',
  'task-assigned',
  'task-overdue',
] as const
export type EscalationKind = (typeof ESCALATION_KINDS)[number]
export const ESCALATION_SEVERITIES = [
  'notice',
  'reminder',
  'formal-breach',
  'critical',
  'alert',
] as const
export type EscalationSeverity = (typeof ESCALATION_SEVERITIES)[number]

export const leadProfileSchema = z.strictObject({
  firstName: optionalText,
  lastName: optionalText,
  email: z.string().trim().max(320).optional(),
  phone: z.string().trim().max(40).optional(),
  title: optionalText,
  company: optionalText,
  companySize: z.number().int().min(0).max(10_000_000).optional(),
  industry: optionalText,
  /** ISO 3166-1 alpha-2. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "US"')
    .optional(),
  /** The prospect's IANA time zone when known (picks the business calendar). */
  timeZone: optionalText,
  acvEstimate: z.number().min(0).optional(),
  segment: optionalText,
  productInterest: z.array(z.string().min(1).max(100)).max(20).optional(),
  /** What the CRM knows of the account: an existing customer or an open opportunity. */
  accountStatus: z.enum(['prospect', 'customer', 'open-opportunity']).optional(),
  accountOwnerId: optionalText,
  namedAccountOwnerId: optionalText,
  linkedinUrl: optionalText,
})
export type LeadProfile = z.infer<typeof leadProfileSchema>

/**
 * What a source system already computed for the lead (e.g. a CRM's lead tier and lead score).
 * Both are recorded; the policy says whether they or Leadclock's own values decide.
 */
export const suppliedValuesSchema = z.strictObject({
  /** The source's ACV tier, as an id of the policy's acvTiers.tiers. */
  acvTier: z.string().trim().min(1).max(100).optional(),
  /** The source's lead score, on the policy's points scale. */
  score: z.number().int().min(-10_000).max(10_000).optional(),
  /** Which system computed them, e.g. "salesforce". */
  system: optionalText,
})
export type SuppliedValues = z.infer<typeof suppliedValuesSchema>

const qualificationSchema = z.strictObject({
  painStatement: z.string().trim().max(5000).optional(),
  timeline: z.string().trim().max(1000).optional(),
  meetingLink: z.string().trim().max(2000).optional(),
  /** MEDDPIC element id → what was confirmed (empty = not confirmed). */
  meddpic: z.record(z.string(), z.string().trim().max(2000)).optional(),
  notesForAe: z.string().trim().max(5000).optional(),
})
export type QualificationUpdate = z.infer<typeof qualificationSchema>

export const ACTIVITY_TYPES = [
  'call',
  'email',
  'linkedin',
  'meeting',
  'video',
  'sequence-enrolment',
  'status-change',
  'blank-task',
] as const

export const leadEventPayloadSchemas = {
  'lead.created': z.strictObject({
    profile: leadProfileSchema,
    source: z.string().min(1).max(100),
    supplied: suppliedValuesSchema.optional(),
  }),
  'lead.updated': z.strictObject({
    profile: leadProfileSchema,
    supplied: suppliedValuesSchema.optional(),
  }),
  'lead.enriched': z.strictObject({
    profile: leadProfileSchema,
    supplied: suppliedValuesSchema.optional(),
  }),
  /** What the system found about this lead elsewhere when it arrived. */
  'lead.matched': z.strictObject({
    duplicateOfLeadId: z.string().min(1).max(200),
    /** When the original was created: the oldest lead with the address is the original. */
    originalCreatedAt: instant.optional(),
  }),
  /** The lead's email domain is on the global suppression list (a competitor, REJ-06). */
  'lead.suppressed': z.strictObject({ domain: z.string().min(1).max(253) }),
  'intent.recorded': z.strictObject({ action: z.string().min(1).max(100) }),
  /**
   * Routing could not or should not assign an owner: an exception or triage queue, a queue a rule
   * routes to by design (e.g. PLG onboarding for the smallest ACV tier), or nurture (surge).
   */
  'lead.routed': z.strictObject({
    outcome: z.enum(['exception', 'triage', 'queued', 'nurture']),
    queue: z.string().min(1).max(100).optional(),
    reason: z.string().min(1).max(1000),
    dueAt: instant,
  }),
  'review.decided': z.strictObject({ decision: z.enum(['promote', 'keep-in-nurture']) }),
  'owner.assigned': z.strictObject({
    ownerId: z.string().min(1).max(200),
    reason: z.string().min(1).max(500),
    /** Why a lead that had an owner changed hands; `misroute` counts against routing. */
    reassignment: z
      .enum(['misroute', 'capacity', 'out-of-office', 'escalation', 'manager-decision'])
      .optional(),
    /** Set by routing during a surge: the factor SLA windows stretch by. */
    slaStretch: z.number().min(1).max(10).optional(),
  }),
  'sal.accepted': z.strictObject({}),
  'sal.rejected': z.strictObject({ reasonCode: z.string().max(50), note: optionalText }),
  'qualification.updated': qualificationSchema,
  'meeting.booked': z.strictObject({
    meetingAt: instant,
    link: optionalText,
    /** e.g. "video", "in person at their office". */
    format: optionalText,
    durationMinutes: z.number().int().min(5).max(480).optional(),
    /** Who will be in the meeting, as the SDR booked it (names and titles). */
    attendees: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
  }),
  'meeting.cancelled': z.strictObject({ byProspect: z.boolean().optional() }),
  'sql.promoted': z.strictObject({
    aeId: z.string().min(1).max(200),
    qualification: qualificationSchema.optional(),
  }),
  'ae.accepted': z.strictObject({ briefingRead: z.boolean() }),
  'ae.rejected': z.strictObject({ reasonCode: z.string().max(50), note: optionalText }),
  'opportunity.created': z.strictObject({
    acv: z.number().min(0).optional(),
    closeDate: dateOrInstantSchema.optional(),
  }),
  'opportunity.stage-changed': z.strictObject({
    stage: z.number().int().min(1).max(5),
    closeDate: dateOrInstantSchema.optional(),
    /** When the economic-buyer meeting is on the calendar (stage 2's close-date rule). */
    ebMeetingAt: instant.optional(),
    /** When the evaluation (POC, technical review) ends (stage 3's close-date rule). */
    evaluationEndsAt: instant.optional(),
  }),
  /** Deal facts between stage changes: ACV, close date, the next step the AE agreed. */
  'opportunity.updated': z.strictObject({
    acv: z.number().min(0).optional(),
    closeDate: dateOrInstantSchema.optional(),
    nextStep: z.string().trim().min(1).max(1000).optional(),
  }),
  'opportunity.closed': z.strictObject({ outcome: z.enum(['won', 'lost']), reason: optionalText }),
  'activity.logged': z.strictObject({
    activityType: z.enum(ACTIVITY_TYPES),
    outcome: z
      .enum(['connected', 'voicemail', 'no-answer', 'sent', 'replied', 'held', 'none'])
      .optional(),
    automated: z.boolean().optional(),
  }),
  /** A step of the warm handoff protocol (section 06) was done. */
  'handoff.logged': z.strictObject({ step: z.enum(['three-way-intro', 'internal-debrief']) }),
  'lead.recycled': z.strictObject({ scenario: z.string().min(1).max(100) }),
  /** A required follow-up (a task of the lead) was done; `taskId` as the lead view lists it. */
  'task.completed': z.strictObject({ taskId: z.string().min(1).max(500), note: optionalText }),
  'lead.disqualified': z.strictObject({
    reasonCode: z.string().max(50).optional(),
    reason: optionalText,
  }),
  /** Someone paused an SLA clock for a reason its policy item lists (`clock.pauseReasons`). */
  'clock.paused': z.strictObject({
    item: z.string().min(1).max(100),
    reason: z.string().min(1).max(100),
  }),
  /** The paused clock runs again; its thresholds have moved out by the paused business time. */
  'clock.resumed': z.strictObject({
    item: z.string().min(1).max(100),
    reason: optionalText,
  }),
  /** The scheduler fired an escalation step or stale-opportunity alert (a system fact). */
  'escalation.fired': z.strictObject({
    stepKey: z.string().min(1).max(500),
    kind: z.enum(ESCALATION_KINDS),
    subjectId: z.string().min(1).max(100),
    stepId: z.string().min(1).max(100),
    title: z.string().min(1).max(500),
    severity: z.enum(ESCALATION_SEVERITIES),
    /** The rep the step is about (the clock's owner), when there is one. */
    repId: z.string().max(200).nullable(),
    recipientIds: z.array(z.string().max(200)).max(100),
    graced: z.boolean(),
    dueAt: instant,
    actionDueAt: instant.nullable(),
    /** The documented manager actions that close this step (formal breaches). */
    managerActions: z.array(z.string().max(100)).max(10),
    rootCauseDueAt: instant.nullable(),
  }),
  /** A manager recorded one of the documented actions on an open escalation. */
  'escalation.resolved': z.strictObject({
    stepKey: z.string().min(1).max(500),
    action: z.string().min(1).max(100),
    note: z.string().trim().min(1, 'a note is required').max(5000),
  }),
  /** The root cause of a critical breach, documented. */
  'escalation.root-caused': z.strictObject({
    stepKey: z.string().min(1).max(500),
    rootCause: z.string().trim().min(1, 'the root cause must not be empty').max(5000),
  }),
} as const

export type LeadEventType = keyof typeof leadEventPayloadSchemas
export const LEAD_EVENT_TYPES = Object.keys(leadEventPayloadSchemas) as LeadEventType[]

export type LeadEventPayload<T extends LeadEventType> = z.infer<(typeof leadEventPayloadSchemas)[T]>

export function isLeadEventType(type: string): type is LeadEventType {
  return Object.hasOwn(leadEventPayloadSchemas, type)
}

/**
 * Who records each event type. `leadclock`: only Leadclock itself (routing, intake's matching and
 * suppression, the scheduler); such events reach the log from its own use cases or from imported
 * history, never from a caller of the API. `outside`: people and the systems they work in.
 */
export const EVENT_RECORDERS = {
  'lead.created': 'outside',
  'lead.updated': 'outside',
  'lead.enriched': 'outside',
  'lead.matched': 'leadclock',
  'lead.suppressed': 'leadclock',
  'intent.recorded': 'outside',
  'lead.routed': 'leadclock',
  'review.decided': 'outside',
  'owner.assigned': 'outside',
  'sal.accepted': 'outside',
  'sal.rejected': 'outside',
  'qualification.updated': 'outside',
  'meeting.booked': 'outside',
  'meeting.cancelled': 'outside',
  'sql.promoted': 'outside',
  'ae.accepted': 'outside',
  'ae.rejected': 'outside',
  'opportunity.created': 'outside',
  'opportunity.stage-changed': 'outside',
  'opportunity.updated': 'outside',
  'opportunity.closed': 'outside',
  'activity.logged': 'outside',
  'handoff.logged': 'outside',
  'lead.recycled': 'outside',
  'task.completed': 'outside',
  'lead.disqualified': 'outside',
  'clock.paused': 'outside',
  'clock.resumed': 'outside',
  'escalation.fired': 'leadclock',
  'escalation.resolved': 'outside',
  'escalation.root-caused': 'outside',
} as const satisfies Readonly<Record<LeadEventType, 'leadclock' | 'outside'>>
