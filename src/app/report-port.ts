/** What the reports need from storage: facts gathered in the store, never every lead's state. */
import type { ClockEventEffect } from '../domain/lead-snapshot.js'
import type { LeadState } from '../domain/lead-state.js'
import type { EscalationFacts } from '../reports/escalation-report.js'
import type { HandoffLead } from '../reports/handoff-report.js'
import type { ReportWindow } from '../reports/report-window.js'
import type { RoutedLead } from '../reports/routing-report.js'

export interface ReportReader {
  /** The escalation report's facts: escalations fired, and activities received, within `window`. */
  escalationFacts(window: ReportWindow): Promise<EscalationFacts>
  /** Every lead that reached SQL. */
  listHandoffLeads(): Promise<HandoffLead[]>
  listRoutedLeads(leadIds: readonly string[]): Promise<Map<string, RoutedLead>>
  /** How many of these leads had an owner assigned to correct a mis-route. */
  countMisroutedLeads(leadIds: readonly string[]): Promise<number>
  /**
   * Every lead that ever became an MQL, with the clock moments of its stored fold (null when the
   * row has none yet: replay its events), in lead order: what the metrics derive their facts from.
   */
  listMetricSources(): Promise<MetricSource[]>
}

export interface MetricSource {
  readonly state: LeadState
  readonly clockEffects: readonly ClockEventEffect[] | null
}
