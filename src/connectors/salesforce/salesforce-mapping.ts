/**
 * The Salesforce mapping: which LeadSource is which Leadclock source, which Lead Status means
 * which Leadclock event, and which Salesforce user is which roster person. Data
 * (connectors/salesforce.default.yaml), validated with located problems like the policy.
 */
import { z } from 'zod'

import { ACTIVITY_TYPES } from '../../domain/lead-events.js'
import type { ParsedYaml, UnlocatedProblem } from '../../policy/yaml-document.js'
import { parseValidatedYaml } from '../../policy/yaml-document.js'
import { eventRuleProblems, eventRuleSchema } from '../connector-mapping.js'

const leadSourceSchema = z.string().min(1).max(100)

export const salesforceMappingSchema = z.strictObject({
  leadCreation: z.strictObject({
    source: leadSourceSchema,
    leadSources: z.record(z.string().min(1), leadSourceSchema).default({}),
  }),
  statuses: z.record(z.string().min(1), eventRuleSchema),
  /** A Task about a lead, once in one of these statuses, is an activity of that lead. */
  tasks: z.strictObject({
    completedStatuses: z.array(z.string().min(1)).min(1),
    /** TaskSubtype → activity type; `otherwise` for a subtype not listed or none. */
    activityTypes: z.record(z.string().min(1), z.enum(ACTIVITY_TYPES)),
    otherwise: z.enum(ACTIVITY_TYPES),
  }),
  /** Salesforce user id → roster person id. */
  owners: z.record(z.string(), z.string().min(1)),
})
export type SalesforceMapping = z.infer<typeof salesforceMappingSchema>

/** A Salesforce record id: 15 or 18 letters and digits, its first three the object's prefix. */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/
/** The key prefix of User ids: only a user can be a lead's owner for Leadclock. */
export const USER_ID_PREFIX = '005'

function ruleProblems(mapping: SalesforceMapping): UnlocatedProblem[] {
  const owners = Object.keys(mapping.owners).flatMap((userId): UnlocatedProblem[] =>
    SALESFORCE_ID.test(userId) && userId.startsWith(USER_ID_PREFIX)
      ? []
      : [
          {
            path: ['owners', userId],
            message: `"${userId}" is not a Salesforce user id (15 or 18 characters starting 005)`,
          },
        ],
  )
  return owners.concat(
    ...Object.entries(mapping.statuses).map(([status, rule]) =>
      eventRuleProblems(rule, ['statuses', status]),
    ),
  )
}

export function parseSalesforceMapping(text: string, file: string): ParsedYaml<SalesforceMapping> {
  return parseValidatedYaml(text, file, salesforceMappingSchema, ruleProblems)
}
