/**
 * Write-back end to end: an escalation step the scheduler fires ends as exactly one task in the
 * CRM that created the lead — HubSpot and Salesforce peers on loopback — even when the worker dies
 * between the CRM's acceptance and the outbox's commit and the delivery goes out again after the
 * lease. A lead no CRM created gets no task: its delivery is dead, with the reason, replayable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { deliverDueNotifications, SENDING_LEASE_MS } from '../../src/app/deliver-notifications.js'
import type { DeliveryDependencies } from '../../src/app/deliver-notifications.js'
import type { OutboxStore } from '../../src/app/escalation-port.js'
import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import { routeCrmTasks } from '../../src/connectors/crm-task-target.js'
import { createHubspotTaskSink } from '../../src/connectors/hubspot/hubspot-tasks.js'
import type { HubspotPeerTask } from '../../src/connectors/hubspot/test-support.js'
import {
  defaultHubspotMapping,
  HUBSPOT_TOKEN,
  startHubspotPeer,
} from '../../src/connectors/hubspot/test-support.js'
import { createSalesforceTaskSink } from '../../src/connectors/salesforce/salesforce-tasks.js'
import type { SalesforcePeerTask } from '../../src/connectors/salesforce/test-support.js'
import {
  defaultSalesforceMapping,
  SALESFORCE_TOKEN,
  startSalesforcePeer,
} from '../../src/connectors/salesforce/test-support.js'
import type { CrmPeer } from '../../src/connectors/test-support.js'
import {
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  withOwnAddress,
} from '../../src/domain/test-support.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'
import { createCrmTaskChannel } from '../../src/notify/crm-task-channel.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import { DIALECTS, freshDatabase } from './dialects.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
// T0 = Tuesday 09:00 New York; Ana gets each lead at 09:02, and the T+0 notification step fires.
const HANDOFF = T0 + 2 * MINUTE
const HUBSPOT_LEAD = 'hubspot-contact-651'
const SALESFORCE_LEAD = 'salesforce-lead-00Q5f000001AbCdEAF'
const FORM_LEAD = 'web-form-17'
const ANA_IN_HUBSPOT = '7001'
const ANA_IN_SALESFORCE = '0055f000005mc66AAA'

const tier1Lead = (leadId: string) => withOwnAddress(mqlEvents(leadId, T0, 'sdr-ana-lopez'))

for (const dialect of DIALECTS) {
  describe(`CRM task write-back on ${dialect}`, () => {
    let database: Database
    let hubspot: CrmPeer<HubspotPeerTask>
    let salesforce: CrmPeer<SalesforcePeerTask>
    let scheduler: SchedulerDependencies
    let outbox: OutboxStore

    beforeAll(async () => {
      database = await freshDatabase(dialect)
      ;[hubspot, salesforce] = await Promise.all([startHubspotPeer(), startSalesforcePeer()])
      const repository = createLeadRepository(database)
      outbox = repository.outbox
      scheduler = {
        repository,
        policy,
        roster: () => roster,
        channels: ['crm-task'],
        leads: leadDerivation(policy),
        leadUrl: (leadId) => `https://leadclock.example/leads/${leadId}`,
      }
      const outcomes = await ingestEvents(
        { repository, policy },
        [HUBSPOT_LEAD, SALESFORCE_LEAD, FORM_LEAD]
          .flatMap(tier1Lead)
          .map((event) => ({ ok: true as const, event })),
      )
      expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true)
    })
    afterAll(async () => {
      await Promise.all([hubspot?.close(), salesforce?.close()])
      await database?.close()
    })

    it('turns the fired step into exactly one task per CRM across a crash before the commit', async () => {
      const channel = createCrmTaskChannel(
        routeCrmTasks([
          createHubspotTaskSink({
            apiUrl: hubspot.url,
            accessToken: HUBSPOT_TOKEN,
            taskKeyProperty: 'leadclock_task_key',
            owners: defaultHubspotMapping({ [ANA_IN_HUBSPOT]: 'sdr-ana-lopez' }).owners,
          }),
          createSalesforceTaskSink({
            instanceUrl: salesforce.url,
            accessToken: SALESFORCE_TOKEN,
            apiVersion: 'v62.0',
            taskKeyField: 'Leadclock_Task_Key__c',
            owners: defaultSalesforceMapping({ [ANA_IN_SALESFORCE]: 'sdr-ana-lopez' }).owners,
          }),
        ]),
      )
      const delivery = (store: OutboxStore): DeliveryDependencies => ({
        outbox: store,
        channels: new Map([[channel.name, channel]]),
      })
      expect(await fireDueSteps(scheduler, HANDOFF)).toMatchObject({
        claimed: 3,
        fired: 3,
        notificationsQueued: 3,
      })

      // The worker sends, the CRMs accept, and the process dies before `delivered` is committed.
      const dying: OutboxStore = { ...outbox, markDelivered: () => Promise.resolve() }
      const sentAt = HANDOFF + 1000
      expect(await deliverDueNotifications(delivery(dying), sentAt)).toEqual({
        delivered: 2,
        retrying: 0,
        dead: 1,
      })
      const stranded = await outbox.listDeliveries({ state: 'sending', limit: 10 })
      expect(stranded.map((row) => row.leadId).sort()).toEqual([HUBSPOT_LEAD, SALESFORCE_LEAD])
      // Within the lease nobody takes them over; after it, another worker sends them again.
      expect(await deliverDueNotifications(delivery(outbox), sentAt + 1000)).toEqual({
        delivered: 0,
        retrying: 0,
        dead: 0,
      })
      expect(
        await deliverDueNotifications(delivery(outbox), sentAt + SENDING_LEASE_MS + 1),
      ).toEqual({ delivered: 2, retrying: 0, dead: 0 })

      const hubspotCalls = hubspot.requests.map((request) => request.method)
      expect(hubspotCalls).toEqual(['GET', 'POST', 'GET'])
      expect(salesforce.requests.map((request) => request.method)).toEqual(['PATCH', 'PATCH'])

      const subject =
        'Accept within 15 minutes and enrol the lead in the appropriate sequence — Dana Reyes (Acmesoft)'
      expect(hubspot.records).toHaveLength(1)
      expect(hubspot.records[0]?.properties).toMatchObject({
        hs_task_subject: subject,
        hs_task_status: 'NOT_STARTED',
        hubspot_owner_id: ANA_IN_HUBSPOT,
      })
      expect(hubspot.records[0]?.associations).toEqual([
        {
          to: { id: '651' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }],
        },
      ])
      expect(salesforce.records).toHaveLength(1)
      expect(salesforce.records[0]).toMatchObject({
        WhoId: '00Q5f000001AbCdEAF',
        OwnerId: ANA_IN_SALESFORCE,
        Subject: subject,
        Status: 'Not Started',
      })
      // Both CRMs hold the task under the same step's key (one delivery key per step and person).
      expect(hubspot.records[0]?.properties.leadclock_task_key).toMatch(/^lc-[0-9a-f]{40}$/)

      const dead = await outbox.listDeliveries({ state: 'dead', limit: 10 })
      expect(dead.map((row) => [row.leadId, row.channel, row.lastError])).toEqual([
        [
          FORM_LEAD,
          'crm-task',
          `attempt 1: lead ${FORM_LEAD} has no CRM record to attach a task to (this channel writes HubSpot tasks for leads hubspot-contact-<contact id> and Salesforce tasks for leads salesforce-lead-<lead id>); no task was created`,
        ],
      ])
      const delivered = await outbox.listDeliveries({ state: 'delivered', limit: 10 })
      expect(delivered.map((row) => row.leadId).sort()).toEqual([HUBSPOT_LEAD, SALESFORCE_LEAD])
    })
  })
}
