/** The default HubSpot mapping for tests, with the owner mappings a test gives. */
import { defaultMappingWithOwners } from '../test-support.js'
import { defaultHubspotMappingPath } from './hubspot-intake.js'
import type { HubspotMapping } from './hubspot-mapping.js'
import { parseHubspotMapping } from './hubspot-mapping.js'

export function defaultHubspotMapping(
  owners: Readonly<Record<string, string>> = {},
): HubspotMapping {
  return defaultMappingWithOwners(defaultHubspotMappingPath(), parseHubspotMapping, owners)
}
