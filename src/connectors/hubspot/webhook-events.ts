/**
 * One HubSpot webhook event (an item of the JSON array HubSpot POSTs) → the Leadclock event it
 * means under the mapping, or why there is none. Pure.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'

import type { TranslatedItem } from '../../app/crm-webhook.js'
import type { HubspotMapping } from './hubspot-mapping.js'

/** HubSpot's documented fields; others (changeFlag, sourceId…) are allowed and not read. */
const webhookEventSchema = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: z.number().int(),
  occurredAt: z.number().int().min(0),
  subscriptionType: z.string().min(1).max(100),
  objectId: z.number().int().min(0),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(10_000).optional(),
})
export type WebhookEvent = z.infer<typeof webhookEventSchema>

/** The property HubSpot keeps a contact's owner in. */
const OWNER_PROPERTY = 'hubspot_owner_id'

const LEAD_ID_PREFIX = 'hubspot-contact-'

export function hubspotLeadId(contactId: number): string {
  return `${LEAD_ID_PREFIX}${contactId}`
}

/** The HubSpot contact id of a lead this connector created, or null for any other lead. */
export function hubspotContactOf(leadId: string): string | null {
  const contactId = leadId.slice(LEAD_ID_PREFIX.length)
  return leadId.startsWith(LEAD_ID_PREFIX) && /^\d+$/.test(contactId) ? contactId : null
}

/**
 * HubSpot redelivers an event unchanged and says its eventId is not unique: the key is the
 * event's own facts. Hashed so that a long property value keeps it within 200 characters.
 */
export function hubspotIdempotencyKey(event: WebhookEvent): string {
  const facts = [
    event.portalId,
    event.subscriptionType,
    event.objectId,
    event.propertyName ?? '',
    event.propertyValue ?? '',
    event.occurredAt,
  ]
  const digest = createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 32)
  return `${event.subscriptionType}:${event.objectId}:${digest}`
}

function ownerEvent(event: WebhookEvent, value: string, mapping: HubspotMapping): TranslatedItem {
  if (value === '') {
    return {
      kind: 'ignored',
      reason: 'the contact owner was removed; Leadclock keeps the last owner',
    }
  }
  const ownerId = mapping.owners[value]
  if (ownerId === undefined) {
    return {
      kind: 'refused',
      rule: 'unmapped-owner',
      reason: `HubSpot owner ${value} is not in the owner mapping; add it to owners`,
    }
  }
  return {
    kind: 'event',
    input: {
      ...envelope(event),
      type: 'owner.assigned',
      payload: { ownerId, reason: `HubSpot contact owner ${value}` },
    },
  }
}

function envelope(event: WebhookEvent) {
  return {
    idempotencyKey: hubspotIdempotencyKey(event),
    leadId: hubspotLeadId(event.objectId),
    occurredAt: event.occurredAt,
    source: 'hubspot',
  }
}

export function translateWebhookEvent(item: unknown, mapping: HubspotMapping): TranslatedItem {
  const parsed = webhookEventSchema.safeParse(item)
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    return {
      kind: 'refused',
      rule: 'hubspot-webhook-event',
      reason:
        `not a HubSpot webhook event: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    }
  }
  const event = parsed.data
  switch (event.subscriptionType) {
    case 'contact.creation':
      return {
        kind: 'event',
        input: {
          ...envelope(event),
          type: 'lead.created',
          payload: { source: mapping.contactCreation.source, profile: {} },
        },
      }
    case 'contact.propertyChange': {
      const { propertyName = '', propertyValue = '' } = event
      if (propertyName === OWNER_PROPERTY) {
        return ownerEvent(event, propertyValue, mapping)
      }
      const rule = mapping.propertyChanges[propertyName]?.[propertyValue]
      return rule === undefined
        ? { kind: 'ignored', reason: `${propertyName} = ${propertyValue} is not mapped` }
        : { kind: 'event', input: { ...envelope(event), type: rule.type, payload: rule.payload } }
    }
    default:
      // Deals (deal.creation, deal.propertyChange) name no contact: their lead cannot be told.
      return { kind: 'ignored', reason: `${event.subscriptionType} is not mapped` }
  }
}
