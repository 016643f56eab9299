/** Helpers for tests that need the team: the default roster. Not imported by production code. */
import { readFileSync } from 'node:fs'

import { packageFilePath } from '../../policy/load-policy-file.js'
import type { Policy } from '../../policy/policy-schema.js'
import type { Roster } from './roster.js'
import { parseRoster } from './roster.js'

/** roster/default-roster.yaml, validated against the policy; a problem fails the test file. */
export function loadDefaultRoster(policy: Policy): Roster {
  const result = parseRoster(
    readFileSync(packageFilePath('roster', 'default-roster.yaml'), 'utf8'),
    'default-roster.yaml',
    policy,
  )
  if (!result.ok) {
    throw new Error(`default roster invalid: ${JSON.stringify(result.problems)}`)
  }
  return result.roster
}
