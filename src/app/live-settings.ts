/**
 * The policy and the roster in use, shared by every process on one store. Both live in the
 * settings table with where they came from: saved through the API, or the file a process started
 * with. A process checks their versions (one query of two row versions) before each authenticated request and each
 * worker round and re-reads them when they changed, so a change made through any process is used
 * by all of them without a restart. What was saved through the API outlives restarts; a file
 * replaces only what an earlier start read from a file (and that change is audited as the local
 * operator's). Replacing either validates first (located problems), so nothing in use is broken.
 */
import type { ParseRosterResult, Roster } from '../domain/team/roster.js'
import { formatRosterProblem, parseRoster } from '../domain/team/roster.js'
import type { CalendarSet } from '../domain/sla-clock-view.js'
import { calendarSetOf } from '../domain/sla-clock-view.js'
import type { PolicyProblem } from '../policy/parse-policy.js'
import { formatPolicyProblem, parsePolicy } from '../policy/parse-policy.js'
import type { Policy } from '../policy/policy-schema.js'
import type { AuditEntry } from './access-port.js'
import type { ChangeOrigin } from './api-tokens.js'
import { policyAudit, rosterAudit } from './audit-trail.js'
import { policyFingerprint } from './policy-fingerprint.js'
import type { LiveRouting } from './route-mql.js'
import type { SettingsStore, StoredSetting } from './routing-port.js'

const POLICY_SETTING = 'policy'
const ROSTER_SETTING = 'roster'
const SETTINGS = [POLICY_SETTING, ROSTER_SETTING] as const

/** The name problems and `GET /policy` give a setting saved through the API. */
export const SAVED_POLICY_NAME = 'policy (saved through the API)'
export const SAVED_ROSTER_NAME = 'roster (saved through the API)'

export type SettingOrigin = 'api' | 'file'

/** A setting as stored: its text as written, so it parses again exactly as it was validated. */
interface SettingText {
  readonly text: string
  readonly origin: SettingOrigin
  /** The file it was read from, or SAVED_…_NAME. */
  readonly name: string
}

export interface PolicyInUse extends SettingText {
  readonly policy: Policy
  /** The policy as written (what the diff of two policies compares). */
  readonly raw: unknown
  readonly fingerprint: string
  readonly calendars: CalendarSet
  /** When it was saved in the store. */
  readonly savedAt: number
}

export interface RosterInUse extends SettingText {
  readonly roster: Roster
}

export interface SettingsInUse {
  readonly policy: PolicyInUse
  readonly roster: RosterInUse
}

export type ReplacePolicyResult =
  | { readonly ok: true; readonly policy: PolicyInUse }
  /** `policy`: the text is no valid policy; `roster`: the roster in use is invalid under it. */
  | {
      readonly ok: false
      readonly document: 'policy' | 'roster'
      readonly problems: readonly PolicyProblem[]
    }

export interface LiveSettings {
  /** What this process uses now: the stored settings as of the last refresh. */
  current(): SettingsInUse
  /** Re-reads the settings when another process changed them (concurrent calls share one check). */
  refresh(): Promise<void>
  replaceRoster(
    text: string,
    at: number,
    audit?: (before: Roster, after: Roster) => AuditEntry,
  ): Promise<ParseRosterResult>
  replacePolicy(
    text: string,
    at: number,
    audit?: (before: PolicyInUse, after: PolicyInUse) => AuditEntry,
  ): Promise<ReplacePolicyResult>
}

export class SettingsError extends Error {}

export interface SettingFile {
  readonly path: string
  readonly text: string
}

/** A process starting: the files it was given, and who started it (for the audit trail). */
export interface SettingsStart {
  readonly policyFile: SettingFile
  readonly rosterFile: SettingFile
  readonly at: number
  readonly operator: ChangeOrigin
}

function settingTextOf(
  stored: StoredSetting | undefined,
  savedName: string,
): SettingText | undefined {
  const value = stored?.value as Partial<SettingText> | undefined
  if (typeof value?.text !== 'string') {
    return undefined
  }
  // Rosters saved before settings recorded their origin were all saved through the API.
  return value.origin === 'file' && typeof value.name === 'string'
    ? { text: value.text, origin: 'file', name: value.name }
    : { text: value.text, origin: 'api', name: savedName }
}

function problemsText(problems: readonly PolicyProblem[]): string {
  return problems.map((problem) => `  ${formatPolicyProblem(problem)}`).join('\n')
}

function parsePolicySetting(
  setting: SettingText,
  savedAt: number,
):
  | { readonly ok: true; readonly policy: PolicyInUse }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[] } {
  const parsed = parsePolicy(setting.text, setting.name)
  return parsed.ok
    ? { ok: true, policy: policyInUse(setting, parsed.policy, parsed.raw, savedAt) }
    : parsed
}

function parsePolicyInUse(setting: SettingText, savedAt: number): PolicyInUse {
  const parsed = parsePolicySetting(setting, savedAt)
  if (!parsed.ok) {
    throw new SettingsError(`the policy is invalid:\n${problemsText(parsed.problems)}`)
  }
  return parsed.policy
}

function policyInUse(setting: SettingText, policy: Policy, raw: unknown, savedAt: number) {
  return {
    ...setting,
    policy,
    raw,
    fingerprint: policyFingerprint(policy),
    calendars: calendarSetOf(policy),
    savedAt,
  }
}

function parseRosterInUse(setting: SettingText, policy: Policy): RosterInUse {
  const parsed = parseRoster(setting.text, setting.name, policy)
  if (!parsed.ok) {
    throw new SettingsError(
      `the roster is invalid:\n${parsed.problems.map((p) => `  ${formatRosterProblem(p)}`).join('\n')}`,
    )
  }
  return { ...setting, roster: parsed.roster }
}

/** The stored setting, unless the file a process starts with replaces it (file over file only). */
function chooseAtStart(
  stored: SettingText | undefined,
  file: SettingFile,
): { readonly chosen: SettingText; readonly fromFile: boolean } {
  if (stored !== undefined && (stored.origin === 'api' || stored.text === file.text)) {
    return { chosen: stored, fromFile: false }
  }
  return { chosen: { text: file.text, origin: 'file', name: file.path }, fromFile: true }
}

const sameSetting = (a: SettingText, b: SettingText): boolean =>
  a.text === b.text && a.origin === b.origin && a.name === b.name

const storedValue = (setting: SettingText): SettingText => ({
  text: setting.text,
  origin: setting.origin,
  name: setting.name,
})

/**
 * Opens the settings in use at a process's start: the stored ones, or its files where they win
 * (saved then, and audited as the operator's change when they replace a different file's).
 */
export async function openLiveSettings(
  store: SettingsStore,
  start: SettingsStart,
): Promise<LiveSettings> {
  const rows = await store.readSettings(SETTINGS)
  const storedPolicy = settingTextOf(rows.get(POLICY_SETTING), SAVED_POLICY_NAME)
  const policyChoice = chooseAtStart(storedPolicy, start.policyFile)
  let policy = parsePolicyInUse(
    policyChoice.chosen,
    policyChoice.fromFile ? start.at : (rows.get(POLICY_SETTING)?.updatedAt ?? start.at),
  )
  if (policyChoice.fromFile) {
    // Undefined when the replaced policy no longer parses (stored by another Leadclock version).
    const replaced =
      storedPolicy && parsePolicySetting(storedPolicy, rows.get(POLICY_SETTING)?.updatedAt ?? 0)
    const before = replaced?.ok === true ? replaced.policy : undefined
    await store.putSetting(
      POLICY_SETTING,
      storedValue(policy),
      start.at,
      storedPolicy === undefined
        ? undefined
        : policyAudit(start.operator, before, policy, start.at),
    )
  }
  const storedRoster = settingTextOf(rows.get(ROSTER_SETTING), SAVED_ROSTER_NAME)
  const rosterChoice = chooseAtStart(storedRoster, start.rosterFile)
  let roster = parseRosterInUse(rosterChoice.chosen, policy.policy)
  if (rosterChoice.fromFile) {
    const before = storedRoster && parseRoster(storedRoster.text, storedRoster.name, policy.policy)
    await store.putSetting(
      ROSTER_SETTING,
      storedValue(roster),
      start.at,
      before?.ok === true
        ? rosterAudit(start.operator, before.roster, roster.roster, start.at)
        : undefined,
    )
  }

  let seen = new Map<string, string>()
  let refreshing: Promise<void> | undefined

  async function reread(): Promise<void> {
    const versions = await store.settingVersions(SETTINGS)
    if (SETTINGS.every((key) => versions.get(key) === seen.get(key))) {
      return
    }
    const latest = await store.readSettings(SETTINGS)
    // Remembered first: a setting that does not parse is reported once, the last good one kept.
    seen = new Map([...latest].map(([key, setting]) => [key, setting.version]))
    const policyRow = latest.get(POLICY_SETTING)
    const policyText = settingTextOf(policyRow, SAVED_POLICY_NAME)
    const nextPolicy =
      policyText === undefined || sameSetting(policyText, policy)
        ? policy
        : parsePolicyInUse(policyText, policyRow?.updatedAt ?? 0)
    const rosterText = settingTextOf(latest.get(ROSTER_SETTING), SAVED_ROSTER_NAME) ?? roster
    roster =
      sameSetting(rosterText, roster) && nextPolicy === policy
        ? roster
        : parseRosterInUse(rosterText, nextPolicy.policy)
    policy = nextPolicy
  }

  return {
    current: () => ({ policy, roster }),
    refresh() {
      refreshing ??= reread().finally(() => {
        refreshing = undefined
      })
      return refreshing
    },
    async replaceRoster(text, at, audit) {
      const result = parseRoster(text, SAVED_ROSTER_NAME, policy.policy)
      if (result.ok) {
        const next: RosterInUse = {
          text,
          origin: 'api',
          name: SAVED_ROSTER_NAME,
          roster: result.roster,
        }
        await store.putSetting(
          ROSTER_SETTING,
          storedValue(next),
          at,
          audit?.(roster.roster, result.roster),
        )
        roster = next
      }
      return result
    },
    async replacePolicy(text, at, audit) {
      const parsed = parsePolicy(text, SAVED_POLICY_NAME)
      if (!parsed.ok) {
        return { ok: false, document: 'policy', problems: parsed.problems }
      }
      const rosterUnder = parseRoster(roster.text, roster.name, parsed.policy)
      if (!rosterUnder.ok) {
        return { ok: false, document: 'roster', problems: rosterUnder.problems }
      }
      const next = policyInUse(
        { text, origin: 'api', name: SAVED_POLICY_NAME },
        parsed.policy,
        parsed.raw,
        at,
      )
      await store.putSetting(POLICY_SETTING, storedValue(next), at, audit?.(policy, next))
      policy = next
      roster = { ...roster, roster: rosterUnder.roster }
      return { ok: true, policy: next }
    },
  }
}

/** Live routing by the roster and the policy's calendars in use at each decision. */
export function liveRoutingOf(settings: LiveSettings): LiveRouting {
  return {
    roster: () => settings.current().roster.roster,
    get calendars() {
      return settings.current().policy.calendars
    },
  }
}
