import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { defaultHubspotMappingPath } from './connectors/hubspot/hubspot-intake.js'
import { defaultSalesforceMappingPath } from './connectors/salesforce/salesforce-intake.js'
import {
  ConfigurationError,
  configFromEnvironment,
  hubspotIntakeOf,
  salesforceTranslatorOf,
} from './main.js'

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
