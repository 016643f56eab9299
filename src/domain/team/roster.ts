/**
 * The revenue team as data: who exists, who reports to whom, which countries, segments and product
 * lines each rep covers, their working calendar, daily capacity and out-of-office periods, plus
 * the named (ABM) accounts and their owners. Roster text → validated, frozen Roster, or problems
 * that name the path (and line/column) of each mistake. Pure: the caller reads the file.
 */
import { z } from 'zod'

import { instantOfLocalTime, parseLocalDate } from '../../calendar/civil-time.js'
import type { LocatedProblem, UnlocatedProblem } from '../../policy/yaml-document.js'
import { formatLocatedProblem, parseValidatedYaml } from '../../policy/yaml-document.js'
import type { Policy } from '../../policy/policy-schema.js'

export const PERSON_ROLES = [
  'sdr',
  'ae',
  'sdr-manager',
  'ae-manager',
  'vp-sales',
  'vp-marketing',
  'cro',
  'revops',
  'cs',
  'marketing-ops',
] as const
export type PersonRole = (typeof PERSON_ROLES)[number]

/** One end of an out-of-office period: a whole local day, or an exact instant. */
export type OutOfOfficeBound =
  | { readonly kind: 'date'; readonly epochDay: number; readonly text: string }
  | { readonly kind: 'instant'; readonly at: number; readonly text: string }

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/

const oooBound = z.string().transform((text, ctx): OutOfOfficeBound => {
  const epochDay = parseLocalDate(text)
  if (epochDay !== undefined) {
    return { kind: 'date', epochDay, text }
  }
  const at = INSTANT.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(at)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is neither a date YYYY-MM-DD nor an instant such as 2026-03-02T09:00:00Z`,
    })
    return z.NEVER
  }
  return { kind: 'instant', at, text }
})

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id such as "sdr-ana-lopez"')
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
const label = z.string().trim().min(1, 'must not be empty')

const personSchema = z.strictObject({
  id,
  name: label,
  email: z.email('must be an email address'),
  role: z.enum(PERSON_ROLES),
  /** Who this person reports to; null (or absent) at the top of the chain. */
  managerId: id.nullable().default(null),
  countries: z.array(country).default([]),
  /** When listed, the rep only takes leads of these segments. */
  segments: z.array(label).min(1).optional(),
  /** When listed, the rep only takes leads interested in one of these product lines. */
  productLines: z.array(label).min(1).optional(),
  calendarId: id,
  /** An SDR in an AE's pod: the AE they prospect for (the "AE-assigned SDR" of seed 002). */
  aeId: id.optional(),
  /** MQLs per day; absent = the policy's routing.capacityPerRepPerDay. */
  capacityPerDay: z.number().int().min(0).optional(),
  /** Date bounds are whole local days in the person's calendar; `to` is inclusive. */
  outOfOffice: z.array(z.strictObject({ from: oooBound, to: oooBound })).default([]),
  active: z.boolean().default(true),
})

const namedAccountSchema = z.strictObject({
  domain: z
    .string()
    .regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, 'must be a lower-case domain such as "acme.com"'),
  ownerId: id,
  backupOwnerId: id,
})

export const rosterSchema = z.strictObject({
  people: z.array(personSchema).min(1),
  namedAccounts: z.array(namedAccountSchema).default([]),
})

export type Person = z.output<typeof personSchema>
export type NamedAccount = z.output<typeof namedAccountSchema>
export type Roster = z.output<typeof rosterSchema>
export type RosterProblem = LocatedProblem

export type ParseRosterResult =
  | { readonly ok: true; readonly roster: Roster }
  | { readonly ok: false; readonly problems: readonly RosterProblem[] }

/**
 * Parses and checks a roster. With `policy`, calendar ids must name policy calendars. Checks
 * beyond the shape: unique ids and domains, managers and account owners exist, no reporting
 * cycles, out-of-office periods that end after they start.
 */
export function parseRoster(text: string, file: string, policy?: Policy): ParseRosterResult {
  const result = parseValidatedYaml(text, file, rosterSchema, (roster) =>
    checkRoster(roster, policy),
  )
  return result.ok ? { ok: true, roster: result.value } : result
}

export const formatRosterProblem = formatLocatedProblem

function checkRoster(roster: Roster, policy: Policy | undefined): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = []
  const ids = new Set<string>()
  roster.people.forEach((person, i) => {
    if (ids.has(person.id)) {
      problems.push({ path: ['people', i, 'id'], message: `duplicate person id "${person.id}"` })
    }
    ids.add(person.id)
  })
  roster.people.forEach((person, i) => {
    if (person.managerId !== null && !ids.has(person.managerId)) {
      problems.push({
        path: ['people', i, 'managerId'],
        message: `no person "${person.managerId}" in the roster`,
      })
    }
    if (person.aeId !== undefined) {
      const ae = findPerson(roster, person.aeId)
      if (person.role !== 'sdr' || ae?.role !== 'ae') {
        problems.push({
          path: ['people', i, 'aeId'],
          message:
            person.role !== 'sdr'
              ? `only an SDR has an AE; ${person.id} is ${person.role}`
              : `"${person.aeId}" is not an AE in the roster`,
        })
      }
    }
    if (policy && !Object.hasOwn(policy.calendars, person.calendarId)) {
      problems.push({
        path: ['people', i, 'calendarId'],
        message: `"${person.calendarId}" is not a policy calendar; allowed: ${Object.keys(policy.calendars).join(', ')}`,
      })
    }
    person.outOfOffice.forEach((period, j) => {
      if (periodEndUpperBound(period.to) < periodStartLowerBound(period.from)) {
        problems.push({
          path: ['people', i, 'outOfOffice', j, 'to'],
          message: `ends (${period.to.text}) before it starts (${period.from.text})`,
        })
      }
    })
  })
  const reported = new Set<string>()
  roster.people.forEach((person, i) => {
    const cycle = reportingCycle(roster, person.id)
    if (cycle && !cycle.some((member) => reported.has(member))) {
      cycle.forEach((member) => reported.add(member))
      problems.push({
        path: ['people', i, 'managerId'],
        message: `reporting cycle: ${[...cycle, cycle[0]].join(' → ')}`,
      })
    }
  })
  const domains = new Set<string>()
  roster.namedAccounts.forEach((account, i) => {
    if (domains.has(account.domain)) {
      problems.push({
        path: ['namedAccounts', i, 'domain'],
        message: `duplicate domain "${account.domain}"`,
      })
    }
    domains.add(account.domain)
    for (const key of ['ownerId', 'backupOwnerId'] as const) {
      if (!ids.has(account[key])) {
        problems.push({
          path: ['namedAccounts', i, key],
          message: `no person "${account[key]}" in the roster`,
        })
      }
    }
    if (account.ownerId === account.backupOwnerId) {
      problems.push({
        path: ['namedAccounts', i, 'backupOwnerId'],
        message: 'the backup owner must differ from the owner',
      })
    }
  })
  return problems
}

/** The cycle `id` sits on (ids in reporting order), or undefined. */
function reportingCycle(roster: Roster, personId: string): string[] | undefined {
  const seen: string[] = []
  let current: string | null = personId
  while (current !== null) {
    const at = seen.indexOf(current)
    if (at >= 0) {
      return at === 0 ? seen : undefined
    }
    seen.push(current)
    current = findPerson(roster, current)?.managerId ?? null
  }
  return undefined
}

// Coarse bounds for the parse-time check (any time zone is within ±14 h of UTC).
const DAY_MS = 86_400_000
function periodStartLowerBound(bound: OutOfOfficeBound): number {
  return bound.kind === 'instant' ? bound.at : bound.epochDay * DAY_MS - 14 * 3_600_000
}
function periodEndUpperBound(bound: OutOfOfficeBound): number {
  return bound.kind === 'instant' ? bound.at : (bound.epochDay + 1) * DAY_MS + 14 * 3_600_000
}

export function findPerson(roster: Roster, personId: string): Person | undefined {
  return roster.people.find((person) => person.id === personId)
}

/** The people above `personId`, nearest first (empty for an unknown id or the top of a chain). */
export function managerChain(roster: Roster, personId: string): Person[] {
  const chain: Person[] = []
  let current = findPerson(roster, personId)
  while (current?.managerId) {
    const manager = findPerson(roster, current.managerId)
    if (!manager || manager.id === personId || chain.includes(manager)) {
      break
    }
    chain.push(manager)
    current = manager
  }
  return chain
}

export function capacityOf(person: Person, policy: Policy): number {
  return person.capacityPerDay ?? policy.routing.capacityPerRepPerDay
}

/**
 * Whether `person` is out of office at instant `at`. Date bounds are whole days in `timeZone`
 * (the person's calendar): from the start of the `from` day to the end of the `to` day.
 */
export function isOutOfOffice(person: Person, at: number, timeZone: string): boolean {
  return outOfOfficeAt(person, at, timeZone) !== undefined
}

/** The out-of-office period of `person` in force at `at` (bounds as `isOutOfOffice` reads them). */
export function outOfOfficeAt(
  person: Person,
  at: number,
  timeZone: string,
): Person['outOfOffice'][number] | undefined {
  return person.outOfOffice.find(({ from, to }) => {
    // Cheap rejection first: a local day lies within ±14 h of the UTC day.
    if (at < periodStartLowerBound(from) || at >= periodEndUpperBound(to)) {
      return false
    }
    const start = from.kind === 'instant' ? from.at : instantOfLocalTime(timeZone, from.epochDay, 0)
    const end = to.kind === 'instant' ? to.at : instantOfLocalTime(timeZone, to.epochDay + 1, 0)
    return at >= start && at < end
  })
}
