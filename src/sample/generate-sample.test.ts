import freeEmailDomains from 'free-email-domains-list'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import roleBasedPrefixes from 'role-based-email-addresses'
import { beforeAll, describe, expect, it } from 'vitest'

import { emailDomain } from '../domain/hygiene.js'
import type { LeadProfile } from '../domain/lead-events.js'
import { isLeadEventType, leadEventPayloadSchemas } from '../domain/lead-events.js'
import type { NewLeadEvent } from '../domain/recorded-event.js'
import { compareByOccurrence } from '../domain/recorded-event.js'
import { DAY, loadDefaultPolicy } from '../domain/test-support.js'
import { normaliseId } from '../domain/scoring.js'
import { generateSampleEvents, SAMPLE_SOURCE, writeSampleJsonl } from './generate-sample.js'
import type { SampleStats } from './sample-stats.js'
import { measureSample } from './sample-stats.js'
import { managerChain, SAMPLE_TEAM } from './sample-team.js'

const policy = loadDefaultPolicy()
/** Tuesday 2026-03-31 17:00 in New York. */
const END = Date.parse('2026-03-31T21:00:00Z')
const SEED = 20_261_125
const percent = (share: number): string => `${(100 * share).toFixed(1)}%`

function byLead(events: readonly NewLeadEvent[]): Map<string, NewLeadEvent[]> {
  const leads = new Map<string, NewLeadEvent[]>()
  for (const event of events) {
    leads.set(event.leadId, [...(leads.get(event.leadId) ?? []), event])
  }
  return leads
}

describe('generateSampleEvents: determinism', () => {
  const small = (seed: number) =>
    generateSampleEvents({ seed, leads: 150, days: 30, end: END, policy })

  it('gives the same events for the same seed and different events for another', () => {
    const first = small(7)
    expect(small(7)).toEqual(first)
    const other = small(8)
    expect(other).not.toEqual(first)
    expect(writeSampleJsonl(other)).not.toBe(writeSampleJsonl(first))
  })

  it('makes nothing for no leads', () => {
    expect(generateSampleEvents({ seed: 1, leads: 0, days: 90, end: END, policy })).toEqual([])
    expect(writeSampleJsonl([])).toBe('')
  })

  it('follows the policy it is given: the seed-002 R1–R8 codes, still no refusals', () => {
    const alternative = { ...policy, rejection: { ...policy.rejection, sal: 'r-codes' } }
    const events = generateSampleEvents({
      seed: 3,
      leads: 400,
      days: 90,
      end: END,
      policy: alternative,
    })
    const stats = measureSample(events, alternative)
    expect(stats.refusals).toEqual([])
    expect(Object.keys(stats.salRejections).every((code) => /^R\d$/.test(code))).toBe(true)
    expect(Object.keys(stats.salRejections).length).toBeGreaterThan(0)
  })
})

describe('generateSampleEvents: the default sample (2,000 leads over 90 days)', () => {
  let events: NewLeadEvent[]
  let stats: SampleStats
  let leads: Map<string, NewLeadEvent[]>

  beforeAll(() => {
    const started = performance.now()
    events = generateSampleEvents({ seed: SEED, leads: 2000, days: 90, end: END, policy })
    const generatedIn = performance.now() - started
    stats = measureSample(events, policy)
    leads = byLead(events)
    const rejections = (tally: Readonly<Record<string, number>>) =>
      Object.entries(tally)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')
    console.log(
      [
        `sample: ${stats.leads} leads, ${stats.events} events, generated in ${Math.round(generatedIn)} ms`,
        `  reached MQL ${stats.reached.mql} (${percent(stats.conversion.mql)} of leads)`,
        `  reached SAL ${stats.reached.sal} (${percent(stats.conversion.salOfMql)} of MQLs)`,
        `  reached SQL ${stats.reached.sql} (${percent(stats.conversion.sqlOfSal)} of SALs)`,
        `  reached opportunity ${stats.reached.opportunity} (${percent(stats.conversion.opportunityOfSql)} of SQLs); closed won ${stats.reached.closedWon}, lost ${stats.reached.closedLost}`,
        `  recycled ${stats.recycled}, disqualified ${stats.disqualified}, duplicates ${stats.duplicates}`,
        `  SAL rejections: ${rejections(stats.salRejections)}`,
        `  AE rejections: ${rejections(stats.aeRejections)}`,
        `  SDRs ${stats.sdrs.length} (${stats.sdrs.join(', ')}), AEs ${stats.aes.length} (${stats.aes.join(', ')})`,
        `  after hours ${percent(stats.afterHoursShare)}, Tier 1 first attempt within 5 business minutes ${percent(stats.tier1Within5BusinessMinutes)}, late-logged activities ${stats.lateLogged}`,
        `  stages now: ${JSON.stringify(stats.stages)}`,
      ].join('\n'),
    )
  })

  it('creates the leads asked for, ids in creation order, over the 90 days before the end', () => {
    const created = events.filter((event) => event.type === 'lead.created')
    expect(created).toHaveLength(2000)
    expect(stats.leads).toBe(2000)
    expect(created.map((event) => event.leadId)).toEqual(
      Array.from({ length: 2000 }, (_, i) => `lead_${String(i + 1).padStart(4, '0')}`),
    )
    expect(Math.min(...created.map((event) => event.occurredAt))).toBeGreaterThanOrEqual(
      END - 90 * DAY,
    )
  })

  it('dates nothing after the end, and returns the events in occurrence order', () => {
    expect(events.every((event) => event.occurredAt <= END && event.receivedAt <= END)).toBe(true)
    expect(
      events.every((event, i) => i === 0 || compareByOccurrence(events[i - 1]!, event) <= 0),
    ).toBe(true)
  })

  it('gives every event a valid payload, the sample source and deterministic keys', () => {
    for (const event of events) {
      expect(isLeadEventType(event.type), event.type).toBe(true)
      if (isLeadEventType(event.type)) {
        const parsed = leadEventPayloadSchemas[event.type].safeParse(event.payload)
        expect(parsed.success, `${event.idempotencyKey} ${event.type}`).toBe(true)
      }
      expect(event.source).toBe(SAMPLE_SOURCE)
      expect(event.receivedAt).toBeGreaterThanOrEqual(event.occurredAt)
      if (event.receivedAt !== event.occurredAt) {
        expect(event.type).toBe('activity.logged')
      }
    }
    for (const [leadId, leadEvents] of leads) {
      expect(leadEvents.map((event) => event.idempotencyKey)).toEqual(
        leadEvents.map((_, i) => `sample:${leadId}:${i + 1}`),
      )
    }
  })

  it('names only people of the sample team as actors, and who did what fits their role', () => {
    const roles = new Map(SAMPLE_TEAM.map((person) => [person.id, person.role]))
    for (const event of events) {
      if (event.actor !== null) {
        expect(roles.get(event.actor.id), event.actor.id).toBe(event.actor.role)
      }
      if (event.type === 'sal.accepted' || event.type === 'sal.rejected') {
        expect(event.actor?.role).toBe('sdr')
      }
      if (event.type === 'ae.accepted' || event.type === 'opportunity.created') {
        expect(event.actor?.role).toBe('ae')
      }
      if (event.type === 'sql.promoted') {
        expect(roles.get(String(event.payload.aeId))).toBe('ae')
      }
    }
  })

  it('replays every lead through the engine without a refused transition', () => {
    expect(stats.refusals).toEqual([])
  })

  it('has a realistic funnel', () => {
    expect(stats.conversion.mql).toBeGreaterThanOrEqual(0.62)
    expect(stats.conversion.mql).toBeLessThanOrEqual(0.78)
    expect(stats.conversion.salOfMql).toBeGreaterThanOrEqual(0.62)
    expect(stats.conversion.salOfMql).toBeLessThanOrEqual(0.8)
    expect(stats.conversion.sqlOfSal).toBeGreaterThanOrEqual(0.18)
    expect(stats.conversion.sqlOfSal).toBeLessThanOrEqual(0.34)
    expect(stats.conversion.opportunityOfSql).toBeGreaterThanOrEqual(0.65)
    expect(stats.conversion.opportunityOfSql).toBeLessThanOrEqual(0.9)
    expect(stats.reached.closedWon).toBeGreaterThan(0)
    expect(stats.reached.closedLost).toBeGreaterThan(0)
    expect(stats.recycled).toBeGreaterThanOrEqual(200)
    expect(stats.recycled).toBeLessThanOrEqual(600)
    expect(stats.disqualified).toBeGreaterThanOrEqual(150)
    expect(stats.disqualified).toBeLessThanOrEqual(500)
    expect(stats.duplicates).toBeGreaterThanOrEqual(20)
    expect(stats.duplicates).toBeLessThanOrEqual(90)
  })

  it('rejects with taxonomy codes in a realistic mix', () => {
    const sal = Object.entries(stats.salRejections)
    expect(sal.every(([code]) => code.startsWith('REJ-'))).toBe(true)
    expect(sal.length).toBeGreaterThanOrEqual(6)
    const salTotal = sal.reduce((sum, [, n]) => sum + n, 0)
    expect(salTotal).toBeGreaterThanOrEqual(150)
    expect(salTotal).toBeLessThanOrEqual(400)
    // Below ICP and wrong persona are the usual reasons; competitors are rare.
    expect(stats.salRejections['REJ-02'] ?? 0).toBeGreaterThan(stats.salRejections['REJ-06'] ?? 0)
    const ae = Object.entries(stats.aeRejections)
    expect(ae.every(([code]) => code.startsWith('AE-REJ-'))).toBe(true)
    const aeTotal = ae.reduce((sum, [, n]) => sum + n, 0)
    expect(aeTotal).toBeGreaterThanOrEqual(10)
    expect(aeTotal).toBeLessThanOrEqual(80)
  })

  it('spreads the work over the whole team and keeps SLA compliance realistic', () => {
    expect(stats.sdrs).toHaveLength(6)
    expect(stats.aes).toHaveLength(4)
    expect(stats.afterHoursShare).toBeGreaterThanOrEqual(0.15)
    expect(stats.afterHoursShare).toBeLessThanOrEqual(0.25)
    expect(stats.tier1Within5BusinessMinutes).toBeGreaterThanOrEqual(0.55)
    expect(stats.tier1Within5BusinessMinutes).toBeLessThanOrEqual(0.85)
    expect(stats.lateLogged).toBeGreaterThan(0)
    expect(stats.stages.mql ?? 0).toBeGreaterThan(0) // a few never worked
  })

  it('draws believable prospects: sources, countries, phones, emails, industries, titles', () => {
    const created = events.filter((event) => event.type === 'lead.created')
    const profiles = created.map((event) => {
      const enriched = leads.get(event.leadId)?.find((e) => e.type === 'lead.enriched')
      return {
        ...(event.payload.profile as LeadProfile),
        ...(enriched?.payload.profile as LeadProfile | undefined),
      }
    })
    expect(Object.keys(stats.sources).sort()).toEqual(
      [
        'contact-sales',
        'content',
        'demo-request',
        'event',
        'free-trial',
        'organic',
        'paid-social',
        'pricing-form',
        'webinar',
      ].sort(),
    )
    for (const country of ['US', 'CA', 'GB', 'DE', 'IN', 'AU', 'BR']) {
      expect(stats.countries[country] ?? 0, country).toBeGreaterThan(0)
    }
    const phones = profiles.flatMap((profile) =>
      profile.phone === undefined ? [] : [{ phone: profile.phone, country: profile.country }],
    )
    const valid = phones.filter(
      ({ phone }) => parsePhoneNumberFromString(phone)?.isValid() === true,
    )
    expect(valid.length / phones.length).toBeGreaterThanOrEqual(0.95)
    expect(valid.length).toBeLessThan(phones.length) // a few junk numbers on purpose
    expect(
      valid.every(({ phone, country }) => parsePhoneNumberFromString(phone)?.country === country),
    ).toBe(true)

    const domains = profiles.map((profile) => emailDomain(profile.email) ?? '')
    const locals = profiles.map((profile) => profile.email?.split('@')[0] ?? '')
    const roleBased = new Set(roleBasedPrefixes)
    const free = domains.filter((domain) => freeEmailDomains.DOMAINS.has(domain)).length
    expect(free / profiles.length).toBeGreaterThan(0.03)
    expect(free / profiles.length).toBeLessThan(0.12)
    expect(locals.filter((local) => roleBased.has(local)).length).toBeGreaterThanOrEqual(5)
    expect(
      domains.filter((domain) => policy.hygiene.competitorDomains.includes(domain)).length,
    ).toBeGreaterThanOrEqual(3)
    expect(
      domains.filter((domain) => /\.edu$|\.ac\.uk$|\.edu\.au$/.test(domain)).length,
    ).toBeGreaterThanOrEqual(5)
    expect(profiles.filter((p) => p.accountStatus === 'customer').length).toBeGreaterThanOrEqual(10)

    const icp = profiles.filter(
      (p) => p.industry !== undefined && policy.icp.industries.includes(normaliseId(p.industry)),
    )
    expect(icp.length / profiles.length).toBeGreaterThan(0.75)
    expect(icp.length).toBeLessThan(profiles.length)
    const titles = profiles.map((profile) => profile.title ?? '')
    for (const pattern of [/\bVP\b/, /Director/, /Head of/, /Manager/, /Analyst/, /Student/]) {
      expect(
        titles.some((title) => pattern.test(title)),
        String(pattern),
      ).toBe(true)
    }
  })

  it('marks a second form fill by the same person as a duplicate of the earlier lead', () => {
    const emails = new Map<string, { leadId: string; at: number }>()
    const duplicates = events.filter((event) => event.type === 'lead.matched')
    for (const event of events) {
      if (event.type === 'lead.created') {
        const email = (event.payload.profile as LeadProfile).email ?? ''
        if (!emails.has(email)) {
          emails.set(email, { leadId: event.leadId, at: event.occurredAt })
        }
      }
    }
    expect(duplicates.length).toBe(stats.duplicates)
    for (const match of duplicates) {
      const own = leads.get(match.leadId)?.[0]
      expect(own?.type).toBe('lead.created')
      const email = (own?.payload.profile as LeadProfile).email ?? ''
      const original = emails.get(email)
      expect(original?.leadId).toBe(match.payload.duplicateOfLeadId)
      expect(original?.at ?? Infinity).toBeLessThan(match.occurredAt)
    }
  })
})

describe('SAMPLE_TEAM', () => {
  it('has 6 SDRs, 4 AEs and the manager chain above them', () => {
    const count = (role: string) => SAMPLE_TEAM.filter((person) => person.role === role).length
    expect(count('sdr')).toBe(6)
    expect(count('ae')).toBe(4)
    for (const role of ['sdr-manager', 'ae-manager', 'vp-sales', 'vp-marketing', 'revops']) {
      expect(count(role), role).toBe(1)
    }
    const ids = new Set(SAMPLE_TEAM.map((person) => person.id))
    expect(ids.size).toBe(SAMPLE_TEAM.length)
    for (const person of SAMPLE_TEAM) {
      if (person.managerId !== null) {
        expect(ids.has(person.managerId), person.id).toBe(true)
      }
      expect(Object.keys(policy.calendars)).toContain(person.calendar)
    }
    expect(managerChain('sdr-ana-lopez').map((person) => person.role)).toEqual([
      'sdr-manager',
      'vp-sales',
    ])
    expect(managerChain('ae-omar-haddad').map((person) => person.role)).toEqual([
      'ae-manager',
      'vp-sales',
    ])
  })
})

describe('writeSampleJsonl', () => {
  it('writes one JSON event per line, without an actor for system events', () => {
    const events = generateSampleEvents({ seed: 11, leads: 40, days: 14, end: END, policy })
    const text = writeSampleJsonl(events)
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.slice(0, -1).split('\n')
    expect(lines).toHaveLength(events.length)
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line) as Record<string, unknown>
      expect({ actor: null, ...parsed }).toEqual(events[i])
      expect(Object.hasOwn(parsed, 'actor')).toBe(events[i]?.actor !== null)
    })
  })
})
