/** The default Salesforce mapping for tests, with the owner mappings a test gives. */
import { defaultMappingWithOwners } from '../test-support.js'
import { defaultSalesforceMappingPath } from './salesforce-intake.js'
import type { SalesforceMapping } from './salesforce-mapping.js'
import { parseSalesforceMapping } from './salesforce-mapping.js'

export function defaultSalesforceMapping(
  owners: Readonly<Record<string, string>> = {},
): SalesforceMapping {
  return defaultMappingWithOwners(defaultSalesforceMappingPath(), parseSalesforceMapping, owners)
}
