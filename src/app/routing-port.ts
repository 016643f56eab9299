/** What live routing needs from storage: the log of its decisions and the editable roster. */
import type { RoutingDecisionRecord, SurgeChange } from '../routing/routing-log-entries.js'
import type { AuditEntry } from './access-port.js'

export interface RoutingLogTransaction {
  /** False when this MQL was already routed (routing is once per MQL). */
  recordDecision(decision: RoutingDecisionRecord): Promise<boolean>
  /** Assignments per owner in [from, to), and each owner's last assignment ever. */
  load(
    from: number,
    to: number,
  ): Promise<{ assignedToday: Map<string, number>; lastAssignedAt: Map<string, number> }>
  /** MQLs routed per UTC day ('YYYY-MM-DD') in [from, to). */
  dailyRoutedCounts(from: number, to: number): Promise<Map<string, number>>
  lastSurgeChange(): Promise<SurgeChange | undefined>
  recordSurgeChange(change: SurgeChange): Promise<void>
}

export interface RoutingLogReader {
  /** Decisions in [from, to), oldest first. */
  listDecisions(from: number, to: number): Promise<RoutingDecisionRecord[]>
  listSurgeChanges(from: number, to: number): Promise<SurgeChange[]>
}

export interface StoredSetting {
  readonly value: unknown
  /** Changes whenever the row is written. */
  readonly version: string
  readonly updatedAt: number
}

export interface SettingsStore {
  getSetting(key: string): Promise<unknown>
  /** The settings among `keys` that exist, by key. */
  readSettings(keys: readonly string[]): Promise<Map<string, StoredSetting>>
  /** The versions of the settings among `keys` that exist: one cheap query. */
  settingVersions(keys: readonly string[]): Promise<Map<string, string>>
  /** Saves a setting, and the audit entry of the change with it when one is given. */
  putSetting(key: string, value: unknown, at: number, audit?: AuditEntry): Promise<void>
}
