/**
 * The roster in use: the one last saved through the API, else the roster file. Replacing it
 * validates first (located problems), then saves, so routing never sees a broken roster.
 */
import type { ParseRosterResult, Roster } from '../domain/team/roster.js'
import { formatRosterProblem, parseRoster } from '../domain/team/roster.js'
import type { Policy } from '../policy/policy-schema.js'
import type { AuditEntry } from './access-port.js'
import type { SettingsStore } from './routing-port.js'

const ROSTER_SETTING = 'roster'

export interface RosterSource {
  current(): Roster
  /**
   * Validates `text` (YAML or JSON) as the new roster; saves and uses it when valid, with the
   * audit entry `audit` makes of the change (in the same transaction).
   */
  replace(
    text: string,
    file: string,
    at: number,
    audit?: (before: Roster, after: Roster) => AuditEntry,
  ): Promise<ParseRosterResult>
}

export class RosterError extends Error {}

export async function openRosterSource(
  settings: SettingsStore,
  policy: Policy,
  file: { readonly path: string; readonly text: string },
): Promise<RosterSource> {
  // The text is kept as written, so it parses again exactly as it was validated.
  const stored = (await settings.getSetting(ROSTER_SETTING)) as { text?: unknown } | undefined
  const initial =
    typeof stored?.text === 'string'
      ? parseRoster(stored.text, 'roster (saved through the API)', policy)
      : parseRoster(file.text, file.path, policy)
  if (!initial.ok) {
    throw new RosterError(
      `the roster is invalid:\n${initial.problems.map((p) => `  ${formatRosterProblem(p)}`).join('\n')}`,
    )
  }
  let roster = initial.roster
  return {
    current: () => roster,
    async replace(text, name, at, audit) {
      const result = parseRoster(text, name, policy)
      if (result.ok) {
        await settings.putSetting(ROSTER_SETTING, { text }, at, audit?.(roster, result.roster))
        roster = result.roster
      }
      return result
    },
  }
}
