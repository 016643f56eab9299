import { describe, expect, it } from 'vitest'
import { createCrmTaskChannel, crmRefusal, crmTaskKey, toCrmTask } from './crm-task-channel.js'
import type { CrmTask } from './crm-task-channel.js'
import { DUE_AT, FIRED_AT, sampleNotification } from './test-support.js'

describe('toCrmTask', () => {
  it('maps a notification to a task for the recipient', () => {
    expect(toCrmTask(sampleNotification({ channel: 'crm-task', deliveryKey: 'k-1' }))).toEqual({
      idempotencyKey: 'k-1',
      leadId: 'lead_01HX',
      assigneePersonId: 'p-42',
      assigneeEmail: 'morgan@example.com',
      subject: 'Call the lead <today> — Jane Doe (Acme & Sons)',
      description: [
        'Formal breach: SDR Response — Tier 1 — Second reminder',
        'Lead: Jane Doe (Acme & Sons)',
        'Required action: Call the lead <today>',
        'Action due: 2026-03-03T18:00:00.000Z',
        'Elapsed business time: 2h 05m',
        'Lead in Leadclock: https://leadclock.example/leads/lead_01HX?tab=clock&x=1',
      ].join('\n'),
      dueAt: DUE_AT,
      firedAt: FIRED_AT,
    } satisfies CrmTask)
  })

  it('handles a recipient outside the roster, no deadline, grace and a long action', () => {
    const task = toCrmTask(
      sampleNotification({
        recipient: { personId: null, email: null },
        message: {
          actionDueAt: null,
          clockElapsedMs: null,
          leadUrl: null,
          graced: true,
          requiredAction: `Call\n${'a'.repeat(400)}`,
        },
      }),
    )
    expect(task.assigneePersonId).toBeNull()
    expect(task.assigneeEmail).toBeNull()
    expect(task.dueAt).toBeNull()
    expect([...task.subject]).toHaveLength(255)
    expect(task.subject).toMatch(/^Call a+…$/)
    expect(task.description.split('\n').slice(-1)).toEqual(['Note: grace period — coaching only.'])
  })
})

describe('createCrmTaskChannel', () => {
  it('hands the task to the sink and returns its answer', async () => {
    const tasks: CrmTask[] = []
    const channel = createCrmTaskChannel({
      createTask(task) {
        tasks.push(task)
        return Promise.resolve({ ok: false, retryable: false, error: 'owner not in CRM' })
      },
    })
    const notification = sampleNotification({ channel: 'crm-task' })
    expect(channel.name).toBe('crm-task')
    expect(await channel.deliver(notification, 0)).toEqual({
      ok: false,
      retryable: false,
      error: 'owner not in CRM',
    })
    expect(tasks).toEqual([toCrmTask(notification)])
  })

  it('a sink that throws gets a retry', async () => {
    const channel = createCrmTaskChannel({
      createTask: () => Promise.reject(new Error('CRM API unreachable')),
    })
    expect(await channel.deliver(sampleNotification(), 0)).toEqual({
      ok: false,
      retryable: true,
      error: 'CRM task sink failed: CRM API unreachable',
    })
  })
})

describe('crmTaskKey', () => {
  it('is lc- and 40 hex characters of the key’s sha256, whatever the key’s length', () => {
    expect(crmTaskKey('lead_01HX/sdr-response/2:crm-task:sdr-ana-lopez')).toBe(
      'lc-7a347a0810f49c1d3f1a846f13145eb7b63217b4',
    )
    expect(crmTaskKey('x'.repeat(1000))).toMatch(/^lc-[0-9a-f]{40}$/)
  })
})

describe('crmRefusal', () => {
  const now = Date.parse('2026-03-03T17:00:00Z')
  it('retries 429 and 5xx with their Retry-After, and nothing else unless told', () => {
    expect(crmRefusal('busy', 503, 'Tue, 03 Mar 2026 17:01:00 GMT', now)).toEqual({
      ok: false,
      retryable: true,
      error: 'busy',
      retryAfterMs: 60_000,
    })
    expect(crmRefusal('slow down', 429, null, now)).toEqual({
      ok: false,
      retryable: true,
      error: 'slow down',
    })
    expect(crmRefusal('bad field', 400, '5', now)).toEqual({
      ok: false,
      retryable: false,
      error: 'bad field',
    })
    expect(crmRefusal('taken', 409, null, now, true)).toEqual({
      ok: false,
      retryable: true,
      error: 'taken',
    })
  })
})
