/** The default HubSpot mapping for tests, with the owner mappings a test gives. */
import { readFileSync } from 'node:fs'

import { defaultHubspotMappingPath } from './hubspot-intake.js'
import type { HubspotMapping } from './hubspot-mapping.js'
import { parseHubspotMapping } from './hubspot-mapping.js'

export function defaultHubspotMapping(
  owners: Readonly<Record<string, string>> = {},
): HubspotMapping {
  const parsed = parseHubspotMapping(readFileSync(defaultHubspotMappingPath(), 'utf8'), 'hubspot')
  if (!parsed.ok) {
    throw new Error(`the default HubSpot mapping is invalid: ${JSON.stringify(parsed.problems)}`)
  }
  return { ...parsed.value, owners: { ...parsed.value.owners, ...owners } }
}
