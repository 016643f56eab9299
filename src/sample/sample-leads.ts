/**
 * Who the sample's leads are and when they arrive: the draft of each lead (kind, country, source,
 * creation time) and the prospect behind it (profile on the form, what enrichment adds).
 */
import type { LeadProfile } from '../domain/lead-events.js'
import type { Policy } from '../policy/policy-schema.js'
import type { CalendarLookup } from './prospect-calendar.js'
import type { Random } from './random.js'
import type { CountrySpec, SampleCompany } from './sample-profiles.js'
import {
  acvEstimate,
  asciiSlug,
  companyNameAndDomain,
  companySize,
  COUNTRIES,
  ECONOMIC_BUYER_TITLES,
  emailLocalPart,
  FREE_EMAIL_DOMAINS,
  INFLUENCER_TITLES,
  industryName,
  INVALID_PHONES,
  OTHER_INDUSTRY_IDS,
  OTHER_TITLES,
  personName,
  phoneNumber,
  pickCountry,
  PRODUCT_INTERESTS,
  ROLE_LOCAL_PARTS,
  segmentOf,
  STUDENT_TITLES,
  UNIVERSITIES,
} from './sample-profiles.js'
import type { SamplePerson, SampleRegion } from './sample-team.js'
import { teamOf } from './sample-team.js'

const DAY = 86_400_000

/** Where a lead came from (lead.created `source`) and the intent action it arrived with. */
export interface SourceSpec {
  readonly id: string
  readonly weight: number
  /** The action recorded with the form, by weight; null: arrived without one. */
  readonly firstActions: readonly (readonly [string | null, number])[]
}

export const SOURCES: readonly SourceSpec[] = [
  { id: 'demo-request', weight: 24, firstActions: [['demo-request', 1]] },
  { id: 'contact-sales', weight: 11, firstActions: [['contact-sales', 1]] },
  { id: 'pricing-form', weight: 10, firstActions: [['pricing-form', 1]] },
  { id: 'free-trial', weight: 15, firstActions: [['free-trial', 1]] },
  { id: 'webinar', weight: 11, firstActions: [['webinar-live', 1]] },
  {
    id: 'content',
    weight: 11,
    firstActions: [
      ['case-study-download', 40],
      ['whitepaper-download', 60],
    ],
  },
  {
    id: 'event',
    weight: 5,
    firstActions: [
      ['demo-request', 35],
      [null, 65],
    ],
  },
  {
    id: 'paid-social',
    weight: 6,
    firstActions: [
      ['social-follow', 50],
      ['whitepaper-download', 50],
    ],
  },
  {
    id: 'organic',
    weight: 7,
    firstActions: [
      ['blog-visit', 45],
      ['newsletter-open', 25],
      ['competitor-comparison', 30],
    ],
  },
]

export type LeadKind = 'normal' | 'duplicate' | 'competitor' | 'student'

export interface LeadDraft {
  readonly leadId: string
  readonly kind: LeadKind
  readonly country: CountrySpec
  readonly timeZone: string
  readonly source: SourceSpec
  readonly createdAt: number
  readonly university?: (typeof UNIVERSITIES)[number]
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>()

function localWeekdayAndHour(timeZone: string, t: number): { weekend: boolean; hour: number } {
  let format = weekdayFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
    })
    weekdayFormats.set(timeZone, format)
  }
  let weekday = ''
  let hour = 0
  for (const part of format.formatToParts(t)) {
    if (part.type === 'weekday') {
      weekday = part.value
    } else if (part.type === 'hour') {
      hour = Number(part.value)
    }
  }
  return { weekend: weekday === 'Sat' || weekday === 'Sun', hour }
}

/** Share of leads created in the prospect's business hours. */
const IN_HOURS_SHARE = 0.8

/**
 * A creation instant in [start, end): in the prospect's business hours with probability 0.8,
 * otherwise evenings, nights (fewer) and weekends (fewer still).
 */
function creationTime(
  random: Random,
  calendars: CalendarLookup,
  country: CountrySpec,
  timeZone: string,
  start: number,
  end: number,
): number {
  const calendar = calendars.forProspect({ country: country.code, timeZone })
  const inHours = random.chance(IN_HOURS_SHARE)
  const draw = (): number => Math.floor(random.between(start, end) / 1000) * 1000
  for (let attempt = 0; attempt < 500; attempt++) {
    const t = draw()
    if (calendar.isOpen(t) !== inHours) {
      continue
    }
    if (!inHours) {
      const local = localWeekdayAndHour(timeZone, t)
      if (local.weekend && !random.chance(0.45)) {
        continue
      }
      if (local.hour < 7 && !random.chance(0.3)) {
        continue
      }
    }
    return t
  }
  return draw()
}

export function draftLeads(
  random: Random,
  policy: Policy,
  calendars: CalendarLookup,
  options: { readonly leads: number; readonly days: number; readonly end: number },
): LeadDraft[] {
  const start = options.end - options.days * DAY
  const hasCompetitors = policy.hygiene.competitorDomains.length > 0
  const drafts: Omit<LeadDraft, 'leadId'>[] = []
  for (let index = 0; index < options.leads; index++) {
    const kind = random.weighted<LeadKind>([
      ['normal', 955],
      ['duplicate', 25],
      ['competitor', hasCompetitors ? 8 : 0],
      ['student', 12],
    ])
    const university = kind === 'student' ? random.pick(UNIVERSITIES) : undefined
    const country =
      (university && COUNTRIES.find((spec) => spec.code === university.country)) ||
      (kind === 'competitor'
        ? random.pick(COUNTRIES.filter((spec) => spec.code === 'US' || spec.code === 'GB'))
        : pickCountry(random))
    const timeZone = random.weighted(country.timeZones)
    const source =
      kind === 'student'
        ? random.pick(SOURCES.filter((s) => ['content', 'webinar', 'free-trial'].includes(s.id)))
        : random.weighted(SOURCES.map((spec) => [spec, spec.weight] as const))
    const createdAt = creationTime(random, calendars, country, timeZone, start, options.end)
    drafts.push({
      kind,
      country,
      timeZone,
      source,
      createdAt,
      ...(university ? { university } : {}),
    })
  }
  drafts.sort((a, b) => a.createdAt - b.createdAt)
  const width = Math.max(4, String(options.leads).length)
  return drafts.map((draft, index) => ({
    ...draft,
    leadId: `lead_${String(index + 1).padStart(width, '0')}`,
  }))
}

/** The prospect behind a lead: what the form captured and what enrichment adds. */
export interface Prospect {
  readonly created: LeadProfile
  readonly enrichment: LeadProfile
  /** The SDR region that covers the prospect's country (na outside the staffed ones). */
  readonly region: SampleRegion
  /** The phone on the form is junk (the SDR will find out). */
  readonly phoneInvalid: boolean
  /** The earlier lead this one duplicates (same person filling a form again). */
  readonly duplicateOf?: string
}

interface KnownLead {
  readonly leadId: string
  readonly countryCode: string
  readonly timeZone: string
  readonly prospect: Prospect
}

/** Remembers companies, addresses and earlier leads so the sample hangs together. */
export class ProspectDirectory {
  private readonly companiesByCountry = new Map<string, SampleCompany[]>()
  private readonly domains = new Set<string>()
  private readonly emails = new Set<string>()
  private readonly known: KnownLead[] = []

  constructor(private readonly policy: Policy) {}

  prospectFor(draft: LeadDraft, random: Random): Prospect {
    let prospect: Prospect | undefined
    if (draft.kind === 'duplicate') {
      prospect = this.duplicate(draft, random)
    } else if (draft.kind === 'competitor') {
      prospect = this.competitor(draft, random)
    } else if (draft.kind === 'student' && draft.university) {
      prospect = this.student(draft, draft.university, random)
    }
    prospect ??= this.regular(draft, random)
    this.known.push({
      leadId: draft.leadId,
      countryCode: draft.country.code,
      timeZone: draft.timeZone,
      prospect,
    })
    return prospect
  }

  private regionOf(country: CountrySpec): SampleRegion {
    return country.region ?? 'na'
  }

  private company(random: Random, country: CountrySpec): SampleCompany {
    const existing = this.companiesByCountry.get(country.code) ?? []
    if (existing.length > 3 && random.chance(0.3)) {
      return random.pick(existing)
    }
    const icp = this.policy.icp.industries
    const others = OTHER_INDUSTRY_IDS.filter((id) => !icp.includes(id))
    const industry =
      random.chance(0.9) || others.length === 0 ? random.pick(icp) : random.pick(others)
    const { name, domain } = companyNameAndDomain(random, industry, country, this.domains)
    const status = random.weighted([
      [undefined, 970],
      ['customer' as const, 25],
      ['open-opportunity' as const, 5],
    ])
    const company: SampleCompany = {
      name,
      domain,
      industry,
      size: companySize(random),
      country,
      ...(status ? { accountStatus: status } : {}),
    }
    this.domains.add(domain)
    existing.push(company)
    this.companiesByCountry.set(country.code, existing)
    return company
  }

  private uniqueEmail(local: string, domain: string): string {
    let email = `${local}@${domain}`
    for (let n = 2; this.emails.has(email); n++) {
      email = `${local}${n}@${domain}`
    }
    this.emails.add(email)
    return email
  }

  private title(random: Random): string {
    const kind = random.weighted([
      ['economic-buyer', 70],
      ['influencer', 26],
      ['other', 4],
    ] as const)
    return random.pick(
      kind === 'economic-buyer'
        ? ECONOMIC_BUYER_TITLES
        : kind === 'influencer'
          ? INFLUENCER_TITLES
          : OTHER_TITLES,
    )
  }

  private accountOwner(region: SampleRegion): SamplePerson | undefined {
    return teamOf('ae', region)[0] ?? teamOf('ae', 'na')[0]
  }

  private regular(draft: LeadDraft, random: Random): Prospect {
    const { country } = draft
    const company = this.company(random, country)
    const name = personName(random, country)
    const emailKind = random.weighted([
      ['work', 915],
      ['free', 70],
      ['role', 15],
    ] as const)
    // A free address often comes with a one-person "company".
    const size = emailKind === 'free' && random.chance(0.25) ? random.int(1, 8) : company.size
    const email =
      emailKind === 'work'
        ? this.uniqueEmail(emailLocalPart(random, name.first, name.last), company.domain)
        : emailKind === 'role'
          ? this.uniqueEmail(random.pick(ROLE_LOCAL_PARTS), company.domain)
          : this.uniqueEmail(
              `${asciiSlug(name.first)}.${asciiSlug(name.last)}${random.int(1, 99)}`,
              random.pick(FREE_EMAIL_DOMAINS),
            )
    const phoneKind = random.weighted([
      ['valid', 88],
      ['invalid', 2],
      ['missing', 10],
    ] as const)
    const phone = phoneNumber(random, country)
    const region = this.regionOf(country)
    const owner = company.accountStatus ? this.accountOwner(region) : undefined
    const formHasFirmographics = random.chance(0.45)
    const created: LeadProfile = {
      firstName: name.first,
      lastName: name.last,
      email,
      ...(phoneKind === 'valid' ? { phone } : {}),
      ...(phoneKind === 'invalid' ? { phone: random.pick(INVALID_PHONES) } : {}),
      title: this.title(random),
      company: company.name,
      country: country.code,
      timeZone: draft.timeZone,
      ...(formHasFirmographics
        ? { companySize: size, industry: industryName(company.industry) }
        : {}),
      ...(random.chance(0.4)
        ? {
            productInterest: random.chance(0.7)
              ? [random.pick(PRODUCT_INTERESTS)]
              : [...new Set([random.pick(PRODUCT_INTERESTS), random.pick(PRODUCT_INTERESTS)])],
          }
        : {}),
      ...(company.accountStatus ? { accountStatus: company.accountStatus } : {}),
      ...(owner ? { accountOwnerId: owner.id } : {}),
    }
    const enrichment: LeadProfile = {
      companySize: size,
      industry: industryName(company.industry),
      segment: segmentOf(size),
      acvEstimate: acvEstimate(random, size),
      ...(random.chance(0.7)
        ? {
            linkedinUrl: `https://www.linkedin.com/in/${asciiSlug(name.first)}-${asciiSlug(name.last)}-${random.int(1000, 9999)}`,
          }
        : {}),
      ...(phoneKind === 'missing' && random.chance(0.8) ? { phone } : {}),
    }
    return { created, enrichment, region, phoneInvalid: phoneKind === 'invalid' }
  }

  private duplicate(draft: LeadDraft, random: Random): Prospect | undefined {
    const candidates = this.known.filter(
      (lead) =>
        lead.countryCode === draft.country.code &&
        lead.timeZone === draft.timeZone &&
        lead.prospect.duplicateOf === undefined &&
        lead.prospect.created.email !== undefined,
    )
    if (candidates.length === 0) {
      return undefined
    }
    const original = random.pick(candidates.slice(-200))
    return { ...original.prospect, duplicateOf: original.leadId }
  }

  private competitor(draft: LeadDraft, random: Random): Prospect {
    const domain = random.pick(this.policy.hygiene.competitorDomains)
    const name = personName(random, draft.country)
    const label = domain.split('.')[0] ?? domain
    return {
      created: {
        firstName: name.first,
        lastName: name.last,
        email: this.uniqueEmail(emailLocalPart(random, name.first, name.last), domain),
        phone: phoneNumber(random, draft.country),
        title: random.pick(['Product Marketing Manager', 'Competitive Intelligence Analyst']),
        company: label.charAt(0).toUpperCase() + label.slice(1),
        country: draft.country.code,
        timeZone: draft.timeZone,
      },
      enrichment: { companySize: random.int(80, 400), industry: 'Software', segment: 'mid-market' },
      region: this.regionOf(draft.country),
      phoneInvalid: false,
    }
  }

  private student(
    draft: LeadDraft,
    university: (typeof UNIVERSITIES)[number],
    random: Random,
  ): Prospect {
    const name = personName(random, draft.country)
    return {
      created: {
        firstName: name.first,
        lastName: name.last,
        email: this.uniqueEmail(
          `${asciiSlug(name.first)}.${asciiSlug(name.last)}`,
          university.domain,
        ),
        title: random.pick(STUDENT_TITLES),
        company: university.name,
        country: draft.country.code,
        timeZone: draft.timeZone,
      },
      enrichment: { companySize: random.int(5_000, 30_000), industry: 'Education' },
      region: this.regionOf(draft.country),
      phoneInvalid: false,
    }
  }
}
