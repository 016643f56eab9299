/** The default Salesforce mapping for tests, and a fake Salesforce Task API on loopback. */
import type { PeerAnswer } from '../test-support.js'
import { defaultMappingWithOwners, startCrmPeer } from '../test-support.js'
import { defaultSalesforceMappingPath } from './salesforce-intake.js'
import type { SalesforceMapping } from './salesforce-mapping.js'
import { parseSalesforceMapping } from './salesforce-mapping.js'

export function defaultSalesforceMapping(
  owners: Readonly<Record<string, string>> = {},
): SalesforceMapping {
  return defaultMappingWithOwners(defaultSalesforceMappingPath(), parseSalesforceMapping, owners)
}

export const SALESFORCE_TOKEN = '00D5f000000TEST!AQ0AQtest-session'

/** A Task as the fake Salesforce keeps it: its fields by API name. */
export type SalesforcePeerTask = Record<string, string>

function salesforceError(status: number, errorCode: string, message: string): PeerAnswer {
  return { status, body: [{ message, errorCode }] }
}

/**
 * Salesforce's REST upsert of Task by External ID as the sink uses it, per its documentation:
 * `PATCH /services/data/<version>/sobjects/Task/<field>/<value>` creates (201) or updates (200)
 * and answers `{id, success, errors, created}`. A new task gets the org's default Status. Errors
 * have Salesforce's shape (`[{message, errorCode}]`).
 */
export function startSalesforcePeer(apiVersion = 'v62.0', keyField = 'Leadclock_Task_Key__c') {
  const prefix = `/services/data/${apiVersion}/sobjects/Task/`
  return startCrmPeer<SalesforcePeerTask>({
    token: SALESFORCE_TOKEN,
    unauthorized: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    handle(request, tasks) {
      if (request.method !== 'PATCH' || !request.path.startsWith(prefix)) {
        return salesforceError(404, 'NOT_FOUND', 'The requested resource does not exist')
      }
      const [field = '', value = ''] = request.path.slice(prefix.length).split('/')
      if (field !== keyField) {
        return salesforceError(
          404,
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${field}`,
        )
      }
      const fields = JSON.parse(request.body) as Record<string, string>
      if (!/^(00Q|003)/.test(fields.WhoId ?? '')) {
        return salesforceError(
          400,
          'INVALID_CROSS_REFERENCE_KEY',
          'Name ID: id value of incorrect type: ' + (fields.WhoId ?? ''),
        )
      }
      const key = decodeURIComponent(value)
      const existing = tasks.find((task) => task[keyField] === key)
      if (existing !== undefined) {
        Object.assign(existing, fields)
        return { status: 200, body: { id: existing.Id, success: true, errors: [], created: false } }
      }
      const id = `00T5f00000${String(tasks.length + 1).padStart(5, '0')}AAA`
      tasks.push({ Id: id, Status: 'Not Started', ...fields, [keyField]: key })
      return { status: 201, body: { id, success: true, errors: [], created: true } }
    },
  })
}
