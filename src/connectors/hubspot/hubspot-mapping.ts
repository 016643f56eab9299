/**
 * The HubSpot mapping: which webhook events and property values mean which Leadclock events, and
 * which HubSpot owner is which roster person. Data (connectors/hubspot.default.yaml), validated
 * with located problems like the policy.
 */
import { z } from 'zod'

import type { ParsedYaml, UnlocatedProblem } from '../../policy/yaml-document.js'
import { parseValidatedYaml } from '../../policy/yaml-document.js'
import { eventRuleProblems, eventRuleSchema } from '../connector-mapping.js'

export const hubspotMappingSchema = z.strictObject({
  contactCreation: z.strictObject({ source: z.string().min(1).max(100) }),
  propertyChanges: z.record(z.string().min(1), z.record(z.string().min(1), eventRuleSchema)),
  /** HubSpot owner id → roster person id. */
  owners: z.record(z.string(), z.string().min(1)),
})
export type HubspotMapping = z.infer<typeof hubspotMappingSchema>

/** Each rule's event type is Leadclock's and its payload one that type takes; owner ids are digits. */
function ruleProblems(mapping: HubspotMapping): UnlocatedProblem[] {
  const owners = Object.keys(mapping.owners).flatMap((ownerId): UnlocatedProblem[] =>
    /^\d+$/.test(ownerId)
      ? []
      : [{ path: ['owners', ownerId], message: `"${ownerId}" is not a HubSpot owner id (digits)` }],
  )
  return owners.concat(
    ...Object.entries(mapping.propertyChanges).map(([property, values]) =>
      Object.entries(values).flatMap(([value, rule]) =>
        eventRuleProblems(rule, ['propertyChanges', property, value]),
      ),
    ),
  )
}

export function parseHubspotMapping(text: string, file: string): ParsedYaml<HubspotMapping> {
  return parseValidatedYaml(text, file, hubspotMappingSchema, ruleProblems)
}
