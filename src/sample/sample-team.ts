/**
 * The revenue team of the sample data: 6 SDRs and 4 AEs across three regions, with the manager
 * chain above them (SDR manager, AE manager, VPs, RevOps) that escalations walk up.
 */

export type SampleRole =
  'sdr' | 'ae' | 'sdr-manager' | 'ae-manager' | 'vp-sales' | 'vp-marketing' | 'revops'

/** na: US and Canada; emea: UK, Ireland, DACH; apac: India, Australia, New Zealand. */
export type SampleRegion = 'na' | 'emea' | 'apac' | 'global'

export interface SamplePerson {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly role: SampleRole
  readonly region: SampleRegion
  /** Who this person reports to; null at the top of the chain. */
  readonly managerId: string | null
  /** The policy calendar of the person's working hours (the `owner` calendar of SLA clocks). */
  readonly calendar: string
}

const person = (
  id: string,
  name: string,
  role: SampleRole,
  region: SampleRegion,
  managerId: string | null,
  calendar: string,
): SamplePerson => ({
  id,
  name,
  email: `${name.toLowerCase().replace(/\s+/g, '.')}@leadclock.example`,
  role,
  region,
  managerId,
  calendar,
})

const VP_SALES = 'vp-grace-okafor'
const SDR_MANAGER = 'mgr-carla-reyes'
const AE_MANAGER = 'mgr-david-chen'

export const SAMPLE_TEAM: readonly SamplePerson[] = Object.freeze([
  person(VP_SALES, 'Grace Okafor', 'vp-sales', 'global', null, 'us-east'),
  person('vp-henrik-larsen', 'Henrik Larsen', 'vp-marketing', 'global', null, 'us-east'),
  person('revops-mei-tanaka', 'Mei Tanaka', 'revops', 'global', VP_SALES, 'us-central'),
  person(SDR_MANAGER, 'Carla Reyes', 'sdr-manager', 'global', VP_SALES, 'us-east'),
  person(AE_MANAGER, 'David Chen', 'ae-manager', 'global', VP_SALES, 'us-east'),
  person('sdr-ana-lopez', 'Ana Lopez', 'sdr', 'na', SDR_MANAGER, 'us-east'),
  person('sdr-jake-turner', 'Jake Turner', 'sdr', 'na', SDR_MANAGER, 'us-central'),
  person('sdr-maya-brooks', 'Maya Brooks', 'sdr', 'na', SDR_MANAGER, 'us-west'),
  person('sdr-tom-baker', 'Tom Baker', 'sdr', 'emea', SDR_MANAGER, 'uk'),
  person('sdr-lena-fischer', 'Lena Fischer', 'sdr', 'emea', SDR_MANAGER, 'dach'),
  person('sdr-arjun-mehta', 'Arjun Mehta', 'sdr', 'apac', SDR_MANAGER, 'india'),
  person('ae-omar-haddad', 'Omar Haddad', 'ae', 'na', AE_MANAGER, 'us-east'),
  person('ae-rachel-kim', 'Rachel Kim', 'ae', 'na', AE_MANAGER, 'us-west'),
  person('ae-sophie-martin', 'Sophie Martin', 'ae', 'emea', AE_MANAGER, 'uk'),
  person('ae-liam-walsh', 'Liam Walsh', 'ae', 'apac', AE_MANAGER, 'anz'),
])

export function teamMember(id: string): SamplePerson | undefined {
  return SAMPLE_TEAM.find((member) => member.id === id)
}

export function teamOf(role: SampleRole, region: SampleRegion): readonly SamplePerson[] {
  return SAMPLE_TEAM.filter((member) => member.role === role && member.region === region)
}

/** The people above `id`, nearest first. */
export function managerChain(id: string): SamplePerson[] {
  const chain: SamplePerson[] = []
  let current = teamMember(id)
  while (current?.managerId) {
    const manager = teamMember(current.managerId)
    if (!manager || chain.includes(manager)) {
      break
    }
    chain.push(manager)
    current = manager
  }
  return chain
}
