import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { parseHubspotMapping } from './hubspot-mapping.js'
import { defaultHubspotMappingPath } from './hubspot-intake.js'
import { defaultHubspotMapping } from './test-support.js'
import type { WebhookEvent } from './webhook-events.js'
import { hubspotIdempotencyKey, translateWebhookEvent } from './webhook-events.js'

const defaultText = readFileSync(defaultHubspotMappingPath(), 'utf8')
const mapping = defaultHubspotMapping({ '41000001': 'sdr-ana-lopez' })
const T = 1772546400000

const event = (fields: Record<string, unknown>): WebhookEvent => ({
  eventId: 100201,
  subscriptionId: 234567,
  portalId: 12345678,
  appId: 987654,
  occurredAt: T,
  attemptNumber: 0,
  objectId: 65059681032,
  changeSource: 'CRM_UI',
  subscriptionType: 'contact.creation',
  ...fields,
})
const change = (propertyName: string, propertyValue: string): WebhookEvent =>
  event({ subscriptionType: 'contact.propertyChange', propertyName, propertyValue })
const envelope = (item: WebhookEvent) => ({
  idempotencyKey: hubspotIdempotencyKey(item),
  leadId: 'hubspot-contact-65059681032',
  occurredAt: T,
  source: 'hubspot',
})

describe('HubSpot webhook events under the default mapping', () => {
  it('contact.creation → lead.created with source hubspot and an empty profile', () => {
    const item = event({ subscriptionType: 'contact.creation', changeFlag: 'CREATED' })
    expect(translateWebhookEvent(item, mapping)).toEqual({
      kind: 'event',
      input: {
        ...envelope(item),
        type: 'lead.created',
        payload: { source: 'hubspot', profile: {} },
      },
    })
  })

  it('maps each listed lifecycle stage and lead status to its event', () => {
    const expected: [string, string, string, Record<string, unknown>][] = [
      ['lifecyclestage', 'marketingqualifiedlead', 'intent.recorded', { action: 'contact-sales' }],
      ['lifecyclestage', 'opportunity', 'opportunity.created', {}],
      [
        'hs_lead_status',
        'ATTEMPTED_TO_CONTACT',
        'activity.logged',
        { activityType: 'status-change', outcome: 'no-answer' },
      ],
      [
        'hs_lead_status',
        'CONNECTED',
        'activity.logged',
        { activityType: 'status-change', outcome: 'connected' },
      ],
      [
        'hs_lead_status',
        'UNQUALIFIED',
        'lead.disqualified',
        { reason: 'HubSpot lead status Unqualified' },
      ],
      ['hs_lead_status', 'BAD_TIMING', 'lead.recycled', { scenario: 'not-ready' }],
    ]
    for (const [property, value, type, payload] of expected) {
      const item = change(property, value)
      expect(translateWebhookEvent(item, mapping)).toEqual({
        kind: 'event',
        input: { ...envelope(item), type, payload },
      })
    }
  })

  it('a mapped owner → owner.assigned to the roster person; an unmapped one is refused, a removed one ignored', () => {
    const mapped = change('hubspot_owner_id', '41000001')
    expect(translateWebhookEvent(mapped, mapping)).toEqual({
      kind: 'event',
      input: {
        ...envelope(mapped),
        type: 'owner.assigned',
        payload: { ownerId: 'sdr-ana-lopez', reason: 'HubSpot contact owner 41000001' },
      },
    })
    expect(translateWebhookEvent(change('hubspot_owner_id', '49999999'), mapping)).toEqual({
      kind: 'refused',
      rule: 'unmapped-owner',
      reason: 'HubSpot owner 49999999 is not in the owner mapping; add it to owners',
    })
    expect(translateWebhookEvent(change('hubspot_owner_id', ''), mapping)).toEqual({
      kind: 'ignored',
      reason: 'the contact owner was removed; Leadclock keeps the last owner',
    })
  })

  it('ignores values, properties and subscription types the mapping does not list', () => {
    expect(translateWebhookEvent(change('hs_lead_status', 'NEW'), mapping)).toEqual({
      kind: 'ignored',
      reason: 'hs_lead_status = NEW is not mapped',
    })
    expect(translateWebhookEvent(change('firstname', 'Dana'), mapping)).toEqual({
      kind: 'ignored',
      reason: 'firstname = Dana is not mapped',
    })
    expect(
      translateWebhookEvent(
        event({ subscriptionType: 'deal.creation', objectId: 18223344556 }),
        mapping,
      ),
    ).toEqual({ kind: 'ignored', reason: 'deal.creation is not mapped' })
  })

  it('refuses an item that is not a HubSpot webhook event, naming the field', () => {
    expect(translateWebhookEvent({ subscriptionType: 'contact.creation' }, mapping)).toMatchObject({
      kind: 'refused',
      rule: 'hubspot-webhook-event',
    })
    expect(translateWebhookEvent('hello', mapping)).toMatchObject({
      kind: 'refused',
      rule: 'hubspot-webhook-event',
    })
    expect(
      translateWebhookEvent(
        event({ subscriptionType: 'contact.creation', objectId: '65059681032' }),
        mapping,
      ),
    ).toEqual({
      kind: 'refused',
      rule: 'hubspot-webhook-event',
      reason:
        'not a HubSpot webhook event: objectId Invalid input: expected number, received string',
    })
  })

  it('keys an event by its facts, not by its eventId (which HubSpot says is not unique)', () => {
    const item = change('hs_lead_status', 'CONNECTED')
    expect(hubspotIdempotencyKey(item)).toBe(
      hubspotIdempotencyKey({ ...item, eventId: 999, attemptNumber: 3 }),
    )
    expect(hubspotIdempotencyKey(item)).toMatch(
      /^contact\.propertyChange:65059681032:[0-9a-f]{32}$/,
    )
    for (const other of [
      { occurredAt: T + 1 },
      { propertyValue: 'NEW' },
      { objectId: 1 },
      { portalId: 1 },
    ]) {
      expect(hubspotIdempotencyKey({ ...item, ...other })).not.toBe(hubspotIdempotencyKey(item))
    }
  })
})

describe('the HubSpot mapping file', () => {
  it('refuses an unknown event type, a payload its type does not take and an event an integration may not post, located', () => {
    const text = [
      'contactCreation: { source: hubspot }',
      'propertyChanges:',
      '  hs_lead_status:',
      '    CONNECTED: { type: call.made }',
      '    BAD_TIMING: { type: lead.recycled, payload: { scenario: 5 } }',
      '    OPEN: { type: lead.routed, payload: { outcome: triage, reason: x, dueAt: 1772546400000 } }',
      'owners: {}',
    ].join('\n')
    const result = parseHubspotMapping(text, 'bad.yaml')
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.problems.map((problem) => [problem.line, problem.path])).toEqual(
      [
        [4, 'propertyChanges.hs_lead_status.CONNECTED.type'],
        [5, 'propertyChanges.hs_lead_status.BAD_TIMING.payload.scenario'],
        [6, 'propertyChanges.hs_lead_status.OPEN.type'],
      ],
    )
    expect(result.ok ? '' : result.problems[2]?.message).toBe(
      'lead.routed is recorded by Leadclock itself, never by an integration',
    )
  })

  it('refuses an owner id that is not HubSpot digits', () => {
    const result = parseHubspotMapping(
      defaultText.replace('owners: {}', 'owners: { ana: sdr-ana-lopez }'),
      'bad.yaml',
    )
    expect(
      result.ok ? [] : result.problems.map((problem) => `${problem.line} ${problem.message}`),
    ).toEqual(['25 "ana" is not a HubSpot owner id (digits)'])
  })
})
