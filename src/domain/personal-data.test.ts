import { describe, expect, it } from 'vitest'
import { z } from 'zod'

import { checkHygiene } from './hygiene.js'
import type { LeadEventType, LeadProfile } from './lead-events.js'
import { leadEventPayloadSchemas } from './lead-events.js'
import { replayLead } from './lifecycle/engine.js'
import {
  ERASED,
  ERASED_PHONE,
  erasePayload,
  PERSONAL_PAYLOAD_FIELDS,
  profileCountries,
} from './personal-data.js'
import type { NewLeadEvent } from './recorded-event.js'
import {
  DAY,
  IDEAL_PROFILE,
  leadEvent,
  loadDefaultPolicy,
  REFERENCE_TIMESTAMP as T0,
  sqlEvents,
} from './test-support.js'

const policy = loadDefaultPolicy()
const US = [undefined, 'US']

function erasedProfile(profile: LeadProfile, countries = US): LeadProfile {
  return erasePayload('lead.created', { profile, source: 'web' }, countries).payload
    .profile as LeadProfile
}

describe('erasePayload', () => {
  it('erases the personal profile fields, names them, and keeps the rest', () => {
    const erased = erasePayload(
      'lead.created',
      { profile: { ...IDEAL_PROFILE, linkedinUrl: 'https://linkedin.com/in/dana' }, source: 'web' },
      US,
    )
    expect(erased.payload).toEqual({
      profile: {
        firstName: ERASED,
        lastName: ERASED,
        email: 'erased@acmesoft.com',
        phone: ERASED_PHONE,
        title: 'VP Marketing',
        company: ERASED,
        companySize: 200,
        industry: 'Software',
        country: 'US',
        linkedinUrl: ERASED,
      },
      source: 'web',
    })
    expect(erased.fields).toEqual([
      'profile.firstName',
      'profile.lastName',
      'profile.email',
      'profile.phone',
      'profile.company',
      'profile.linkedinUrl',
    ])
    expect(leadEventPayloadSchemas['lead.created'].safeParse(erased.payload).success).toBe(true)
  })

  it('changes nothing the second time', () => {
    const once = erasePayload('lead.created', { profile: IDEAL_PROFILE, source: 'web' }, US)
    const twice = erasePayload('lead.created', once.payload, US)
    expect(twice).toEqual({ payload: once.payload, fields: [] })
  })

  it('erases free text, every MEDDPIC answer and attendee, and keeps blank text blank', () => {
    expect(
      erasePayload(
        'sql.promoted',
        {
          aeId: 'ae-omar',
          qualification: { painStatement: 'Dana said…', timeline: ' ', meddpic: { m: 'x', e: '' } },
        },
        US,
      ),
    ).toEqual({
      payload: {
        aeId: 'ae-omar',
        qualification: { painStatement: ERASED, timeline: ' ', meddpic: { m: ERASED, e: '' } },
      },
      fields: ['qualification.painStatement', 'qualification.meddpic.*'],
    })
    expect(
      erasePayload(
        'meeting.booked',
        { meetingAt: T0, attendees: ['Dana Reyes (VP)', 'Lee Park'] },
        US,
      ).payload,
    ).toEqual({ meetingAt: T0, attendees: [ERASED, ERASED] })
  })

  it('leaves event types without personal fields as they are', () => {
    const payload = { ownerId: 'sdr-ana', reason: 'round robin' }
    expect(PERSONAL_PAYLOAD_FIELDS['owner.assigned']).toBeUndefined()
    expect(erasePayload('owner.assigned', payload, US)).toEqual({ payload, fields: [] })
  })

  it.each([
    ['a person at a company', 'dana.reyes@acmesoft.com', 'erased@acmesoft.com'],
    ['a role-based address', 'Sales@acmesoft.com', 'info@acmesoft.com'],
    ['an invalid address', 'dana at acmesoft', ERASED],
    ['a free provider', 'dana@gmail.com', 'erased@gmail.com'],
    ['an academic domain', 'dana@cs.stanford.edu', 'erased@cs.stanford.edu'],
    ['a disposable provider', 'dana@mailinator.com', 'erased@mailinator.com'],
    ['an empty address', '', ''],
  ])('keeps what hygiene finds in %s', (_case, email, tombstone) => {
    const profile = { ...IDEAL_PROFILE, email, companySize: 5 }
    const erased = erasedProfile(profile)
    expect(erased.email).toBe(tombstone)
    const codes = (p: LeadProfile) =>
      checkHygiene(policy, p, { duplicateOfLeadId: null, suppressedByDomain: null }).map(
        (finding) => `${finding.code}/${finding.severity}`,
      )
    expect(codes(erased)).toEqual(codes(profile))
  })

  it.each([
    ['valid everywhere (E.164)', '+1 212 555 0142', [undefined, 'US'], ERASED_PHONE],
    ['valid nowhere', '12', [undefined, 'US'], ERASED],
    ['valid in its own country only', '(212) 555-0142', [undefined, 'US'], '(201) 555-0123'],
    // Read in Germany's plan these digits are a German number: Germany's example replaces it.
    [
      'valid in its own country, judged in Germany',
      '(212) 555-0142',
      [undefined, 'DE'],
      '01512 3456789',
    ],
  ])('keeps a phone number %s as valid as it was', (_case, phone, countries, tombstone) => {
    expect(erasedProfile({ ...IDEAL_PROFILE, phone }, countries).phone).toBe(tombstone)
  })
})

/** The schema at a dotted path of a payload schema (`*`: a record's values, an array's items). */
function schemaAt(schema: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  const [head, ...rest] = path
  const inner =
    schema instanceof z.ZodOptional || schema instanceof z.ZodNullable
      ? (schema.unwrap() as z.ZodType)
      : schema
  if (head === undefined) {
    return inner
  }
  if (inner instanceof z.ZodObject) {
    const field = (inner.shape as Record<string, z.ZodType | undefined>)[head]
    return field && schemaAt(field, rest)
  }
  if (head === '*' && inner instanceof z.ZodRecord) {
    return schemaAt(inner.valueType as z.ZodType, rest)
  }
  if (head === '*' && inner instanceof z.ZodArray) {
    return schemaAt(inner.element as z.ZodType, rest)
  }
  return undefined
}

describe('PERSONAL_PAYLOAD_FIELDS', () => {
  it('names text fields of the payload schemas, every one', () => {
    const wrong = Object.entries(PERSONAL_PAYLOAD_FIELDS).flatMap(([type, fields]) =>
      Object.keys(fields).flatMap((path) =>
        schemaAt(leadEventPayloadSchemas[type as LeadEventType], path.split('.')) instanceof
        z.ZodString
          ? []
          : [`${type} ${path}`],
      ),
    )
    expect(wrong).toEqual([])
  })
})

describe('profileCountries', () => {
  it('lists the countries a profile had, in event order, after none', () => {
    expect(
      profileCountries([
        { type: 'lead.created', payload: { profile: { firstName: 'Dana' } } },
        { type: 'lead.enriched', payload: { profile: { country: 'US' } } },
        { type: 'intent.recorded', payload: { action: 'demo-request' } },
        { type: 'lead.updated', payload: { profile: { country: 'DE' } } },
      ]),
    ).toEqual([undefined, 'US', 'DE'])
  })
})

/** What reports and clocks read of a lead: everything but the erased text itself. */
function reportedFacts(events: readonly NewLeadEvent[]) {
  const state = replayLead(events, policy).state
  if (state === undefined) {
    throw new Error('no lead')
  }
  return {
    stage: state.stage,
    stageEnteredAt: state.stageEnteredAt,
    score: state.score?.total,
    tier: state.tier,
    ownerId: state.ownerId,
    aeId: state.aeId,
    hygiene: state.hygiene.map((finding) => finding.code),
    criteria: state.criteria.map((criterion) => [criterion.id, criterion.met]),
    transitions: state.transitions.map(({ from, to, at }) => [from, to, at]),
    handoffCompletedAt: state.handoffCompletedAt,
    aeRejections: state.aeRejections,
    tasks: state.tasks.map((task) => [task.id, task.completion?.at ?? null]),
    refusals: state.refusals.map((refusal) => refusal.rule),
  }
}

describe('a replay of an erased history', () => {
  it('derives the same stages, score, clocks and rejections', () => {
    const history: NewLeadEvent[] = [
      ...sqlEvents('lead-1', T0),
      leadEvent(
        'lead-1',
        'ae.rejected',
        { reasonCode: 'AE-01', note: 'Dana is not the buyer' },
        T0 + 2 * DAY,
        { actor: 'ae-omar' },
      ),
    ]
    const countries = profileCountries(history)
    const erased = history.map((event) => ({
      ...event,
      payload: erasePayload(event.type, event.payload, countries).payload,
    }))
    expect(JSON.stringify(erased)).not.toContain('Dana')
    expect(reportedFacts(erased)).toEqual(reportedFacts(history))
  })
})
