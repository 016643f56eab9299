/**
 * Who a step goes to. Selectors come from the policy: `owner` is the person who owns the clock
 * (the SDR, the AE, or everyone holding a team role such as marketing-ops), `owner-manager` their
 * manager from the roster; `sdr`/`ae` the lead's SDR or AE; `sdr-manager`/`ae-manager` that
 * rep's manager; any other role everyone active in it. During the grace period only the rep.
 */
import type { LeadState } from '../lead-state.js'
import type { Person, Roster } from '../team/roster.js'
import { findPerson, managerChain } from '../team/roster.js'
import type { PlannedStep } from './escalation-plan.js'

export interface NotificationRecipient {
  /** Roster person id; null when the role had nobody in the roster (the message still goes out). */
  readonly personId: string | null
  readonly name: string
  readonly email: string | null
  readonly role: string
}

function asRecipient(person: Person): NotificationRecipient {
  return { personId: person.id, name: person.name, email: person.email, role: person.role }
}

function unstaffed(role: string): NotificationRecipient {
  return { personId: null, name: role, email: null, role }
}

/** The lead's person in a rep role: its AE (or owner) for `ae`, its SDR for `sdr`; else null. */
export function repOf(lead: LeadState, role: string): string | null {
  if (role === 'ae') {
    return lead.aeId ?? lead.ownerId
  }
  return role === 'sdr' ? lead.ownerId : null
}

function everyoneIn(roster: Roster, role: string): NotificationRecipient[] {
  const people = roster.people.filter((person) => person.role === role && person.active)
  return people.length > 0 ? people.map(asRecipient) : [unstaffed(role)]
}

/** The manager of `personId` holding `role` (nearest up the chain), else everyone in the role. */
function managerIn(roster: Roster, personId: string | null, role: string): NotificationRecipient[] {
  const manager =
    personId === null
      ? undefined
      : managerChain(roster, personId).find((person) => person.role === role)
  return manager ? [asRecipient(manager)] : everyoneIn(roster, role)
}

function select(
  selector: string,
  step: PlannedStep,
  lead: LeadState,
  roster: Roster,
): NotificationRecipient[] {
  const repId = repOf(lead, step.repRole)
  const rep = repId === null ? undefined : findPerson(roster, repId)
  switch (selector) {
    case 'owner':
      if (step.repRole === 'sdr' || step.repRole === 'ae') {
        return rep ? [asRecipient(rep)] : [unstaffed(step.repRole)]
      }
      return everyoneIn(roster, step.repRole)
    case 'owner-manager': {
      // A team role (revops) owns as a team: its members' managers.
      const owners = rep
        ? [rep]
        : step.repRole === 'sdr' || step.repRole === 'ae'
          ? []
          : roster.people.filter((person) => person.role === step.repRole && person.active)
      const managers = owners.flatMap((owner) => managerChain(roster, owner.id).slice(0, 1))
      return managers.length > 0 ? managers.map(asRecipient) : [unstaffed('owner-manager')]
    }
    case 'sdr':
    case 'ae': {
      const person = repOf(lead, selector)
      const found = person === null ? undefined : findPerson(roster, person)
      return found ? [asRecipient(found)] : [unstaffed(selector)]
    }
    case 'sdr-manager':
      return managerIn(roster, lead.ownerId, selector)
    case 'ae-manager':
      return managerIn(roster, lead.aeId ?? lead.ownerId, selector)
    default:
      return everyoneIn(roster, selector)
  }
}

/** The rep a step is about (the clock's owner), when one person owns it. */
export function repIdOf(step: PlannedStep, lead: LeadState): string | null {
  return repOf(lead, step.repRole)
}

export function resolveRecipients(
  step: PlannedStep,
  lead: LeadState,
  roster: Roster,
): NotificationRecipient[] {
  const selectors = step.graced ? ['owner'] : step.notify
  const recipients = selectors.flatMap((selector) => select(selector, step, lead, roster))
  const seen = new Set<string>()
  return recipients.filter((recipient) => {
    const key = recipient.personId ?? `role:${recipient.role}`
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  })
}
