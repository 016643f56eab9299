/**
 * The CRM-task channel's settings, from the environment only (tokens never live in the
 * repository). Each CRM is on when its credentials are set; a setting of a CRM whose credentials
 * are missing, or a malformed value, is a problem naming the variable (never its value).
 */
import { isHttpsOrLoopback, parseUrl, setting } from '../notify/channels-from-environment.js'
import { hubspotMappingPathOf } from './hubspot/hubspot-intake.js'
import type { HubspotTaskOptions } from './hubspot/hubspot-tasks.js'
import {
  HUBSPOT_DEFAULT_API_URL,
  HUBSPOT_DEFAULT_TASK_KEY_PROPERTY,
} from './hubspot/hubspot-tasks.js'
import { salesforceMappingPathOf } from './salesforce/salesforce-intake.js'
import type { SalesforceTaskOptions } from './salesforce/salesforce-tasks.js'
import {
  SALESFORCE_DEFAULT_API_VERSION,
  SALESFORCE_DEFAULT_TASK_KEY_FIELD,
} from './salesforce/salesforce-tasks.js'

type Env = Record<string, string | undefined>

/** A CRM's task settings: its sink's options but the owners, read from its mapping file. */
export type HubspotTaskSettings = Pick<
  HubspotTaskOptions,
  'apiUrl' | 'accessToken' | 'taskKeyProperty'
> & { readonly mappingPath: string }

export type SalesforceTaskSettings = Pick<
  SalesforceTaskOptions,
  'instanceUrl' | 'accessToken' | 'apiVersion' | 'taskKeyField'
> & { readonly mappingPath: string }

export interface CrmTaskSettings {
  readonly hubspot?: HubspotTaskSettings
  readonly salesforce?: SalesforceTaskSettings
}

const HUBSPOT_TOKEN = 'LEADCLOCK_HUBSPOT_ACCESS_TOKEN'
const HUBSPOT_OPTIONAL = ['LEADCLOCK_HUBSPOT_API_URL', 'LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY']
const SALESFORCE_URL = 'LEADCLOCK_SALESFORCE_INSTANCE_URL'
const SALESFORCE_TOKEN = 'LEADCLOCK_SALESFORCE_ACCESS_TOKEN'
const SALESFORCE_OPTIONAL = [
  'LEADCLOCK_SALESFORCE_API_VERSION',
  'LEADCLOCK_SALESFORCE_TASK_KEY_FIELD',
]

/** A base URL without its trailing slashes, or the rule it breaks. */
function baseUrl(name: string, value: string, problems: string[]): string {
  const url = parseUrl(value)
  if (url === null || !isHttpsOrLoopback(url) || url.search !== '' || url.hash !== '') {
    problems.push(`${name} must be an https:// URL without query (http:// only to localhost)`)
  }
  return value.replace(/\/+$/, '')
}

function matching(
  env: Env,
  name: string,
  fallback: string,
  rule: RegExp,
  what: string,
  problems: string[],
): string {
  const value = setting(env, name) ?? fallback
  if (!rule.test(value)) {
    problems.push(`${name} must be ${what}`)
  }
  return value
}

/** Problems for the optional settings of a CRM whose credentials are not set. */
function orphans(env: Env, names: readonly string[], missing: string, crm: string): string[] {
  return names
    .filter((name) => setting(env, name) !== undefined)
    .map((name) => `${name} is set but ${missing} is not: set it for ${crm} tasks`)
}

function hubspotOf(env: Env, problems: string[]): HubspotTaskSettings | undefined {
  const accessToken = setting(env, HUBSPOT_TOKEN)
  if (accessToken === undefined) {
    problems.push(...orphans(env, HUBSPOT_OPTIONAL, HUBSPOT_TOKEN, 'HubSpot'))
    return undefined
  }
  return {
    apiUrl: baseUrl(
      'LEADCLOCK_HUBSPOT_API_URL',
      setting(env, 'LEADCLOCK_HUBSPOT_API_URL') ?? HUBSPOT_DEFAULT_API_URL,
      problems,
    ),
    accessToken,
    taskKeyProperty: matching(
      env,
      'LEADCLOCK_HUBSPOT_TASK_KEY_PROPERTY',
      HUBSPOT_DEFAULT_TASK_KEY_PROPERTY,
      /^[a-z][a-z0-9_]{0,99}$/,
      'a HubSpot property internal name (lowercase letters, digits, _)',
      problems,
    ),
    mappingPath: hubspotMappingPathOf(env),
  }
}

function salesforceOf(env: Env, problems: string[]): SalesforceTaskSettings | undefined {
  const instanceUrl = setting(env, SALESFORCE_URL)
  const accessToken = setting(env, SALESFORCE_TOKEN)
  if (instanceUrl === undefined || accessToken === undefined) {
    if (instanceUrl !== undefined || accessToken !== undefined) {
      const [given, missing] =
        instanceUrl === undefined
          ? [SALESFORCE_TOKEN, SALESFORCE_URL]
          : [SALESFORCE_URL, SALESFORCE_TOKEN]
      problems.push(`${given} is set but ${missing} is not: set both for Salesforce tasks`)
    } else {
      problems.push(...orphans(env, SALESFORCE_OPTIONAL, SALESFORCE_TOKEN, 'Salesforce'))
    }
    return undefined
  }
  return {
    instanceUrl: baseUrl(SALESFORCE_URL, instanceUrl, problems),
    accessToken,
    apiVersion: matching(
      env,
      'LEADCLOCK_SALESFORCE_API_VERSION',
      SALESFORCE_DEFAULT_API_VERSION,
      /^v\d{2,3}\.0$/,
      'a REST API version such as v62.0',
      problems,
    ),
    taskKeyField: matching(
      env,
      'LEADCLOCK_SALESFORCE_TASK_KEY_FIELD',
      SALESFORCE_DEFAULT_TASK_KEY_FIELD,
      /^[A-Za-z][A-Za-z0-9_]{0,36}__c$/,
      'the API name of a custom field, such as Leadclock_Task_Key__c',
      problems,
    ),
    mappingPath: salesforceMappingPathOf(env),
  }
}

export function crmTaskSettingsFromEnvironment(env: Env): {
  readonly settings: CrmTaskSettings
  readonly problems: string[]
} {
  const problems: string[] = []
  const hubspot = hubspotOf(env, problems)
  const salesforce = salesforceOf(env, problems)
  return {
    settings: {
      ...(hubspot === undefined ? {} : { hubspot }),
      ...(salesforce === undefined ? {} : { salesforce }),
    },
    problems,
  }
}
