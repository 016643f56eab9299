/**
 * The HubSpot mapping: which webhook events and property values mean which Leadclock events, and
 * which HubSpot owner is which roster person. Data (connectors/hubspot.default.yaml), validated
 * with located problems like the policy.
 */
import { z } from 'zod'

import { integrationEventRefusal } from '../../access/access-roles.js'
import {
  isLeadEventType,
  LEAD_EVENT_TYPES,
  leadEventPayloadSchemas,
} from '../../domain/lead-events.js'
import type { ParsedYaml, UnlocatedProblem } from '../../policy/yaml-document.js'
import { parseValidatedYaml } from '../../policy/yaml-document.js'

const eventRuleSchema = z.strictObject({
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).default({}),
})
export type HubspotEventRule = z.infer<typeof eventRuleSchema>

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
      Object.entries(values).flatMap(([value, rule]): UnlocatedProblem[] => {
        const at = ['propertyChanges', property, value]
        if (!isLeadEventType(rule.type)) {
          return [
            {
              path: [...at, 'type'],
              message: `unknown event type "${rule.type}"; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
            },
          ]
        }
        // The webhook speaks with an integration's rights: never Leadclock's own events.
        const refusal = integrationEventRefusal(rule.type)
        if (refusal !== undefined) {
          return [{ path: [...at, 'type'], message: refusal }]
        }
        const payload = leadEventPayloadSchemas[rule.type].safeParse(rule.payload)
        return payload.success
          ? []
          : payload.error.issues.map((issue) => ({
              path: [...at, 'payload', ...issue.path.map(String)],
              message: issue.message,
            }))
      }),
    ),
  )
}

export function parseHubspotMapping(text: string, file: string): ParsedYaml<HubspotMapping> {
  return parseValidatedYaml(text, file, hubspotMappingSchema, ruleProblems)
}
