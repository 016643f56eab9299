import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { toCrmTask } from '../../notify/crm-task-channel.js'
import type { CrmTask } from '../../notify/crm-task-channel.js'
import { sampleNotification } from '../../notify/test-support.js'
import type { CrmPeer } from '../test-support.js'
import { createHubspotTaskSink, hubspotTaskInput } from './hubspot-tasks.js'
import type { HubspotTaskOptions } from './hubspot-tasks.js'
import type { HubspotPeerTask } from './test-support.js'
import { HUBSPOT_TOKEN, startHubspotPeer } from './test-support.js'

const NOW = Date.parse('2026-03-03T17:05:00Z')
const KEY = 'lc-7a347a0810f49c1d3f1a846f13145eb7b63217b4'

function taskFor(overrides: { leadId?: string; personId?: string | null } = {}): CrmTask {
  return toCrmTask(
    sampleNotification({
      channel: 'crm-task',
      deliveryKey: 'lead_01HX/sdr-response/2:crm-task:sdr-ana-lopez',
      message: { leadId: overrides.leadId ?? 'hubspot-contact-651' },
      recipient: {
        personId: overrides.personId === undefined ? 'sdr-ana-lopez' : overrides.personId,
      },
    }),
  )
}

const EXPECTED_INPUT = {
  properties: {
    hs_timestamp: '2026-03-03T18:00:00.000Z',
    hs_task_subject: 'Call the lead <today> — Jane Doe (Acme & Sons)',
    hs_task_body: [
      'Formal breach: SDR Response — Tier 1 — Second reminder',
      'Lead: Jane Doe (Acme &amp; Sons)',
      'Required action: Call the lead &lt;today&gt;',
      'Action due: 2026-03-03T18:00:00.000Z',
      'Elapsed business time: 2h 05m',
      'Lead in Leadclock: https://leadclock.example/leads/lead_01HX?tab=clock&amp;x=1',
    ].join('<br>'),
    hs_task_status: 'NOT_STARTED',
    hs_task_type: 'TODO',
    hubspot_owner_id: '7001',
    leadclock_task_key: KEY,
  },
  associations: [
    {
      to: { id: '651' },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }],
    },
  ],
}

describe('hubspotTaskInput', () => {
  it('is due at the action deadline, or when the step fired when the policy gives none', () => {
    expect(hubspotTaskInput(taskFor(), '651', '7001', 'leadclock_task_key')).toEqual(EXPECTED_INPUT)
    const noDeadline = { ...taskFor(), dueAt: null }
    expect(
      hubspotTaskInput(noDeadline, '651', '7001', 'leadclock_task_key').properties.hs_timestamp,
    ).toBe('2026-03-03T17:05:00.000Z')
  })
})

describe('the HubSpot task sink against a HubSpot peer on loopback', () => {
  let peer: CrmPeer<HubspotPeerTask>
  beforeEach(async () => {
    peer = await startHubspotPeer()
  })
  afterEach(async () => {
    await peer.close()
  })

  const sinkOf = (options: Partial<HubspotTaskOptions> = {}) =>
    createHubspotTaskSink({
      apiUrl: peer.url,
      accessToken: HUBSPOT_TOKEN,
      taskKeyProperty: 'leadclock_task_key',
      owners: { '7001': 'sdr-ana-lopez', '7002': 'mgr-carla-reyes' },
      timeoutMs: 5_000,
      ...options,
    }).sink
  const calls = () => peer.requests.map((request) => `${request.method} ${request.path}`)
  const lookup = `GET /crm/v3/objects/tasks/${KEY}?idProperty=leadclock_task_key`
  const create = 'POST /crm/v3/objects/tasks'

  it('looks the key up, then creates the task with its owner and its contact in one request', async () => {
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({ ok: true })
    expect(calls()).toEqual([lookup, create])
    const [, posted] = peer.requests
    expect(posted?.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`)
    expect(posted?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(posted?.body ?? '')).toEqual(EXPECTED_INPUT)
    expect(peer.records).toEqual([
      {
        id: '90001',
        properties: EXPECTED_INPUT.properties,
        associations: EXPECTED_INPUT.associations,
      },
    ])
  })

  it('creates exactly one task when the answer to the create is lost and the step is redelivered', async () => {
    // HubSpot creates the task, but the connection drops before its answer.
    peer.loseNextAnswerTo('POST')
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'HubSpot request failed: UND_ERR_SOCKET other side closed',
    })
    expect(peer.records).toHaveLength(1)
    // The outbox retries with the same key (after a crash, in another process): found.
    const sink = sinkOf()
    expect(await sink.createTask(taskFor(), NOW + 5_000)).toEqual({ ok: true })
    expect(await sink.createTask(taskFor(), NOW + 10_000)).toEqual({ ok: true })
    expect(calls()).toEqual([lookup, create, lookup, lookup])
    expect(peer.records.map((task) => task.properties.leadclock_task_key)).toEqual([KEY])
  })

  it('retries a 429 after its Retry-After and a 5xx, keeping what HubSpot said', async () => {
    const sink = sinkOf()
    peer.answerNext({
      status: 429,
      headers: { 'retry-after': '7' },
      body: {
        status: 'error',
        message: 'You have reached your secondly limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'c-1',
        policyName: 'SECONDLY',
        category: 'RATE_LIMITS',
      },
    })
    expect(await sink.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'HubSpot answered HTTP 429 RATE_LIMITS: You have reached your secondly limit.',
      retryAfterMs: 7_000,
    })
    peer.answerNext({ status: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND' } })
    peer.answerNext({
      status: 502,
      body: { status: 'error', message: 'Bad gateway', category: 'INTERNAL_ERROR' },
    })
    expect(await sink.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'HubSpot answered HTTP 502 INTERNAL_ERROR: Bad gateway',
    })
    expect(peer.records).toEqual([])
    expect(await sink.createTask(taskFor(), NOW)).toEqual({ ok: true })
    expect(peer.records).toHaveLength(1)
  })

  it('retries a 409 on create: another attempt created the task, the next lookup finds it', async () => {
    peer.answerNext({ status: 404, body: { status: 'error', category: 'OBJECT_NOT_FOUND' } })
    peer.answerNext({
      status: 409,
      body: { status: 'error', message: 'Object already exists', category: 'CONFLICT' },
    })
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: true,
      error: 'HubSpot answered HTTP 409 CONFLICT: Object already exists',
    })
  })

  it('gives up on a bad token (401), a property that is not unique (400) and a wrong API URL (404)', async () => {
    expect(await sinkOf({ accessToken: 'pat-na1-revoked' }).createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'HubSpot answered HTTP 401 INVALID_AUTHENTICATION: Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    })
    expect(await sinkOf({ taskKeyProperty: 'leadclock_plain' }).createTask(taskFor(), NOW)).toEqual(
      {
        ok: false,
        retryable: false,
        error:
          'HubSpot answered HTTP 400 VALIDATION_ERROR: Unable to perform read by non-unique 0-27 property leadclock_plain',
      },
    )
    expect(await sinkOf({ apiUrl: `${peer.url}/v0` }).createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error: 'HubSpot answered HTTP 404 OBJECT_NOT_FOUND: POST /v0/crm/v3/objects/tasks not found',
    })
    expect(peer.records).toEqual([])
  })

  it('a body that is not HubSpot JSON is kept as it came', async () => {
    peer.answerNext({ status: 400, body: 'Bad Request' })
    expect(await sinkOf().createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error: 'HubSpot answered HTTP 400: "Bad Request"',
    })
  })

  it('refuses for good, without calling HubSpot, a lead it did not create and a person without owner', async () => {
    expect(await sinkOf().createTask(taskFor({ leadId: 'lead_01HX' }), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'lead lead_01HX has no CRM record to attach a task to (this channel writes HubSpot tasks for leads hubspot-contact-<contact id>); no task was created',
    })
    expect(await sinkOf().createTask(taskFor({ personId: 'sdr-jake-turner' }), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'no HubSpot owner for the task: no entry of owners maps to sdr-jake-turner in the HubSpot mapping',
    })
    const twice = sinkOf({ owners: { '7001': 'sdr-ana-lopez', '7003': 'sdr-ana-lopez' } })
    expect(await twice.createTask(taskFor(), NOW)).toEqual({
      ok: false,
      retryable: false,
      error:
        'no HubSpot owner for the task: owners 7001, 7003 all map to sdr-ana-lopez: keep one in the HubSpot mapping',
    })
    expect(peer.requests).toEqual([])
  })
})
