import { describe, expect, it } from 'vitest'
import { createCrmTaskChannel, toCrmTask } from './crm-task-channel.js'
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
