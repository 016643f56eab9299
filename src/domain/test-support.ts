/**
 * Helpers for domain tests: the default policy and a builder of lead events.
 * Not imported by production code.
 */
import { readFileSync } from 'node:fs'

import { defaultPolicyPath, packageFilePath } from '../policy/load-policy-file.js'
import { parsePolicy } from '../policy/parse-policy.js'
import type { Policy } from '../policy/policy-schema.js'
import type { LeadEventPayload, LeadEventType } from './lead-events.js'
import type { NewLeadEvent } from './recorded-event.js'

export function loadDefaultPolicy(): Policy {
  return loadPolicyAt(defaultPolicyPath())
}

/** The shipped example policy with seed 002's ACV tiers turned on. */
export function loadAcvTiersPolicy(): Policy {
  return loadPolicyAt(packageFilePath('policies', 'acv-tiers.yaml'))
}

function loadPolicyAt(path: string): Policy {
  const result = parsePolicy(readFileSync(path, 'utf8'), path)
  if (!result.ok) {
    throw new Error(`policy ${path} invalid: ${JSON.stringify(result.problems)}`)
  }
  return result.policy
}

/** Tuesday 2026-03-03 14:00 UTC (09:00 in New York). */
export const REFERENCE_TIMESTAMP = Date.parse('2026-03-03T14:00:00Z')
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

export function leadEvent<T extends LeadEventType>(
  leadId: string,
  type: T,
  payload: LeadEventPayload<T>,
  occurredAt: number,
  options: { receivedAt?: number; key?: string; actor?: string } = {},
): NewLeadEvent {
  return {
    idempotencyKey: options.key ?? `${leadId}:${type}:${occurredAt}`,
    leadId,
    type,
    occurredAt,
    receivedAt: options.receivedAt ?? occurredAt,
    actor: options.actor === undefined ? null : { id: options.actor },
    source: 'test',
    payload: payload,
  }
}

/** A lead that fits the ICP on every count: software, 200 people, a VP, in the US. */
export const IDEAL_PROFILE = {
  firstName: 'Dana',
  lastName: 'Reyes',
  email: 'dana.reyes@acmesoft.com',
  phone: '+1 212 555 0142',
  title: 'VP Marketing',
  company: 'Acmesoft',
  companySize: 200,
  industry: 'Software',
  country: 'US',
} as const

export const created = (
  leadId: string,
  profile: Record<string, unknown> = IDEAL_PROFILE,
  at = REFERENCE_TIMESTAMP,
) => leadEvent(leadId, 'lead.created', { profile, source: 'demo-request' }, at)

/** A Tier 1 MQL, routed and enriched: Marketing's half done at T0 + 2 min. */
/** A Tier 1 MQL, routed and enriched: Marketing's half done at T0 + 2 min. */
export function mqlEvents(
  leadId = 'lead-1',
  T0 = REFERENCE_TIMESTAMP,
  ownerId = 'sdr-ana',
): NewLeadEvent[] {
  return [
    created(leadId, IDEAL_PROFILE, T0),
    leadEvent(leadId, 'intent.recorded', { action: 'demo-request' }, T0 + MINUTE),
    leadEvent(leadId, 'lead.enriched', { profile: { companySize: 200 } }, T0 + MINUTE + 1),
    leadEvent(leadId, 'owner.assigned', { ownerId, reason: 'round robin' }, T0 + 2 * MINUTE),
  ]
}

export function salEvents(leadId = 'lead-1', T0 = REFERENCE_TIMESTAMP): NewLeadEvent[] {
  return [
    ...mqlEvents(leadId, T0),
    leadEvent(leadId, 'sal.accepted', {}, T0 + 10 * MINUTE, { actor: 'sdr-ana' }),
  ]
}

export const FULL_QUALIFICATION = {
  painStatement:
    'Leads sit for 2 days before anyone calls; they lose 30% of demos to faster rivals.',
  timeline: 'Decision before end of Q2',
  meetingLink: 'https://meet.example.com/acme-discovery',
  meddpic: {
    metrics: '30% of demos lost',
    'decision-process': 'VP + CFO sign-off',
    'implicate-pain': 'Board target on pipeline',
  },
}

export function sqlEvents(leadId = 'lead-1', T0 = REFERENCE_TIMESTAMP): NewLeadEvent[] {
  return [
    ...salEvents(leadId, T0),
    leadEvent(
      leadId,
      'meeting.booked',
      { meetingAt: T0 + 3 * DAY, link: 'https://meet.example.com/acme-discovery' },
      T0 + DAY,
    ),
    leadEvent(
      leadId,
      'sql.promoted',
      { aeId: 'ae-omar', qualification: FULL_QUALIFICATION },
      T0 + DAY + HOUR,
    ),
  ]
}

/** Gives each lead its own address, or intake would match the leads as duplicates of the first. */
export function withOwnAddress(events: readonly NewLeadEvent[]): NewLeadEvent[] {
  return events.map((event) =>
    event.type === 'lead.created'
      ? {
          ...event,
          payload: {
            ...event.payload,
            profile: {
              ...(event.payload.profile as Record<string, unknown>),
              email: `${event.leadId}@acmesoft.com`,
            },
          },
        }
      : event,
  )
}
