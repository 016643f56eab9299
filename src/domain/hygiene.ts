/**
 * L4 qualification hygiene: what is wrong with a lead's data or who it is, before it may become
 * an MQL. Domain lists come from maintained data packages; the rest is policy.
 */
import disposableDomains from 'disposable-email-domains/index.json' with { type: 'json' }
import freeEmailDomains from 'free-email-domains-list'
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js'
import roleBasedPrefixes from 'role-based-email-addresses'
import { z } from 'zod'

import type { Policy } from '../policy/policy-schema.js'
import type { LeadProfile } from './lead-events.js'

export type HygieneCode =
  | 'email-missing'
  | 'email-invalid'
  | 'email-disposable'
  | 'email-role-based'
  | 'email-free'
  | 'phone-invalid'
  | 'competitor'
  | 'student'
  | 'free-email-tiny-company'
  | 'unsupported-geography'
  | 'suppressed-domain'
  | 'existing-customer'
  | 'open-opportunity'
  | 'duplicate'

/**
 * disqualify: never an MQL (competitor, student…); route-to-account: existing customer flow;
 * block: fails an entry criterion until fixed; note: informational.
 */
export type HygieneSeverity = 'disqualify' | 'route-to-account' | 'block' | 'note'

export interface HygieneFinding {
  readonly code: HygieneCode
  readonly severity: HygieneSeverity
  readonly message: string
}

const DISPOSABLE = new Set<string>(disposableDomains)
const FREE: ReadonlySet<string> = freeEmailDomains.DOMAINS
const ROLE_BASED = new Set<string>(roleBasedPrefixes)
const emailSyntax = z.email()

export function emailDomain(email: string | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1
  return email !== undefined && at > 0 ? email.slice(at + 1).toLowerCase() : undefined
}

/** Syntactically an address with a domain, as hygiene judges it (`email-invalid` otherwise). */
export function isValidEmail(email: string): boolean {
  return emailSyntax.safeParse(email).success && emailDomain(email) !== undefined
}

/** The part before the @ names a function (info@, sales@…), not a person. */
export function isRoleBasedLocalPart(localPart: string): boolean {
  return ROLE_BASED.has(localPart.toLowerCase())
}

/** A valid number, read in the country's numbering plan when it is a supported ISO code. */
export function isValidPhone(phone: string, country: string | undefined): boolean {
  const plan = country !== undefined && isSupportedCountry(country) ? country : undefined
  return parsePhoneNumberFromString(phone, plan)?.isValid() === true
}

export interface HygieneContext {
  readonly duplicateOfLeadId: string | null
  readonly suppressedByDomain: string | null
}

export function isFreeEmailDomain(domain: string): boolean {
  return FREE.has(domain)
}

export function checkHygiene(
  policy: Policy,
  profile: LeadProfile,
  context: HygieneContext,
): HygieneFinding[] {
  const findings: HygieneFinding[] = []
  const found = (code: HygieneCode, severity: HygieneSeverity, message: string): void => {
    findings.push({ code, severity, message })
  }
  const rules = policy.hygiene
  const email = profile.email
  const domain = emailDomain(email)

  if (email === undefined || email === '') {
    found('email-missing', 'block', 'email is missing')
  } else if (!isValidEmail(email) || domain === undefined) {
    found('email-invalid', 'block', `email "${email}" is not a valid address`)
  } else {
    const local = email.slice(0, email.lastIndexOf('@')).toLowerCase()
    if (rules.rejectDisposableEmail && DISPOSABLE.has(domain)) {
      found('email-disposable', 'block', `${domain} is a disposable email provider`)
    }
    if (isRoleBasedLocalPart(local)) {
      found('email-role-based', 'block', `${local}@ is a role-based address, not a person`)
    }
    if (FREE.has(domain)) {
      found('email-free', 'note', `${domain} is a free email provider`)
      const size = profile.companySize
      if (size !== undefined && size < rules.freeEmailMinCompanySize) {
        found(
          'free-email-tiny-company',
          'disqualify',
          `free email with a company of ${size} people (under ${rules.freeEmailMinCompanySize})`,
        )
      }
    }
    if (rules.competitorDomains.includes(domain)) {
      found('competitor', 'disqualify', `${domain} is a competitor domain`)
    }
    if (rules.suppressedDomains.includes(domain)) {
      found('suppressed-domain', 'disqualify', `${domain} is on the suppression list`)
    }
    if (rules.studentDomainPatterns.some((pattern) => new RegExp(pattern, 'i').test(domain))) {
      found('student', 'disqualify', `${domain} is an academic domain`)
    }
  }
  const title = profile.title
  if (
    title !== undefined &&
    rules.studentTitlePatterns.some((pattern) => new RegExp(pattern, 'i').test(title)) &&
    !findings.some((finding) => finding.code === 'student')
  ) {
    found('student', 'disqualify', `title "${title}" is a student or academic role`)
  }
  if (profile.phone !== undefined && profile.phone !== '') {
    if (!isValidPhone(profile.phone, profile.country)) {
      found(
        'phone-invalid',
        'block',
        `phone "${profile.phone}" is not a valid number${profile.country ? ` for ${profile.country}` : ''}`,
      )
    }
  }
  if (profile.country !== undefined && !policy.territories.active.includes(profile.country)) {
    found(
      'unsupported-geography',
      'block',
      `${profile.country} is not an actively staffed territory`,
    )
  }
  if (profile.accountStatus === 'customer') {
    found('existing-customer', 'route-to-account', 'the account is an existing customer')
  }
  if (profile.accountStatus === 'open-opportunity') {
    found('open-opportunity', 'route-to-account', 'the account has an open opportunity')
  }
  if (context.suppressedByDomain !== null) {
    found(
      'suppressed-domain',
      'disqualify',
      `${context.suppressedByDomain} is on the global suppression list`,
    )
  }
  if (context.duplicateOfLeadId !== null) {
    found('duplicate', 'disqualify', `duplicate of lead ${context.duplicateOfLeadId}`)
  }
  return findings
}
