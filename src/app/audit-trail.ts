/**
 * The audit trail's entries for manual changes: a transition a person asked for (the lead's stage
 * and owner before and after, and what was asked), a roster replaced (the people and named
 * accounts that changed, as they were and as they are), a policy replaced (its version and
 * fingerprint before and after, and the changes between them).
 */
import type { LeadState } from '../domain/lead-state.js'
import type { RecordedEvent } from '../domain/recorded-event.js'
import type { Roster } from '../domain/team/roster.js'
import { diffPolicies, formatPolicyChange } from '../policy/diff-policy.js'
import type { Policy } from '../policy/policy-schema.js'
import type { AuditEntry } from './access-port.js'
import type { ChangeOrigin } from './api-tokens.js'
import { auditEntry } from './api-tokens.js'
import type { LeadRecord } from './lead-repository.js'

export function transitionAudit(
  by: ChangeOrigin,
  event: RecordedEvent,
  before: LeadRecord,
  after: LeadState,
): AuditEntry {
  return auditEntry(by, {
    at: event.receivedAt,
    action: event.type,
    subject: event.leadId,
    before: { stage: before.stage, ownerId: before.ownerId },
    after: { stage: after.stage, ownerId: after.ownerId },
    detail: {
      eventId: event.eventId,
      idempotencyKey: event.idempotencyKey,
      payload: event.payload,
    },
  })
}

/** The entries of `before` and `after` that differ, by key (added: only after; removed: only before). */
function changedEntries<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
): { before: Record<string, T>; after: Record<string, T> } {
  const was = new Map(before.map((item) => [keyOf(item), item]))
  const is = new Map(after.map((item) => [keyOf(item), item]))
  const changed = [...new Set([...was.keys(), ...is.keys()])].filter(
    (key) => JSON.stringify(was.get(key)) !== JSON.stringify(is.get(key)),
  )
  const pick = (items: Map<string, T>) =>
    Object.fromEntries(
      changed.flatMap((key) => (items.has(key) ? [[key, items.get(key) as T]] : [])),
    )
  return { before: pick(was), after: pick(is) }
}

export function rosterAudit(
  by: ChangeOrigin,
  before: Roster,
  after: Roster,
  at: number,
): AuditEntry {
  const people = changedEntries(before.people, after.people, (person) => person.id)
  const accounts = changedEntries(
    before.namedAccounts,
    after.namedAccounts,
    (account) => account.domain,
  )
  return auditEntry(by, {
    at,
    action: 'roster.replaced',
    subject: 'roster',
    before: { people: people.before, namedAccounts: accounts.before },
    after: { people: people.after, namedAccounts: accounts.after },
    detail: { people: after.people.length, namedAccounts: after.namedAccounts.length },
  })
}

/** A policy as the audit trail records it (what LiveSettings keeps of the policy in use). */
export interface AuditedPolicy {
  readonly policy: Policy
  /** As written: what the changes are listed from. */
  readonly raw: unknown
  readonly fingerprint: string
  /** The file it was read from, or that it was saved through the API. */
  readonly name: string
}

const policyIdentity = (policy: AuditedPolicy) => ({
  version: policy.policy.version,
  effectiveFrom: policy.policy.effectiveFrom,
  fingerprint: policy.fingerprint,
  source: policy.name,
})

/**
 * The policy's identity before and after, and the changes between them as `leadclock policy diff`
 * lists them (not the whole text twice). `before` is undefined when the replaced policy no longer
 * parses (a policy stored by another version of Leadclock).
 */
export function policyAudit(
  by: ChangeOrigin,
  before: AuditedPolicy | undefined,
  after: AuditedPolicy,
  at: number,
): AuditEntry {
  return auditEntry(by, {
    at,
    action: 'policy.replaced',
    subject: 'policy',
    before: before === undefined ? null : policyIdentity(before),
    after: policyIdentity(after),
    detail: {
      changes:
        before === undefined ? null : diffPolicies(before.raw, after.raw).map(formatPolicyChange),
    },
  })
}
