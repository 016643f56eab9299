/**
 * A prospect's personal data in the lead events, and its erasure (the right to erasure). The one
 * list of personal fields is here: erasure, the audit of an erasure and the data-subject export
 * all read it.
 *
 * An erased field keeps its shape, and every fact the engine derives from it: a name or note is
 * still there (non-empty), an address still has its domain, validity and role-based-ness, a phone
 * number is still valid (or not) in the same countries. So a replay of the erased history gives the
 * same stages, clocks, scores and reports, and the payloads still pass their schemas. Kept as they
 * are: what the reports and rules are computed from and that names no one on its own — title,
 * industry, company size, country, time zone, segment, ACV, account status, owner ids (employees),
 * reason codes, timestamps.
 */
import { getExampleNumber, isSupportedCountry } from 'libphonenumber-js'
import examples from 'libphonenumber-js/mobile/examples'

import { emailDomain, isRoleBasedLocalPart, isValidEmail, isValidPhone } from './hygiene.js'
import type { LeadEventType, LeadProfile } from './lead-events.js'

/** What an erased text field (and an invalid address or number) becomes. */
export const ERASED = '[erased]'
/** The local part of an erased address; a role-based one stays role-based. */
const ERASED_LOCAL_PART = 'erased'
const ERASED_ROLE_LOCAL_PART = 'info'
/** NANP 555-01xx numbers are reserved for fiction; in E.164 it is valid whatever the country. */
export const ERASED_PHONE = '+12015550123'

type Tombstone = 'text' | 'email' | 'phone'

const PROFILE_FIELDS = {
  firstName: 'text',
  lastName: 'text',
  email: 'email',
  phone: 'phone',
  company: 'text',
  linkedinUrl: 'text',
} as const satisfies Partial<Record<keyof LeadProfile, Tombstone>>

/** The profile fields that identify the person (what an export lists as their personal data). */
export const PERSONAL_PROFILE_FIELDS = Object.keys(PROFILE_FIELDS) as readonly (keyof LeadProfile &
  keyof typeof PROFILE_FIELDS)[]

/** Free text of the qualification; `*` is every value of a record or element of an array. */
const QUALIFICATION_FIELDS = {
  painStatement: 'text',
  timeline: 'text',
  meetingLink: 'text',
  'meddpic.*': 'text',
  notesForAe: 'text',
} as const

function under(
  prefix: string,
  fields: Readonly<Record<string, Tombstone>>,
): Readonly<Record<string, Tombstone>> {
  return Object.fromEntries(
    Object.entries(fields).map(([path, kind]) => [`${prefix}.${path}`, kind]),
  )
}

/**
 * The personal fields of each event type, by dotted path: who the person is and the free text
 * people wrote about them (notes, meeting attendees, pain statements…).
 */
export const PERSONAL_PAYLOAD_FIELDS: {
  readonly [T in LeadEventType]?: Readonly<Record<string, Tombstone>>
} = {
  'lead.created': under('profile', PROFILE_FIELDS),
  'lead.updated': under('profile', PROFILE_FIELDS),
  'lead.enriched': under('profile', PROFILE_FIELDS),
  'qualification.updated': QUALIFICATION_FIELDS,
  'sql.promoted': under('qualification', QUALIFICATION_FIELDS),
  'meeting.booked': { link: 'text', 'attendees.*': 'text' },
  'sal.rejected': { note: 'text' },
  'ae.rejected': { note: 'text' },
  'task.completed': { note: 'text' },
  'lead.disqualified': { reason: 'text' },
  'opportunity.updated': { nextStep: 'text' },
  'opportunity.closed': { reason: 'text' },
  'clock.resumed': { reason: 'text' },
  'escalation.resolved': { note: 'text' },
  'escalation.root-caused': { rootCause: 'text' },
}

/** The personal fields of an escalation message (`EscalationMessage`) in the notification outbox. */
export const PERSONAL_MESSAGE_FIELDS = ['leadName', 'company'] as const

/** Blank text stays blank: rules that ask "is it filled in?" answer the same. */
function erasedText(value: string): string {
  return value.trim() === '' ? value : ERASED
}

function erasedEmail(email: string): string {
  const domain = emailDomain(email)
  if (email === '' || domain === undefined || !isValidEmail(email)) {
    return email === '' ? email : ERASED
  }
  const local = email.slice(0, email.lastIndexOf('@'))
  return `${isRoleBasedLocalPart(local) ? ERASED_ROLE_LOCAL_PART : ERASED_LOCAL_PART}@${domain}`
}

/**
 * A made-up number valid in exactly the countries the original is valid in, among those the
 * lead's profile had (hygiene reads a number in the profile's country): valid everywhere (in
 * E.164), nowhere, or — a national number — in its own country's plan (libphonenumber's example
 * number there). When none fits, the original's validity in the lead's last country wins: the one
 * its current state is judged in.
 */
function erasedPhone(phone: string, countries: readonly (string | undefined)[]): string {
  if (phone.trim() === '') {
    return phone
  }
  const validity = (number: string) =>
    countries.map((country) => isValidPhone(number, country)).join()
  const wanted = validity(phone)
  const nationalExamples = countries.flatMap((country) =>
    country !== undefined && isSupportedCountry(country)
      ? (getExampleNumber(country, examples)?.formatNational() ?? [])
      : [],
  )
  const fitting = [ERASED_PHONE, ERASED, ...nationalExamples].find(
    (candidate) => validity(candidate) === wanted,
  )
  const lastCountry = countries.at(-1)
  return fitting ?? (isValidPhone(phone, lastCountry) ? ERASED_PHONE : ERASED)
}

const TOMBSTONES: Readonly<
  Record<Tombstone, (value: string, countries: readonly (string | undefined)[]) => string>
> = {
  text: erasedText,
  email: erasedEmail,
  phone: erasedPhone,
}

/** The values at a dotted path (`*`: every value of a record or element of an array). */
function rewriteAt(
  value: unknown,
  path: readonly string[],
  rewrite: (leaf: string) => string,
): unknown {
  const [head, ...rest] = path
  if (head === undefined) {
    return typeof value === 'string' ? rewrite(value) : value
  }
  if (Array.isArray(value)) {
    return head === '*' ? value.map((item: unknown) => rewriteAt(item, rest, rewrite)) : value
  }
  if (typeof value !== 'object' || value === null) {
    return value
  }
  const record = value as Readonly<Record<string, unknown>>
  const keys = head === '*' ? Object.keys(record) : Object.hasOwn(record, head) ? [head] : []
  if (keys.length === 0) {
    return value
  }
  return {
    ...record,
    ...Object.fromEntries(keys.map((key) => [key, rewriteAt(record[key], rest, rewrite)])),
  }
}

export interface ErasedPayload {
  readonly payload: Readonly<Record<string, unknown>>
  /** The paths whose values changed (empty when the payload held nothing personal any more). */
  readonly fields: readonly string[]
}

/**
 * The payload with its personal fields erased. `countries`: the profile countries the lead has
 * had, in order (a phone number keeps its validity in them). Erasing twice changes nothing more.
 */
export function erasePayload(
  type: string,
  payload: Readonly<Record<string, unknown>>,
  countries: readonly (string | undefined)[],
): ErasedPayload {
  const personal: Readonly<Record<string, Tombstone>> =
    (PERSONAL_PAYLOAD_FIELDS as Readonly<Record<string, Readonly<Record<string, Tombstone>>>>)[
      type
    ] ?? {}
  let erased: Readonly<Record<string, unknown>> = payload
  const fields: string[] = []
  for (const [path, kind] of Object.entries(personal)) {
    const before = erased
    erased = rewriteAt(erased, path.split('.'), (leaf) =>
      TOMBSTONES[kind](leaf, countries),
    ) as Readonly<Record<string, unknown>>
    if (JSON.stringify(before) !== JSON.stringify(erased)) {
      fields.push(path)
    }
  }
  return { payload: erased, fields }
}

/**
 * The countries a lead's profile had, in the order of its events (undefined before any), for
 * `erasePayload`: profile events merge into the profile, so a country stays until replaced.
 */
export function profileCountries(
  events: readonly { readonly type: string; readonly payload: unknown }[],
): (string | undefined)[] {
  const countries: (string | undefined)[] = [undefined]
  for (const event of events) {
    const country = (event.payload as { profile?: { country?: unknown } }).profile?.country
    if (typeof country === 'string' && countries.at(-1) !== country) {
      countries.push(country)
    }
  }
  return countries
}
