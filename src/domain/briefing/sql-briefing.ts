/**
 * The SQL briefing document (seed 000, appendix C "SDR Handoff Briefing Template"): what the SDR
 * hands the AE with an SQL, built from the lead's state. Pure: times are written in the
 * prospect's time zone, which the caller passes in; names of people come from the caller too.
 * The shell lays the document out as Markdown and HTML (src/app/render-briefing.ts).
 */
import { DateTime } from 'luxon'

import type { Policy } from '../../policy/policy-schema.js'
import { sqlGateMissing } from '../lifecycle/sal-to-sql.js'
import type { ActivityRecord, LeadState, Transition } from '../lead-state.js'

export type MeddpicGate = 'required' | 'preferred' | 'optional'

export interface OutreachSummary {
  readonly calls: number
  readonly emails: number
  readonly linkedinMessages: number
  readonly videoMessages: number
  readonly firstAt: number | null
  readonly lastAt: number | null
  /** Calendar days from the first touch to the last, both counted, in the prospect's zone. */
  readonly days: number
  /** 1-based number of the first connected call (calls in time order), if any. */
  readonly connectedOnCall: number | null
  /** e.g. "3 calls, 2 emails, 1 LinkedIn message over 6 days; connected on call 2". */
  readonly text: string
}

export interface MeddpicNote {
  readonly id: string
  readonly name: string
  readonly gate: MeddpicGate
  readonly mustConfirm: string
  readonly ifNotConfirmed: string
  /** What the SDR confirmed, or null when not confirmed. */
  readonly confirmed: string | null
}

export interface BriefingMeeting {
  readonly at: number
  /** e.g. "Friday 6 March 2026, 10:00 (America/New_York, UTC-05:00)". */
  readonly text: string
  readonly cancelled: boolean
  readonly format: string | null
  readonly durationMinutes: number | null
  readonly attendees: readonly string[]
}

export interface Briefing {
  readonly leadId: string
  readonly stage: string
  /** The IANA zone times are shown in (UTC when the one given is unknown). */
  readonly timeZone: string
  readonly header: {
    /** "SQL Briefing Document — Dana Reyes at Acmesoft". */
    readonly title: string
    readonly leadName: string
    readonly company: string | null
    /** When the lead became SQL (null while it is not one yet). */
    readonly createdAt: number | null
    readonly createdText: string
    readonly sdr: string
    readonly ae: string
  }
  readonly contact: {
    readonly name: string
    readonly title: string | null
    readonly company: string | null
    readonly email: string | null
    readonly phone: string | null
    readonly linkedinUrl: string | null
    readonly companySize: number | null
    readonly industry: string | null
  }
  readonly history: {
    readonly mqlSourceId: string
    /** The policy's name for the source when it is a known signal, e.g. "Demo or trial request". */
    readonly mqlSource: string
    readonly mqlAt: number | null
    readonly mqlText: string
    readonly salAt: number | null
    readonly salText: string
    readonly sqlAt: number | null
    readonly sqlText: string
    readonly outreach: OutreachSummary
  }
  readonly painStatement: string | null
  readonly timeline: string | null
  /** MEDDPIC lite, in the policy's order. */
  readonly qualification: readonly MeddpicNote[]
  readonly meeting: BriefingMeeting | null
  /** The qualification's meeting link, else the booked meeting's. */
  readonly meetingLink: string | null
  readonly notesForAe: string | null
  readonly acceptance: {
    readonly statements: readonly string[]
    /** True once the AE accepted with the briefing confirmed read. */
    readonly accepted: boolean
    readonly acceptedBy: string | null
    readonly acceptedAt: number | null
    readonly acceptedText: string | null
  }
}

export const BRIEFING_READ_STATEMENT = 'I have read this briefing document fully before accepting'
export const FORMAL_ACCEPTANCE_STATEMENT = 'I formally accept this SQL for AE-led engagement'

export function buildBriefing(
  state: LeadState,
  policy: Policy,
  people: { sdrName?: string; aeName?: string },
  prospectTimeZone: string,
): Briefing {
  const timeZone = DateTime.fromMillis(0, { zone: prospectTimeZone }).isValid
    ? prospectTimeZone
    : 'UTC'
  const when = (instant: number | null, missing: string): string =>
    instant === null ? missing : formatInstant(instant, timeZone)

  const profile = state.profile
  const fullName = [profile.firstName, profile.lastName].filter(present).join(' ')
  const leadName = fullName || text(profile.email) || state.leadId
  const company = text(profile.company)

  const mqlAt = lastTransitionTo(state.transitions, 'mql', null)
  const salAt = lastTransitionTo(state.transitions, 'sal', mqlAt)
  const sqlAt = lastTransitionTo(state.transitions, 'sql', salAt ?? mqlAt)

  const sdr = text(people.sdrName) ?? state.ownerId ?? 'unassigned'
  const ae = text(people.aeName) ?? state.aeId ?? 'not yet assigned'

  const q = state.qualification
  const qualification = policy.meddpic.map((element): MeddpicNote => ({
    id: element.id,
    name: element.name,
    gate: element.gate,
    mustConfirm: element.mustConfirm,
    ifNotConfirmed: element.ifNotConfirmed,
    confirmed: text(q.meddpic?.[element.id]),
  }))

  const meeting: BriefingMeeting | null =
    state.meeting === null
      ? null
      : {
          at: state.meeting.at,
          text: formatMeeting(state.meeting.at, timeZone),
          cancelled: state.meeting.cancelled,
          // Events recorded before these fields existed have none of them.
          format: state.meeting.format ?? null,
          durationMinutes: state.meeting.durationMinutes ?? null,
          attendees: state.meeting.attendees ?? [],
        }

  const outreachFrom = mqlAt ?? state.createdAt
  const outreach = summariseOutreach(
    state.activities.filter(
      (activity) =>
        activity.occurredAt >= outreachFrom && (sqlAt === null || activity.occurredAt <= sqlAt),
    ),
    timeZone,
  )

  const accepted = state.aeAcceptedAt !== null && state.briefingReadAt !== null
  return {
    leadId: state.leadId,
    stage: state.stage,
    timeZone,
    header: {
      title: `SQL Briefing Document — ${company ? `${leadName} at ${company}` : leadName}`,
      leadName,
      company,
      createdAt: sqlAt,
      createdText: when(sqlAt, 'not yet promoted to SQL'),
      sdr,
      ae,
    },
    contact: {
      name: leadName,
      title: text(profile.title),
      company,
      email: text(profile.email),
      phone: text(profile.phone),
      linkedinUrl: text(profile.linkedinUrl),
      companySize: profile.companySize ?? null,
      industry: text(profile.industry),
    },
    history: {
      mqlSourceId: state.source,
      mqlSource: sourceLabel(policy, state.source),
      mqlAt,
      mqlText: when(mqlAt, 'not reached'),
      salAt,
      salText: when(salAt, 'not reached'),
      sqlAt,
      sqlText: when(sqlAt, 'not reached'),
      outreach,
    },
    painStatement: text(q.painStatement),
    timeline: text(q.timeline),
    qualification,
    meeting,
    meetingLink: text(q.meetingLink) ?? text(state.meeting?.link ?? undefined),
    notesForAe: text(q.notesForAe),
    acceptance: {
      statements: [BRIEFING_READ_STATEMENT, FORMAL_ACCEPTANCE_STATEMENT],
      accepted,
      acceptedBy: accepted ? ae : null,
      acceptedAt: accepted ? state.aeAcceptedAt : null,
      acceptedText: accepted && state.aeAcceptedAt !== null ? when(state.aeAcceptedAt, '') : null,
    },
  }
}

/**
 * The SQL gate's view of a briefing: what blocks the AE notification (the engine's own SQL gate,
 * so the two never disagree) and the unconfirmed preferred items the AE accepts knowingly.
 */
export function briefingCompleteness(
  state: LeadState,
  briefing: Briefing,
  policy: Policy,
): { complete: boolean; missing: string[]; flagsForAe: string[] } {
  const gateMissing = sqlGateMissing(policy, state)
  const blocking = new Set(gateMissing.map((item) => item.id))
  const flagsForAe = briefing.qualification
    .filter(
      (element) =>
        element.confirmed === null &&
        element.gate !== 'optional' &&
        !blocking.has(`meddpic-${element.id}`),
    )
    .map((element) => `${element.name} not confirmed (${element.ifNotConfirmed})`)
  return {
    complete: gateMissing.length === 0,
    missing: gateMissing.map((item) => item.text),
    flagsForAe,
  }
}

const OUTREACH_TYPES: readonly {
  readonly type: string
  readonly one: string
  readonly many: string
}[] = [
  { type: 'call', one: 'call', many: 'calls' },
  { type: 'email', one: 'email', many: 'emails' },
  { type: 'linkedin', one: 'LinkedIn message', many: 'LinkedIn messages' },
  { type: 'video', one: 'video message', many: 'video messages' },
]

/**
 * Counts the touches (calls, emails, LinkedIn and video messages; automated ones included) and
 * says where contact was made: the first connected call, else the first reply.
 */
export function summariseOutreach(
  activities: readonly ActivityRecord[],
  timeZone: string,
): OutreachSummary {
  const touches = activities
    .filter((activity) => OUTREACH_TYPES.some((kind) => kind.type === activity.activityType))
    .sort((a, b) => a.occurredAt - b.occurredAt)
  const count = (type: string): number =>
    touches.filter((activity) => activity.activityType === type).length
  const first = touches[0]
  const last = touches.at(-1)
  const days =
    first && last
      ? Math.round(
          DateTime.fromMillis(last.occurredAt, { zone: timeZone })
            .startOf('day')
            .diff(DateTime.fromMillis(first.occurredAt, { zone: timeZone }).startOf('day'), 'days')
            .days,
        ) + 1
      : 0
  const calls = touches.filter((activity) => activity.activityType === 'call')
  const connectedIndex = calls.findIndex((call) => call.outcome === 'connected')
  const connectedOnCall = connectedIndex === -1 ? null : connectedIndex + 1

  let text: string
  if (touches.length === 0) {
    text = 'no outreach logged'
  } else {
    const counts = OUTREACH_TYPES.flatMap((kind) => {
      const n = count(kind.type)
      return n === 0 ? [] : [`${n} ${n === 1 ? kind.one : kind.many}`]
    })
    text = `${counts.join(', ')} over ${days} ${days === 1 ? 'day' : 'days'}; ${contactPhrase(touches, connectedOnCall)}`
  }
  return {
    calls: count('call'),
    emails: count('email'),
    linkedinMessages: count('linkedin'),
    videoMessages: count('video'),
    firstAt: first?.occurredAt ?? null,
    lastAt: last?.occurredAt ?? null,
    days,
    connectedOnCall,
    text,
  }
}

function contactPhrase(touches: readonly ActivityRecord[], connectedOnCall: number | null): string {
  if (connectedOnCall !== null) {
    return `connected on call ${connectedOnCall}`
  }
  for (const kind of OUTREACH_TYPES) {
    const ofKind = touches.filter((activity) => activity.activityType === kind.type)
    const replied = ofKind.findIndex((activity) => activity.outcome === 'replied')
    if (replied !== -1) {
      return `replied to ${kind.one} ${replied + 1}`
    }
  }
  return 'no connection yet'
}

function lastTransitionTo(
  transitions: readonly Transition[],
  stage: string,
  notBefore: number | null,
): number | null {
  const found = transitions.findLast(
    (transition) => transition.to === stage && (notBefore === null || transition.at >= notBefore),
  )
  return found?.at ?? null
}

function sourceLabel(policy: Policy, source: string): string {
  const signalId = policy.scoring.actionSignals?.[source] ?? source
  return policy.scoring.signals.find((signal) => signal.id === signalId)?.name ?? source
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}

function text(value: string | undefined): string | null {
  return present(value) ? value.trim() : null
}

const offset = (at: DateTime): string => `UTC${at.toFormat('ZZ')}`

/** e.g. "Wed 4 Mar 2026, 10:00 UTC-05:00". */
export function formatInstant(instant: number, timeZone: string): string {
  const at = DateTime.fromMillis(instant, { zone: timeZone }).setLocale('en-US')
  return `${at.toFormat('ccc d LLL yyyy, HH:mm')} ${offset(at)}`
}

/** e.g. "Friday 6 March 2026, 10:00 (America/New_York, UTC-05:00)". */
export function formatMeeting(instant: number, timeZone: string): string {
  const at = DateTime.fromMillis(instant, { zone: timeZone }).setLocale('en-US')
  return `${at.toFormat('cccc d LLLL yyyy, HH:mm')} (${timeZone}, ${offset(at)})`
}
