import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { SAMPLE_TEAM } from '../../sample/sample-team.js'
import { loadDefaultPolicy } from '../test-support.js'
import type { Roster } from './roster.js'
import { capacityOf, findPerson, isOutOfOffice, managerChain, parseRoster } from './roster.js'

const policy = loadDefaultPolicy()
const defaultText = readFileSync(
  new URL('../../../roster/default-roster.yaml', import.meta.url),
  'utf8',
)

function parseOk(text: string): Roster {
  const result = parseRoster(text, 'roster.yaml', policy)
  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems))
  }
  return result.roster
}

function problemsOf(text: string): { line: number; path: string; message: string }[] {
  const result = parseRoster(text, 'roster.yaml', policy)
  if (result.ok) {
    throw new Error('expected problems')
  }
  return result.problems.map(({ line, path, message }) => ({ line, path, message }))
}

function person(id: string, extra = ''): string {
  const fields = new Map<string, string>([
    ['id', id],
    ['name', `P ${id}`],
    ['email', `${id}@x.example`],
    ['role', 'sdr'],
    ['calendarId', 'us-east'],
  ])
  for (const match of extra.matchAll(/,\s*(\w+): ((?:\[[^\]]*\])|[^,]+)/g)) {
    fields.set(match[1] ?? '', match[2] ?? '')
  }
  return `  - { ${[...fields].map(([key, value]) => `${key}: ${value}`).join(', ')} }\n`
}

describe('the default roster', () => {
  const roster = parseOk(defaultText)

  it('holds every member of the sample team with the same role, manager and calendar', () => {
    for (const member of SAMPLE_TEAM) {
      const found = findPerson(roster, member.id)
      expect(found, member.id).toMatchObject({
        name: member.name,
        email: member.email,
        role: member.role,
        managerId: member.managerId,
        calendarId: member.calendar,
        active: true,
      })
    }
    expect(roster.people).toHaveLength(SAMPLE_TEAM.length + 1) // + a CS person
  })

  it('is frozen and defaults capacity from the policy', () => {
    expect(Object.isFrozen(roster.people[0])).toBe(true)
    const ana = findPerson(roster, 'sdr-ana-lopez')
    expect(ana && capacityOf(ana, policy)).toBe(15)
  })

  it('walks the manager chain, nearest first', () => {
    expect(managerChain(roster, 'sdr-ana-lopez').map((p) => p.id)).toEqual([
      'mgr-carla-reyes',
      'vp-grace-okafor',
    ])
    expect(managerChain(roster, 'vp-grace-okafor')).toEqual([])
    expect(managerChain(roster, 'nobody')).toEqual([])
  })
})

describe('roster problems', () => {
  it('names the path, line and message of each mistake', () => {
    const text =
      'people:\n' +
      person('a', ', managerId: ghost') +
      person('b', ', role: boss') +
      person('c', ', countries: [usa]') +
      person('d', ', calendarId: mars')
    expect(problemsOf(text)).toEqual([
      {
        line: 3,
        path: 'people[1].role',
        message: expect.stringContaining('"boss" is not allowed; allowed: "sdr", "ae"') as string,
      },
      {
        line: 4,
        path: 'people[2].countries[0]',
        message: 'must be an ISO 3166-1 alpha-2 country code',
      },
    ])
  })

  it('reports unknown managers, unknown calendars and duplicate ids after the shape is valid', () => {
    const text =
      'people:\n' +
      person('a', ', managerId: ghost') +
      person('a') +
      person('d', ', calendarId: mars')
    expect(problemsOf(text)).toEqual([
      { line: 2, path: 'people[0].managerId', message: 'no person "ghost" in the roster' },
      { line: 3, path: 'people[1].id', message: 'duplicate person id "a"' },
      {
        line: 4,
        path: 'people[2].calendarId',
        message:
          '"mars" is not a policy calendar; allowed: us-east, us-central, us-west, uk, dach, india, anz',
      },
    ])
  })

  it('rejects reporting cycles once', () => {
    const text =
      'people:\n' +
      person('a', ', managerId: b') +
      person('b', ', managerId: c') +
      person('c', ', managerId: a') +
      person('d', ', managerId: a')
    expect(problemsOf(text)).toEqual([
      { line: 2, path: 'people[0].managerId', message: 'reporting cycle: a → b → c → a' },
    ])
  })

  it('checks named accounts and out-of-office periods', () => {
    const text =
      'people:\n' +
      person('a', ", outOfOffice: [{ from: '2026-03-05', to: '2026-03-02' }]") +
      person('b', ", outOfOffice: [{ from: 'soon', to: '2026-03-02T09:00:00Z' }]") +
      'namedAccounts:\n' +
      '  - { domain: acme.com, ownerId: a, backupOwnerId: a }\n' +
      '  - { domain: acme.com, ownerId: a, backupOwnerId: ghost }\n' +
      '  - { domain: Acme.COM, ownerId: a, backupOwnerId: b }\n'
    expect(problemsOf(text)).toEqual([
      {
        line: 3,
        path: 'people[1].outOfOffice[0].from',
        message: '"soon" is neither a date YYYY-MM-DD nor an instant such as 2026-03-02T09:00:00Z',
      },
      {
        line: 7,
        path: 'namedAccounts[2].domain',
        message: 'must be a lower-case domain such as "acme.com"',
      },
    ])
    const fixed = text.replace("'soon'", "'2026-03-01'").replace('Acme.COM', 'acme.org')
    expect(problemsOf(fixed)).toEqual([
      {
        line: 2,
        path: 'people[0].outOfOffice[0].to',
        message: 'ends (2026-03-02) before it starts (2026-03-05)',
      },
      {
        line: 5,
        path: 'namedAccounts[0].backupOwnerId',
        message: 'the backup owner must differ from the owner',
      },
      { line: 6, path: 'namedAccounts[1].domain', message: 'duplicate domain "acme.com"' },
      {
        line: 6,
        path: 'namedAccounts[1].backupOwnerId',
        message: 'no person "ghost" in the roster',
      },
    ])
  })

  it('reports YAML syntax errors and unknown keys', () => {
    expect(problemsOf('people: [\n')[0]?.message).toMatch(/^YAML syntax error/)
    expect(problemsOf('people:\n' + person('a', ', team: x'))).toEqual([
      {
        line: 2,
        path: 'people[0].team',
        message: 'unknown key "team"; check its spelling (the JSON Schema lists every key)',
      },
    ])
  })
})

describe('out of office', () => {
  const roster = parseOk(
    'people:\n' +
      person('a', ", outOfOffice: [{ from: '2026-03-02', to: '2026-03-03' }]") +
      person(
        'b',
        ", outOfOffice: [{ from: '2026-03-02T09:00:00Z', to: '2026-03-02T12:00:00+01:00' }]",
      ),
  )
  const [a, b] = roster.people
  it('counts date bounds as whole local days, `to` inclusive', () => {
    if (!a) {
      throw new Error('missing')
    }
    const berlin = 'Europe/Berlin'
    expect(isOutOfOffice(a, Date.parse('2026-03-01T22:59:59Z'), berlin)).toBe(false)
    expect(isOutOfOffice(a, Date.parse('2026-03-01T23:00:00Z'), berlin)).toBe(true)
    expect(isOutOfOffice(a, Date.parse('2026-03-03T22:59:59Z'), berlin)).toBe(true)
    expect(isOutOfOffice(a, Date.parse('2026-03-03T23:00:00Z'), berlin)).toBe(false)
    expect(isOutOfOffice(a, Date.parse('2026-03-04T04:00:00Z'), 'America/New_York')).toBe(true)
  })
  it('counts instant bounds exactly, `to` exclusive', () => {
    if (!b) {
      throw new Error('missing')
    }
    expect(isOutOfOffice(b, Date.parse('2026-03-02T08:59:59Z'), 'UTC')).toBe(false)
    expect(isOutOfOffice(b, Date.parse('2026-03-02T09:00:00Z'), 'UTC')).toBe(true)
    expect(isOutOfOffice(b, Date.parse('2026-03-02T11:00:00Z'), 'UTC')).toBe(false)
  })
})
