import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { toCrmTask } from '../../notify/crm-task-channel.js'
import type { CrmTask } from '../../notify/crm-task-channel.js'
import { sampleNotification } from '../../notify/test-support.js'
import type { CrmPeer } from '../test-support.js'
import { createSalesforceTaskSink, salesforceTaskFields } from './salesforce-tasks.js'
import type { SalesforceTaskOptions } from './salesforce-tasks.js'
import type { SalesforcePeerTask } from './test-support.js'
import { SALESFORCE_TOKEN, startSalesforcePeer } from './test-support.js'

const NOW = Date.parse('2026-03-03T17:05:00Z')
const KEY = 'lc-7a347a0810f49c1d3f1a846f13145eb7b63217b4'
const LEAD = '00Q5f000001AbCdEAF'
const ANA = '0055f000005mc66AAA'

function taskFor(overrides: { leadId?: string; personId?: string } = {}): CrmTask {
  return toCrmTask(
    sampleNotification({
      channel: 'crm-task',
      deliveryKey: 'lead_01HX/sdr-response/2:crm-task:sdr-ana-lopez',
      message: { leadId: overrides.leadId ?? `salesforce-lead-${LEAD}` },
      recipient: { personId: overrides.personId ?? 'sdr-ana-lopez' },
    }),
  )
}

const DESCRIPTION = [
  'Formal breach: SDR Response — Tier 1 — Second reminder',
  'Lead: Jane Doe (Acme & Sons)',
  'Required action: Call the lead <today>',
  'Action due: 2026-03-03T18:00:00.000Z',
  'Elapsed business time: 2h 05m',
  'Lead in Leadclock: https://leadclock.example/leads/lead_01HX?tab=clock&x=1',
].join('\n')

const EXPECTED_FIELDS = {
  WhoId: LEAD,
  OwnerId: ANA,
  Subject: 'Call the lead <today> — Jane Doe (Acme & Sons)',
  Description: DESCRIPTION,
  ActivityDate: '2026-03-03',
}

describe('salesforceTaskFields', () => {
  it('gives the UTC date of the deadline as ActivityDate, and none without a deadline', () => {
    expect(salesforceTaskFields(taskFor(), LEAD, ANA)).toEqual(EXPECTED_FIELDS)
    const lateEvening = { ...taskFor(), dueAt: Date.parse('2026-03-03T23:30:00-05:00') }
    expect(salesforceTaskFields(lateEvening, LEAD, ANA).ActivityDate).toBe('2026-03-04')
    expect(salesforceTaskFields({ ...taskFor(), dueAt: null }, LEAD, ANA)).toEqual({
      WhoId: LEAD,
      OwnerId: ANA,
      Subject: 'Call the lead <today> — Jane Doe (Acme & Sons)',
      Description: DESCRIPTION,
    })
  })
})

describe('the Salesforce task sink against a Salesforce peer on loopback', () => {
  let peer: CrmPeer<SalesforcePeerTask>
  beforeEach(async () => {
    peer = await startSalesforcePeer()
  })
  afterEach(async () => {
    await peer.close()
  })

  const sinkOf = (options: Partial<SalesforceTaskOptions> = {}) =>
    createSalesforceTaskSink({
      instanceUrl: peer.url,
      accessToken: SALESFORCE_TOKEN,
      apiVersion: 'v62.0',
      taskKeyField: 'Leadclock_Task_Key__c',
      owners: { [ANA]: 'sdr-ana-lopez' },
      timeoutMs: 5_000,
      ...options,
    }).sink
  const upsert = `PATCH /services/data/v62.0/sobjects/Task/Leadclock_Task_Key__c/${KEY}`
  const calls = () => peer.requests.map((request) => `${request.method} ${request.path}`)

  it('upserts the task by its key: WhoId the lead, OwnerId the recipient, no Status', async () => {
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({ ok: true })
    expect(calls()).toEqual([upsert])
    const [sent] = peer.requests
    expect(sent?.headers.authorization).toBe(`Bearer ${SALESFORCE_TOKEN}`)
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(sent?.body ?? '')).toEqual(EXPECTED_FIELDS)
    expect(peer.records).toEqual([
      {
        Id: '00T5f0000000001AAA',
        Status: 'Not Started',
        ...EXPECTED_FIELDS,
        Leadclock_Task_Key__c: KEY,
      },
    ])
  })

  it('leaves exactly one task, as the rep left it, when the answer is lost and the step is redelivered', async () => {
    // Salesforce creates the task, but the connection drops before its answer.
    peer.loseNextAnswerTo('PATCH')
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'Salesforce request failed: UND_ERR_SOCKET other side closed',
    })
    expect(peer.records).toHaveLength(1)
    // Meanwhile the rep completes the task.
    Object.assign(peer.records[0] ?? {}, { Status: 'Completed' })
    expect(await sinkOf().createTask(taskFor(), NOW + 5_000)).toEqual({ ok: true })
    expect(calls()).toEqual([upsert, upsert])
    expect(peer.records).toEqual([
      {
        Id: '00T5f0000000001AAA',
        Status: 'Completed',
        ...EXPECTED_FIELDS,
        Leadclock_Task_Key__c: KEY,
      },
    ])
  })

  it('retries a 429 after its Retry-After, a 503 and the daily API limit, keeping what Salesforce said', async () => {
    const sink = sinkOf()
    peer.answerNext({
      status: 429,
      headers: { 'retry-after': '30' },
      body: [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    })
    expect(await sink.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'Salesforce answered HTTP 429 REQUEST_LIMIT_EXCEEDED: Too many requests',
      retryAfterMs: 30_000,
    })
    peer.answerNext({
      status: 503,
      body: [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
    })
    expect(await sink.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'Salesforce answered HTTP 503 SERVER_UNAVAILABLE: Server unavailable',
    })
    peer.answerNext({
      status: 403,
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    })
    expect(await sink.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'Salesforce answered HTTP 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    })
    expect(peer.records).toEqual([])
    expect(await sink.createTask(taskFor(), NOW)).toEqual({ ok: true })
    expect(peer.records).toHaveLength(1)
  })

  it('gives up on an invalid session (401), a missing key field (404), a bad field (400), a non-unique key (300)', async () => {
    expect(await sinkOf({ accessToken: 'expired' }).createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error: 'Salesforce answered HTTP 401 INVALID_SESSION_ID: Session expired or invalid',
    })
    expect(await sinkOf({ taskKeyField: 'Key__c' }).createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'Salesforce answered HTTP 404 NOT_FOUND: Provided external ID field does not exist or is not accessible: Key__c',
    })
    peer.answerNext({
      status: 400,
      body: [
        {
          message: 'Assigned To ID: owner cannot be blank',
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: ['OwnerId'],
        },
      ],
    })
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'Salesforce answered HTTP 400 REQUIRED_FIELD_MISSING: Assigned To ID: owner cannot be blank',
    })
    peer.answerNext({ status: 300, body: ['/services/data/v62.0/sobjects/Task/00T1', '…/00T2'] })
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'Salesforce answered HTTP 300: ["/services/data/v62.0/sobjects/Task/00T1","…/00T2"] (several tasks have this key: make the key field Unique)',
    })
    expect(peer.records).toEqual([])
  })

  it('refuses for good, without calling Salesforce, a lead it did not create and a person without user', async () => {
    expect(await sinkOf().createTask(taskFor({ leadId: 'hubspot-contact-651' }), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'lead hubspot-contact-651 has no CRM record to attach a task to (this channel writes Salesforce tasks for leads salesforce-lead-<lead id>); no task was created',
    })
    expect(await sinkOf().createTask(taskFor({ personId: 'mgr-carla-reyes' }), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'no Salesforce user for the task: no entry of owners maps to mgr-carla-reyes in the Salesforce mapping',
    })
    expect(peer.requests).toEqual([])
  })
})
