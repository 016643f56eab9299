/**
 * What every CRM connector mapping shares: a rule naming the Leadclock event a CRM value means,
 * checked like the policy (located problems), and the mapping file read from disk.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

import { integrationEventRefusal } from '../access/access-roles.js'
import {
  isLeadEventType,
  LEAD_EVENT_TYPES,
  leadEventPayloadSchemas,
} from '../domain/lead-events.js'
import type { ParsedYaml, UnlocatedProblem } from '../policy/yaml-document.js'
import { formatLocatedProblem } from '../policy/yaml-document.js'

export const eventRuleSchema = z.strictObject({
  type: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).default({}),
})
export type EventRule = z.infer<typeof eventRuleSchema>

/** The rule's event type is Leadclock's, one an integration may post, with a payload it takes. */
export function eventRuleProblems(rule: EventRule, at: readonly string[]): UnlocatedProblem[] {
  if (!isLeadEventType(rule.type)) {
    return [
      {
        path: [...at, 'type'],
        message: `unknown event type "${rule.type}"; allowed: ${LEAD_EVENT_TYPES.join(', ')}`,
      },
    ]
  }
  // A connector speaks with an integration's rights: never Leadclock's own events.
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
}

export type LoadedMapping<T> =
  | { readonly ok: true; readonly mapping: T }
  | { readonly ok: false; readonly problems: readonly string[] }

/** The mapping file, or its problems (file:line:column path: message). */
export async function loadConnectorMapping<T>(
  path: string,
  vendor: string,
  parse: (text: string, file: string) => ParsedYaml<T>,
): Promise<LoadedMapping<T>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    return {
      ok: false,
      problems: [`${path}: cannot read the ${vendor} mapping (${(error as Error).message})`],
    }
  }
  const parsed = parse(text, path)
  return parsed.ok
    ? { ok: true, mapping: parsed.value }
    : { ok: false, problems: parsed.problems.map(formatLocatedProblem) }
}

export type CrmOwner =
  { readonly ok: true; readonly ownerId: string } | { readonly ok: false; readonly reason: string }

/**
 * The CRM owner an owner mapping (CRM owner id → roster person) gives a roster person: the one
 * entry naming them. None, or several (which one would the task go to?), is a reason, never a guess.
 */
export function crmOwnerOf(
  owners: Readonly<Record<string, string>>,
  personId: string | null,
): CrmOwner {
  if (personId === null) {
    return { ok: false, reason: 'the recipient is not a roster person' }
  }
  const ownerIds = Object.keys(owners).filter((ownerId) => owners[ownerId] === personId)
  const [ownerId] = ownerIds
  if (ownerId === undefined) {
    return { ok: false, reason: `no entry of owners maps to ${personId}` }
  }
  return ownerIds.length === 1
    ? { ok: true, ownerId }
    : { ok: false, reason: `owners ${ownerIds.join(', ')} all map to ${personId}: keep one` }
}
