/** What the reports need from storage: facts gathered in the store, never every lead's state. */
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
}
