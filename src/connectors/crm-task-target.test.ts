import { describe, expect, it } from 'vitest'

import type { CrmTask } from '../notify/crm-task-channel.js'
import { toCrmTask } from '../notify/crm-task-channel.js'
import { sampleNotification } from '../notify/test-support.js'
import type { CrmTaskTarget } from './crm-task-target.js'
import { routeCrmTasks } from './crm-task-target.js'

/** A target that owns leads starting with `prefix` and records what it is given. */
function recordingTarget(crm: string, prefix: string) {
  const received: string[] = []
  const target: CrmTaskTarget = {
    covers: `${crm} tasks for leads ${prefix}<id>`,
    owns: (leadId) => leadId.startsWith(prefix),
    sink: {
      createTask(task: CrmTask) {
        received.push(task.leadId)
        return Promise.resolve({ ok: true })
      },
    },
  }
  return { target, received }
}

const taskOf = (leadId: string) => toCrmTask(sampleNotification({ message: { leadId } }))

describe('routeCrmTasks', () => {
  it('hands each task to the CRM that owns its lead', async () => {
    const hubspot = recordingTarget('HubSpot', 'hubspot-contact-')
    const salesforce = recordingTarget('Salesforce', 'salesforce-lead-')
    const sink = routeCrmTasks([hubspot.target, salesforce.target])
    expect(await sink.createTask(taskOf('salesforce-lead-00Q5f000001AbCdEAF'), 0)).toEqual({
      ok: true,
    })
    expect(await sink.createTask(taskOf('hubspot-contact-651'), 0)).toEqual({ ok: true })
    expect(hubspot.received).toEqual(['hubspot-contact-651'])
    expect(salesforce.received).toEqual(['salesforce-lead-00Q5f000001AbCdEAF'])
  })

  it('fails a lead no CRM owns for good, naming what the channel writes', async () => {
    const hubspot = recordingTarget('HubSpot', 'hubspot-contact-')
    const salesforce = recordingTarget('Salesforce', 'salesforce-lead-')
    const sink = routeCrmTasks([hubspot.target, salesforce.target])
    expect(await sink.createTask(taskOf('web-form-17'), 0)).toEqual({
      ok: false,
      retryable: false,
      error:
        'lead web-form-17 has no CRM record to attach a task to (this channel writes HubSpot tasks for leads hubspot-contact-<id> and Salesforce tasks for leads salesforce-lead-<id>); no task was created',
    })
    expect([...hubspot.received, ...salesforce.received]).toEqual([])
  })
})
