import { describe, expect, it } from 'vitest'

import { crmTaskSettingsFromEnvironment } from './crm-task-settings.js'
import { defaultHubspotMappingPath } from './hubspot/hubspot-intake.js'
import { defaultSalesforceMappingPath } from './salesforce/salesforce-intake.js'

describe('crmTaskSettingsFromEnvironment', () => {
  it('is off for both CRMs when nothing is set', () => {
    expect(crmTaskSettingsFromEnvironment({})).toEqual({ settings: {}, problems: [] })
  })

  it('turns HubSpot on with its token, with the default API URL, key property and mapping', () => {
    expect(crmTaskSettingsFromEnvironment({ LEADCLOCK_HUBSPOT_ACCESS_TOKEN: ' pat-1 ' })).toEqual({
      settings: {
        hubspot: {
          apiUrl: 'https://api.hubapi.com',
          accessToken: 'pat-1',
          taskKeyProperty: 'leadclock_task_key',
          mappingPath: defaultHubspotMappingPath(),
        },
      },
      problems: [],
    })
  })

  it('turns Salesforce on with its instance URL and token, and takes every setting given', () => {
    expect(
      crmTaskSettingsFromEnvironment({
        LEADCLOCK_SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com/',
        LEADCLOCK_SALESFORCE_ACCESS_TOKEN: '00D!session',
        LEADCLOCK_SALESFORCE_API_VERSION: 'v64.0',
        LEADCLOCK_SALESFORCE_TASK_KEY_FIELD: 'SLA_Key__c',
        LEADCLOCK_SALESFORCE_MAPPING: '/etc/leadclock/salesforce.yaml',
        LEADCLOCK_HUBSPOT_ACCESS_TOKEN: 'pat-1',
        LEADCLOCK_HUBSPOT_API_URL: 'http://127.0.0.1:9000/hubspot/',
        LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY: 'sla_task_key',
      }),
    ).toEqual({
      settings: {
        hubspot: {
          apiUrl: 'http://127.0.0.1:9000/hubspot',
          accessToken: 'pat-1',
          taskKeyProperty: 'sla_task_key',
          mappingPath: defaultHubspotMappingPath(),
        },
        salesforce: {
          instanceUrl: 'https://acme.my.salesforce.com',
          accessToken: '00D!session',
          apiVersion: 'v64.0',
          taskKeyField: 'SLA_Key__c',
          mappingPath: '/etc/leadclock/salesforce.yaml',
        },
      },
      problems: [],
    })
    expect(
      crmTaskSettingsFromEnvironment({
        LEADCLOCK_SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
        LEADCLOCK_SALESFORCE_ACCESS_TOKEN: '00D!session',
      }).settings.salesforce,
    ).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
      accessToken: '00D!session',
      apiVersion: 'v62.0',
      taskKeyField: 'Leadclock_Task_Key__c',
      mappingPath: defaultSalesforceMappingPath(),
    })
  })

  it('names the missing variable when a CRM is half configured, and stays off', () => {
    expect(
      crmTaskSettingsFromEnvironment({
        LEADCLOCK_SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
        LEADCLOCK_HUBSPOT_API_URL: 'https://api.hubapi.com',
        LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY: 'leadclock_task_key',
      }),
    ).toEqual({
      settings: {},
      problems: [
        'LEADCLOCK_HUBSPOT_API_URL is set but LEADCLOCK_HUBSPOT_ACCESS_TOKEN is not: set it for HubSpot tasks',
        'LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY is set but LEADCLOCK_HUBSPOT_ACCESS_TOKEN is not: set it for HubSpot tasks',
        'LEADCLOCK_SALESFORCE_INSTANCE_URL is set but LEADCLOCK_SALESFORCE_ACCESS_TOKEN is not: set both for Salesforce tasks',
      ],
    })
    expect(
      crmTaskSettingsFromEnvironment({
        LEADCLOCK_SALESFORCE_ACCESS_TOKEN: '00D!session',
      }).problems,
    ).toEqual([
      'LEADCLOCK_SALESFORCE_ACCESS_TOKEN is set but LEADCLOCK_SALESFORCE_INSTANCE_URL is not: set both for Salesforce tasks',
    ])
    expect(
      crmTaskSettingsFromEnvironment({ LEADCLOCK_SALESFORCE_API_VERSION: 'v62.0' }).problems,
    ).toEqual([
      'LEADCLOCK_SALESFORCE_API_VERSION is set but LEADCLOCK_SALESFORCE_ACCESS_TOKEN is not: set it for Salesforce tasks',
    ])
  })

  it('names each malformed value and its rule, never the value', () => {
    const { problems } = crmTaskSettingsFromEnvironment({
      LEADCLOCK_HUBSPOT_ACCESS_TOKEN: 'pat-secret',
      LEADCLOCK_HUBSPOT_API_URL: 'http://api.hubapi.com',
      LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY: 'Leadclock Key',
      LEADCLOCK_SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com?token=x',
      LEADCLOCK_SALESFORCE_ACCESS_TOKEN: 'session-secret',
      LEADCLOCK_SALESFORCE_API_VERSION: '62',
      LEADCLOCK_SALESFORCE_TASK_KEY_FIELD: 'Leadclock_Key',
    })
    expect(problems).toEqual([
      'LEADCLOCK_HUBSPOT_API_URL must be an https:// URL without query (http:// only to localhost)',
      'LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY must be a HubSpot property internal name (lowercase letters, digits, _)',
      'LEADCLOCK_SALESFORCE_INSTANCE_URL must be an https:// URL without query (http:// only to localhost)',
      'LEADCLOCK_SALESFORCE_API_VERSION must be a REST API version such as v62.0',
      'LEADCLOCK_SALESFORCE_TASK_KEY_FIELD must be the API name of a custom field, such as Leadclock_Task_Key__c',
    ])
    expect(problems.join(' ')).not.toMatch(/secret|token=x/)
  })
})
