/**
 * One Salesforce Change Data Capture event (as a relay posts it: `ChangeEventHeader` and the
 * changed field values at top level) → the Leadclock events it means under the mapping, one
 * list per record it names, or why there are none. Pure.
 */
import { z } from 'zod'

import type { TranslatedItem } from '../../app/crm-webhook.js'
import type { EventInput } from '../../app/event-input.js'
import type { SalesforceMapping } from './salesforce-mapping.js'
import { SALESFORCE_ID, USER_ID_PREFIX } from './salesforce-mapping.js'

/** The header fields read; the others (commitNumber, commitUser, diffFields…) are allowed. */
const changeEventSchema = z.looseObject({
  ChangeEventHeader: z.looseObject({
    entityName: z.string().min(1).max(100),
    // Salesforce merges identical changes to several records into one event.
    recordIds: z.array(z.string().regex(SALESFORCE_ID, 'must be a Salesforce id')).min(1).max(500),
    changeType: z.string().min(1).max(50),
    changedFields: z.array(z.string().max(300)).max(2000).default([]),
    commitTimestamp: z.number().int().min(0),
    transactionKey: z.string().min(1).max(100),
    sequenceNumber: z.number().int().min(0),
  }),
})
type ChangeEvent = z.infer<typeof changeEventSchema>
type Header = ChangeEvent['ChangeEventHeader']

/** A Lead's key prefix: a Task's WhoId may also be a Contact (003…). */
const LEAD_ID_PREFIX = '00Q'
/** A queue's key prefix: a lead a queue owns has no owner for Leadclock's clocks. */
const QUEUE_ID_PREFIX = '00G'

/** Lead fields (compound components as `Name.FirstName`, as changedFields names them) → profile. */
const PROFILE_FIELDS = [
  ['firstName', 'Name.FirstName'],
  ['lastName', 'Name.LastName'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['company', 'Company'],
  ['title', 'Title'],
  ['industry', 'Industry'],
  ['country', 'Address.CountryCode'],
] as const

const LEADCLOCK_LEAD_ID_PREFIX = 'salesforce-lead-'

export function salesforceLeadId(recordId: string): string {
  return `${LEADCLOCK_LEAD_ID_PREFIX}${recordId}`
}

/** The Salesforce record id of a lead this connector created, or null for any other lead. */
export function salesforceRecordOf(leadId: string): string | null {
  const recordId = leadId.slice(LEADCLOCK_LEAD_ID_PREFIX.length)
  return leadId.startsWith(LEADCLOCK_LEAD_ID_PREFIX) && SALESFORCE_ID.test(recordId)
    ? recordId
    : null
}

/** The value at a field path (`Email`, `Name.FirstName`) when it is text; null and absent alike. */
function textAt(event: ChangeEvent, path: string): string | undefined {
  let value: unknown = event
  for (const part of path.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined
  }
  return typeof value === 'string' ? value : undefined
}

function profileOf(event: ChangeEvent, changed: (path: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    PROFILE_FIELDS.flatMap(([key, path]) => {
      const value = changed(path) ? textAt(event, path) : undefined
      return value === undefined ? [] : [[key, value]]
    }),
  )
}

/** What one record's change means; the envelope (key, lead, time, source) is added per event. */
type Meaning =
  | {
      readonly kind: 'event'
      readonly type: string
      readonly payload: Record<string, unknown>
      /** When it happened, if the record says; else the change's commit. */
      readonly at?: string
      /** The lead the event is about, if not the changed record itself (a Task's WhoId). */
      readonly leadRecordId?: string
    }
  | Exclude<TranslatedItem, { kind: 'event' }>

function ownerMeaning(ownerId: string | undefined, mapping: SalesforceMapping): Meaning[] {
  if (ownerId === undefined) {
    return []
  }
  if (ownerId.startsWith(QUEUE_ID_PREFIX)) {
    return [
      {
        kind: 'ignored',
        reason: `owner ${ownerId} is a queue: the lead is unassigned for Leadclock`,
      },
    ]
  }
  const person = ownerId.startsWith(USER_ID_PREFIX) ? mapping.owners[ownerId] : undefined
  return person === undefined
    ? [
        {
          kind: 'refused',
          rule: 'unmapped-owner',
          reason: `Salesforce owner ${ownerId} is not in the owner mapping; add it to owners`,
        },
      ]
    : [
        {
          kind: 'event',
          type: 'owner.assigned',
          payload: { ownerId: person, reason: `Salesforce lead owner ${ownerId}` },
        },
      ]
}

function optionalAt(at: string | undefined): { at?: string } {
  return at === undefined ? {} : { at }
}

function createdMeanings(event: ChangeEvent, mapping: SalesforceMapping): Meaning[] {
  const leadSource = textAt(event, 'LeadSource')
  const source =
    (leadSource === undefined ? undefined : mapping.leadCreation.leadSources[leadSource]) ??
    mapping.leadCreation.source
  return [
    {
      kind: 'event',
      type: 'lead.created',
      payload: { source, profile: profileOf(event, () => true) },
      ...optionalAt(textAt(event, 'CreatedDate')),
    },
    ...ownerMeaning(textAt(event, 'OwnerId'), mapping),
  ]
}

function updatedMeanings(event: ChangeEvent, mapping: SalesforceMapping): Meaning[] {
  const changedFields = new Set(event.ChangeEventHeader.changedFields)
  const changed = (path: string) => changedFields.has(path)
  const meanings: Meaning[] = []
  const profile = profileOf(event, changed)
  if (Object.keys(profile).length > 0) {
    meanings.push({ kind: 'event', type: 'lead.updated', payload: { profile } })
  }
  if (changed('OwnerId')) {
    meanings.push(...ownerMeaning(textAt(event, 'OwnerId'), mapping))
  }
  const status = changed('Status') ? textAt(event, 'Status') : undefined
  const rule = status === undefined ? undefined : mapping.statuses[status]
  if (status !== undefined) {
    meanings.push(
      rule === undefined
        ? { kind: 'ignored', reason: `Status = ${status} is not mapped` }
        : { kind: 'event', type: rule.type, payload: rule.payload },
    )
  }
  // The conversion's Lead UPDATE (IsConverted with the records it made) follows the Account,
  // Contact and Opportunity CREATEs of its transaction.
  if (changed('IsConverted') && event.IsConverted === true) {
    meanings.push(
      textAt(event, 'ConvertedOpportunityId') === undefined
        ? { kind: 'ignored', reason: 'the lead was converted without an opportunity' }
        : { kind: 'event', type: 'opportunity.created', payload: {} },
    )
  }
  return meanings.length > 0
    ? meanings
    : [{ kind: 'ignored', reason: 'no mapped Lead field changed' }]
}

/**
 * A Task completed about a lead is one of its activities: created completed (a logged call or
 * email) or updated into a completed status. An update names the lead only if WhoId changed too.
 */
function taskMeanings(event: ChangeEvent, mapping: SalesforceMapping): Meaning[] {
  const { changeType, changedFields } = event.ChangeEventHeader
  if (changeType !== 'CREATE' && changeType !== 'UPDATE') {
    return [{ kind: 'ignored', reason: `${changeType} is not mapped` }]
  }
  const status = textAt(event, 'Status')
  const completed =
    status !== undefined &&
    mapping.tasks.completedStatuses.includes(status) &&
    (changeType === 'CREATE' || changedFields.includes('Status'))
  if (!completed) {
    return [{ kind: 'ignored', reason: 'the change does not complete the task' }]
  }
  const whoId = textAt(event, 'WhoId')
  if (whoId === undefined) {
    return [
      changeType === 'CREATE'
        ? { kind: 'ignored', reason: 'the task is about no lead (no WhoId)' }
        : {
            kind: 'needs-refetch',
            reason:
              'the task was completed and the change does not name its WhoId; re-read the task',
          },
    ]
  }
  if (!SALESFORCE_ID.test(whoId)) {
    return [
      { kind: 'refused', rule: 'salesforce-change-event', reason: 'WhoId must be a Salesforce id' },
    ]
  }
  if (!whoId.startsWith(LEAD_ID_PREFIX)) {
    return [{ kind: 'ignored', reason: `the task is about ${whoId}, not a lead` }]
  }
  const subtype = textAt(event, 'TaskSubtype')
  const activityType =
    (subtype === undefined ? undefined : mapping.tasks.activityTypes[subtype]) ??
    mapping.tasks.otherwise
  return [
    {
      kind: 'event',
      type: 'activity.logged',
      payload: { activityType },
      leadRecordId: whoId,
      ...optionalAt(textAt(event, 'CompletedDateTime')),
    },
  ]
}

function meaningsOf(event: ChangeEvent, mapping: SalesforceMapping): Meaning[] {
  const { entityName, changeType } = event.ChangeEventHeader
  if (changeType.startsWith('GAP_')) {
    // A gap event says records changed without their values: only a read of them can tell.
    return [
      {
        kind: 'needs-refetch',
        reason: `${changeType}: the change carries no values; re-read the record`,
      },
    ]
  }
  if (entityName === 'Task') {
    return taskMeanings(event, mapping)
  }
  if (entityName !== 'Lead') {
    return [{ kind: 'ignored', reason: 'changes to this object are not mapped' }]
  }
  switch (changeType) {
    case 'CREATE':
      return createdMeanings(event, mapping)
    case 'UPDATE':
      return updatedMeanings(event, mapping)
    default:
      // DELETE and UNDELETE: Leadclock does not delete leads.
      return [
        {
          kind: 'ignored',
          reason: `${changeType} is not mapped: Leadclock keeps a lead's history`,
        },
      ]
  }
}

/**
 * Salesforce may deliver an event again (a relay's replay): the key is the record, the change's
 * place in its transaction, and the event it became.
 */
export function salesforceIdempotencyKey(header: Header, recordId: string, type: string): string {
  return `${recordId}:${header.transactionKey}:${header.sequenceNumber}:${type}`
}

export function translateChangeEvent(item: unknown, mapping: SalesforceMapping): TranslatedItem[] {
  const parsed = changeEventSchema.safeParse(item)
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    return [
      {
        kind: 'refused',
        rule: 'salesforce-change-event',
        reason: `not a Salesforce change event: ${[issue?.path.join('.'), issue?.message].filter(Boolean).join(' ')}`,
      },
    ]
  }
  const event = parsed.data
  const header = event.ChangeEventHeader
  const meanings = meaningsOf(event, mapping)
  return header.recordIds.flatMap((recordId) =>
    meanings.map((meaning): TranslatedItem => {
      if (meaning.kind !== 'event') {
        return { ...meaning, reason: `${header.entityName} ${recordId}: ${meaning.reason}` }
      }
      const input: EventInput = {
        idempotencyKey: salesforceIdempotencyKey(header, recordId, meaning.type),
        leadId: salesforceLeadId(meaning.leadRecordId ?? recordId),
        type: meaning.type,
        occurredAt: meaning.at ?? header.commitTimestamp,
        source: 'salesforce',
        payload: meaning.payload,
      }
      return { kind: 'event', input }
    }),
  )
}
