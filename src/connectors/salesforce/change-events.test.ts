import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { translateChangeEvent } from './change-events.js'
import { defaultSalesforceMappingPath } from './salesforce-intake.js'
import { parseSalesforceMapping } from './salesforce-mapping.js'
import { defaultSalesforceMapping } from './test-support.js'

const ANA = '0055f000005mc66AAA'
const mapping = defaultSalesforceMapping({ [ANA]: 'sdr-ana-lopez' })
const T = 1772546400000
const LEAD = '00Q5f000001AbCdEAF'
const OTHER_LEAD = '00Q5f000001AbCeEAF'
const TRANSACTION = '00006948-0ac9-7da3-edb3-ea0e31b2334a'

function changeEvent(
  header: Record<string, unknown>,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ChangeEventHeader: {
      entityName: 'Lead',
      recordIds: [LEAD],
      changeType: 'UPDATE',
      changeOrigin: 'com/salesforce/api/soap/60.0;client=SfdcInternalAPI/',
      transactionKey: TRANSACTION,
      sequenceNumber: 1,
      commitTimestamp: T,
      commitNumber: 1100638524517,
      commitUser: ANA,
      nulledFields: [],
      diffFields: [],
      changedFields: [],
      ...header,
    },
    ...fields,
  }
}

const recorded = (type: string, payload: Record<string, unknown>, recordId = LEAD) => ({
  kind: 'event',
  input: {
    idempotencyKey: `${recordId}:${TRANSACTION}:1:${type}`,
    leadId: `salesforce-lead-${recordId}`,
    type,
    occurredAt: T,
    source: 'salesforce',
    payload,
  },
})

describe('Salesforce change events under the default mapping', () => {
  it('Lead CREATE → lead.created (profile, source from LeadSource, CreatedDate) and the owner assigned', () => {
    const created = changeEvent(
      { changeType: 'CREATE' },
      {
        Name: { Salutation: 'Ms.', FirstName: 'Ana', LastName: 'Example' },
        Email: 'ana.example@example.com',
        Phone: '+1 555 0100',
        Company: 'Example Robotics',
        Title: 'VP Operations',
        Industry: 'Manufacturing',
        Address: { City: 'Springfield', Country: 'United States', CountryCode: 'US' },
        LeadSource: 'Web',
        Status: 'Open - Not Contacted',
        OwnerId: ANA,
        Rating: null,
        CreatedDate: '2026-03-03T14:00:00.000Z',
      },
    )
    expect(translateChangeEvent(created, mapping)).toEqual([
      {
        kind: 'event',
        input: {
          ...recorded('lead.created', {}).input,
          occurredAt: '2026-03-03T14:00:00.000Z',
          payload: {
            source: 'salesforce-web',
            profile: {
              firstName: 'Ana',
              lastName: 'Example',
              email: 'ana.example@example.com',
              phone: '+1 555 0100',
              company: 'Example Robotics',
              title: 'VP Operations',
              industry: 'Manufacturing',
              country: 'US',
            },
          },
        },
      },
      recorded('owner.assigned', {
        ownerId: 'sdr-ana-lopez',
        reason: `Salesforce lead owner ${ANA}`,
      }),
    ])
  })

  it('a lead a queue owns is created unassigned; a LeadSource not mapped gives the default source', () => {
    const created = changeEvent(
      { changeType: 'CREATE' },
      { Name: { LastName: 'Sample' }, LeadSource: 'Trade Show', OwnerId: '00G5f000004XyZaEAK' },
    )
    expect(translateChangeEvent(created, mapping)).toEqual([
      recorded('lead.created', { source: 'salesforce', profile: { lastName: 'Sample' } }),
      {
        kind: 'ignored',
        reason: `Lead ${LEAD}: owner 00G5f000004XyZaEAK is a queue: the lead is unassigned for Leadclock`,
      },
    ])
  })

  it('Lead UPDATE: changed profile fields → lead.updated, Status through the map, an unmapped owner refused', () => {
    const updated = changeEvent(
      { changedFields: ['Email', 'Name.LastName', 'Status', 'OwnerId', 'LastModifiedDate'] },
      {
        Email: 'ana.example@example.org',
        Name: { LastName: 'Example-Lopez' },
        // Present but not changed: not read.
        Company: 'Stale Inc.',
        Status: 'Working - Contacted',
        OwnerId: '0055f000009ZzZzAAK',
        LastModifiedDate: '2026-03-03T14:05:00.000Z',
      },
    )
    expect(translateChangeEvent(updated, mapping)).toEqual([
      recorded('lead.updated', {
        profile: { email: 'ana.example@example.org', lastName: 'Example-Lopez' },
      }),
      {
        kind: 'refused',
        rule: 'unmapped-owner',
        reason: `Lead ${LEAD}: Salesforce owner 0055f000009ZzZzAAK is not in the owner mapping; add it to owners`,
      },
      recorded('activity.logged', { activityType: 'status-change', outcome: 'connected' }),
    ])
  })

  it('the conversion’s Lead UPDATE → opportunity.created; its Closed - Converted status is not mapped', () => {
    const converted = changeEvent(
      {
        changedFields: [
          'Status',
          'IsConverted',
          'ConvertedDate',
          'ConvertedAccountId',
          'ConvertedContactId',
          'ConvertedOpportunityId',
        ],
      },
      {
        Status: 'Closed - Converted',
        IsConverted: true,
        ConvertedDate: '2026-03-04',
        ConvertedAccountId: '0015f00002JUX1JAAX',
        ConvertedContactId: '0035f00001KlMnOAAV',
        ConvertedOpportunityId: '0065f00000PqRsTAAV',
      },
    )
    expect(translateChangeEvent(converted, mapping)).toEqual([
      { kind: 'ignored', reason: `Lead ${LEAD}: Status = Closed - Converted is not mapped` },
      recorded('opportunity.created', {}),
    ])
    const withoutOpportunity = changeEvent(
      { changedFields: ['IsConverted'] },
      { IsConverted: true, ConvertedOpportunityId: null },
    )
    expect(translateChangeEvent(withoutOpportunity, mapping)).toEqual([
      { kind: 'ignored', reason: `Lead ${LEAD}: the lead was converted without an opportunity` },
    ])
  })

  it('an event naming several records → the events for each, keyed by record', () => {
    const merged = changeEvent(
      { recordIds: [LEAD, OTHER_LEAD], changedFields: ['Status'] },
      { Status: 'Closed - Not Converted' },
    )
    const disqualified = { reason: 'Salesforce lead status Closed - Not Converted' }
    expect(translateChangeEvent(merged, mapping)).toEqual([
      recorded('lead.disqualified', disqualified),
      recorded('lead.disqualified', disqualified, OTHER_LEAD),
    ])
  })

  it('a gap event needs a re-read of each record; DELETE, other objects and unmapped changes are ignored', () => {
    expect(
      translateChangeEvent(
        changeEvent({ changeType: 'GAP_UPDATE', recordIds: [LEAD, OTHER_LEAD] }),
        mapping,
      ),
    ).toEqual([
      {
        kind: 'needs-refetch',
        reason: `Lead ${LEAD}: GAP_UPDATE: the change carries no values; re-read the record`,
      },
      {
        kind: 'needs-refetch',
        reason: `Lead ${OTHER_LEAD}: GAP_UPDATE: the change carries no values; re-read the record`,
      },
    ])
    expect(translateChangeEvent(changeEvent({ changeType: 'DELETE' }), mapping)).toEqual([
      {
        kind: 'ignored',
        reason: `Lead ${LEAD}: DELETE is not mapped: Leadclock keeps a lead's history`,
      },
    ])
    const account = changeEvent(
      { entityName: 'Account', changeType: 'CREATE', recordIds: ['0015f00002JUX1JAAX'] },
      { Name: 'Example Robotics' },
    )
    expect(translateChangeEvent(account, mapping)).toEqual([
      {
        kind: 'ignored',
        reason: 'Account 0015f00002JUX1JAAX: changes to this object are not mapped',
      },
    ])
    const rating = changeEvent({ changedFields: ['Rating'] }, { Rating: 'Hot' })
    expect(translateChangeEvent(rating, mapping)).toEqual([
      { kind: 'ignored', reason: `Lead ${LEAD}: no mapped Lead field changed` },
    ])
  })

  it('a Task created completed about a lead → activity.logged of that lead at CompletedDateTime, typed by TaskSubtype', () => {
    const TASK = '00T5f00000AbCdEAAZ'
    const call = changeEvent(
      { entityName: 'Task', changeType: 'CREATE', recordIds: [TASK] },
      {
        WhoId: LEAD,
        Subject: 'Call',
        Status: 'Completed',
        TaskSubtype: 'Call',
        CallDurationInSeconds: 240,
        CompletedDateTime: '2026-03-03T14:20:00.000Z',
        OwnerId: ANA,
      },
    )
    expect(translateChangeEvent(call, mapping)).toEqual([
      {
        kind: 'event',
        input: {
          idempotencyKey: `${TASK}:${TRANSACTION}:1:activity.logged`,
          leadId: `salesforce-lead-${LEAD}`,
          type: 'activity.logged',
          occurredAt: '2026-03-03T14:20:00.000Z',
          source: 'salesforce',
          payload: { activityType: 'call' },
        },
      },
    ])
    const completedLater = changeEvent(
      { entityName: 'Task', recordIds: [TASK], changedFields: ['Status', 'WhoId'] },
      { Status: 'Completed', WhoId: LEAD },
    )
    expect(translateChangeEvent(completedLater, mapping)).toEqual([
      {
        kind: 'event',
        input: {
          idempotencyKey: `${TASK}:${TRANSACTION}:1:activity.logged`,
          leadId: `salesforce-lead-${LEAD}`,
          type: 'activity.logged',
          occurredAt: T,
          source: 'salesforce',
          payload: { activityType: 'blank-task' },
        },
      },
    ])
  })

  it('a change that does not complete a task, a task about a contact or a WhoId that is no id, and a completion that does not name its lead record nothing', () => {
    const TASK = '00T5f00000AbCdEAAZ'
    const task = (header: Record<string, unknown>, fields: Record<string, unknown>) =>
      translateChangeEvent(
        changeEvent({ entityName: 'Task', recordIds: [TASK], ...header }, fields),
        mapping,
      )
    expect(task({ changeType: 'CREATE' }, { WhoId: LEAD, Status: 'Not Started' })).toEqual([
      { kind: 'ignored', reason: `Task ${TASK}: the change does not complete the task` },
    ])
    expect(
      task({ changeType: 'CREATE' }, { WhoId: '0035f00001KlMnOAAV', Status: 'Completed' }),
    ).toEqual([
      {
        kind: 'ignored',
        reason: `Task ${TASK}: the task is about 0035f00001KlMnOAAV, not a lead`,
      },
    ])
    expect(task({ changedFields: ['Status'] }, { Status: 'Completed' })).toEqual([
      {
        kind: 'needs-refetch',
        reason: `Task ${TASK}: the task was completed and the change does not name its WhoId; re-read the task`,
      },
    ])
    expect(
      task({ changeType: 'CREATE' }, { WhoId: '00Q/../../leads', Status: 'Completed' }),
    ).toEqual([
      {
        kind: 'refused',
        rule: 'salesforce-change-event',
        reason: `Task ${TASK}: WhoId must be a Salesforce id`,
      },
    ])
    // Status present but not changed: not a completion.
    expect(task({ changedFields: ['Priority'] }, { Status: 'Completed', WhoId: LEAD })).toEqual([
      { kind: 'ignored', reason: `Task ${TASK}: the change does not complete the task` },
    ])
  })

  it('refuses what is not a change event, naming the field', () => {
    const refusal = (reason: string) => [
      {
        kind: 'refused',
        rule: 'salesforce-change-event',
        reason: `not a Salesforce change event: ${reason}`,
      },
    ]
    expect(translateChangeEvent('Lead', mapping)).toEqual(
      refusal('Invalid input: expected object, received string'),
    )
    expect(translateChangeEvent({ Status: 'Working - Contacted' }, mapping)).toEqual(
      refusal('ChangeEventHeader Invalid input: expected object, received undefined'),
    )
    expect(translateChangeEvent(changeEvent({ recordIds: ["00Q' OR 1=1 --"] }), mapping)).toEqual(
      refusal('ChangeEventHeader.recordIds.0 must be a Salesforce id'),
    )
    expect(translateChangeEvent(changeEvent({ recordIds: [] }), mapping)).toEqual(
      refusal('ChangeEventHeader.recordIds Too small: expected array to have >=1 items'),
    )
    expect(translateChangeEvent(changeEvent({ transactionKey: 'x'.repeat(101) }), mapping)).toEqual(
      refusal('ChangeEventHeader.transactionKey Too big: expected string to have <=100 characters'),
    )
  })
})

describe('the Salesforce mapping file', () => {
  it('the default parses', () => {
    expect(
      parseSalesforceMapping(readFileSync(defaultSalesforceMappingPath(), 'utf8'), 'sf').ok,
    ).toBe(true)
  })

  const problemsOf = (lines: readonly string[]) => {
    const result = parseSalesforceMapping(lines.join('\n'), 'bad.yaml')
    return result.ok ? [] : result.problems.map((problem) => [problem.line, problem.path])
  }

  it('refuses an unknown event type, an event an integration may not post and an owner that is not a user, located', () => {
    expect(
      problemsOf([
        'leadCreation: { source: salesforce }',
        'statuses:',
        '  Working - Contacted: { type: lead.contacted }',
        '  Nurture: { type: lead.routed }',
        'tasks: { completedStatuses: [Completed], activityTypes: {}, otherwise: call }',
        'owners:',
        '  00G5f000004XyZaEAK: sdr-ana-lopez',
      ]),
    ).toEqual([
      [3, 'statuses.Working - Contacted.type'],
      [4, 'statuses.Nurture.type'],
      [7, 'owners.00G5f000004XyZaEAK'],
    ])
  })

  it('refuses an activity type Leadclock does not have, located', () => {
    expect(
      problemsOf([
        'leadCreation: { source: salesforce }',
        'statuses: {}',
        'tasks: { completedStatuses: [Completed], activityTypes: { Call: phone }, otherwise: call }',
        'owners: {}',
      ]),
    ).toEqual([[3, 'tasks.activityTypes.Call']])
  })
})
