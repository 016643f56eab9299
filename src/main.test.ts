import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { defaultHubspotMappingPath } from './connectors/hubspot/hubspot-intake.js'
import { HUBSPOT_TOKEN, startHubspotPeer } from './connectors/hubspot/test-support.js'
import { defaultSalesforceMappingPath } from './connectors/salesforce/salesforce-intake.js'
import {
  ConfigurationError,
  configFromEnvironment,
  crmTaskChannelOf,
  hubspotIntakeOf,
  salesforceTranslatorOf,
} from './main.js'
import { sampleNotification } from './notify/test-support.js'

describe('the HubSpot webhooks from the environment', () => {
  it('are off without LEADCLOCK_HUBSPOT_CLIENT_SECRET', async () => {
    const config = configFromEnvironment({})
    expect(config.hubspot).toBeUndefined()
    expect(await hubspotIntakeOf(config)).toBeUndefined()
  })

  it('are on with it, with the default mapping and the public URL as the signed URI base', async () => {
    const config = configFromEnvironment({
      LEADCLOCK_HUBSPOT_CLIENT_SECRET: 'client-secret',
      LEADCLOCK_PUBLIC_URL: 'https://leadclock.example.com',
    })
    expect(config.hubspot).toEqual({
      clientSecret: 'client-secret',
      mappingPath: defaultHubspotMappingPath(),
    })
    const intake = await hubspotIntakeOf(config)
    expect(intake?.secret).toBe('client-secret')
    expect(intake?.publicUrl).toBe('https://leadclock.example.com')
    expect(intake?.translate('not an event')).toMatchObject([{ kind: 'refused' }])
  })

  it('stop the start when LEADCLOCK_HUBSPOT_MAPPING is invalid, naming the file, line and field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-hubspot-')), 'hubspot.yaml')
    writeFileSync(
      file,
      'contactCreation: { source: hubspot }\npropertyChanges: {}\nowners: { ana: x }\n',
    )
    const config = configFromEnvironment({
      LEADCLOCK_HUBSPOT_CLIENT_SECRET: 'client-secret',
      LEADCLOCK_HUBSPOT_MAPPING: file,
    })
    const start = hubspotIntakeOf(config)
    await expect(start).rejects.toThrow(ConfigurationError)
    await expect(start).rejects.toThrow(
      `the HubSpot mapping is invalid:\n  ${file}:3:16 owners.ana: "ana" is not a HubSpot owner id (digits)`,
    )
  })
})

describe('the Salesforce change events from the environment', () => {
  it('use the default mapping without LEADCLOCK_SALESFORCE_MAPPING', async () => {
    const config = configFromEnvironment({})
    expect(config.salesforceMappingPath).toBe(defaultSalesforceMappingPath())
    const translator = await salesforceTranslatorOf(config)
    expect(translator.translate('not an event')).toMatchObject([
      { kind: 'refused', rule: 'salesforce-change-event' },
    ])
  })

  it('stop the start when LEADCLOCK_SALESFORCE_MAPPING is invalid, naming the file, line and field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-salesforce-')), 'salesforce.yaml')
    writeFileSync(
      file,
      'leadCreation: { source: salesforce }\nstatuses: {}\ntasks: { completedStatuses: [Completed], activityTypes: {}, otherwise: call }\n',
    )
    const start = salesforceTranslatorOf(
      configFromEnvironment({ LEADCLOCK_SALESFORCE_MAPPING: file }),
    )
    await expect(start).rejects.toThrow(ConfigurationError)
    await expect(start).rejects.toThrow(
      `the Salesforce mapping is invalid:\n  ${file}:1:1 owners: is required (expected record)`,
    )
  })
})

describe('the CRM-task channel from the environment', () => {
  it('is off when no CRM token is set', async () => {
    expect(await crmTaskChannelOf(configFromEnvironment({}))).toBeUndefined()
  })

  it('stops the start naming the missing variable when a CRM is half configured', () => {
    expect(() =>
      configFromEnvironment({ LEADCLOCK_SALESFORCE_ACCESS_TOKEN: '00D!session' }),
    ).toThrow(
      new ConfigurationError(
        'notification settings are invalid:\n  LEADCLOCK_SALESFORCE_ACCESS_TOKEN is set but LEADCLOCK_SALESFORCE_INSTANCE_URL is not: set both for Salesforce tasks',
      ),
    )
  })

  it('writes HubSpot tasks through the owners of LEADCLOCK_HUBSPOT_MAPPING', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-hubspot-')), 'hubspot.yaml')
    writeFileSync(
      file,
      "contactCreation: { source: hubspot }\npropertyChanges: {}\nowners: { '7001': sdr-ana-lopez }\n",
    )
    const peer = await startHubspotPeer()
    try {
      const channel = await crmTaskChannelOf(
        configFromEnvironment({
          LEADCLOCK_HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN,
          LEADCLOCK_HUBSPOT_API_URL: peer.url,
          LEADCLOCK_HUBSPOT_MAPPING: file,
        }),
      )
      expect(channel?.name).toBe('crm-task')
      const notification = sampleNotification({
        channel: 'crm-task',
        message: { leadId: 'hubspot-contact-651' },
        recipient: { personId: 'sdr-ana-lopez' },
      })
      expect(await channel?.deliver(notification, 0)).toEqual({ ok: true })
      expect(
        peer.records.map((task) => [task.properties.hubspot_owner_id, task.associations[0]?.to.id]),
      ).toEqual([['7001', '651']])
    } finally {
      await peer.close()
    }
  })

  it('stops the start when the mapping of a configured CRM is invalid', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadclock-salesforce-')), 'salesforce.yaml')
    writeFileSync(file, 'owners: {}\n')
    const start = crmTaskChannelOf(
      configFromEnvironment({
        LEADCLOCK_SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
        LEADCLOCK_SALESFORCE_ACCESS_TOKEN: '00D!session',
        LEADCLOCK_SALESFORCE_MAPPING: file,
      }),
    )
    await expect(start).rejects.toThrow(ConfigurationError)
    await expect(start).rejects.toThrow(
      `the Salesforce mapping is invalid:\n  ${file}:1:1 leadCreation: is required (expected object)`,
    )
  })
})
