/**
 * Routing measures for a period (issue R): decisions by rule, exceptions, ABM leakage (named-account
 * leads that went to round robin — target 0), mis-routes (owners changed because routing was
 * wrong) and routing latency (MQL → decision). Pure: the caller supplies decisions and leads.
 */
import { emailDomain } from '../domain/hygiene.js'
import type { Roster } from '../domain/team/roster.js'
import type { RoutingDecisionRecord } from '../routing/routing-log-entries.js'

export interface RoutingReport {
  readonly routed: number
  readonly byRule: Readonly<Record<string, number>>
  readonly exceptions: number
  readonly triage: number
  /** The exception and triage decisions themselves, oldest first: what a person must route. */
  readonly exceptionDecisions: readonly RoutingDecisionRecord[]
  readonly nurtured: number
  /** Named-account leads routed by round robin instead of to their owner. */
  readonly abmLeakage: readonly string[]
  /** Leads whose owner was changed for a routing mistake. */
  readonly misroutes: number
  /** Milliseconds from becoming an MQL to the routing decision: median and 90th percentile. */
  readonly latencyMs: { readonly p50: number | null; readonly p90: number | null }
}

/** What the report reads of a routed lead. */
export interface RoutedLead {
  readonly email: string | null
  /** When it became an MQL, each time, in order. */
  readonly mqlAt: readonly number[]
}

/** The value at `quantile` (0–1) of sorted values, nearest rank. */
export function nearestRank(sorted: readonly number[], quantile: number): number | null {
  if (sorted.length === 0) {
    return null
  }
  const rank = Math.max(1, Math.ceil(quantile * sorted.length))
  return sorted[rank - 1] ?? null
}

export function routingReport(
  decisions: readonly RoutingDecisionRecord[],
  leads: ReadonlyMap<string, RoutedLead>,
  /** How many of the routed leads had their owner changed for a routing mistake. */
  misroutes: number,
  roster: Roster,
): RoutingReport {
  const byRule: Record<string, number> = {}
  const namedDomains = new Set(roster.namedAccounts.map((account) => account.domain))
  const abmLeakage: string[] = []
  const latencies: number[] = []
  for (const decision of decisions) {
    const key = decision.rule ?? decision.kind
    byRule[key] = (byRule[key] ?? 0) + 1
    const lead = leads.get(decision.leadId)
    const domain = emailDomain(lead?.email ?? undefined)
    if (
      decision.rule === 'territory-round-robin' &&
      domain !== undefined &&
      namedDomains.has(domain)
    ) {
      abmLeakage.push(decision.leadId)
    }
    const becameMql = lead?.mqlAt[decision.mqlNumber - 1]
    if (becameMql !== undefined) {
      latencies.push(decision.decidedAt - becameMql)
    }
  }
  latencies.sort((a, b) => a - b)
  return {
    routed: decisions.length,
    byRule,
    exceptions: decisions.filter((decision) => decision.kind === 'exception').length,
    triage: decisions.filter((decision) => decision.kind === 'triage').length,
    exceptionDecisions: decisions.filter(
      (decision) => decision.kind === 'exception' || decision.kind === 'triage',
    ),
    nurtured: decisions.filter((decision) => decision.kind === 'nurture').length,
    abmLeakage,
    misroutes,
    latencyMs: { p50: nearestRank(latencies, 0.5), p90: nearestRank(latencies, 0.9) },
  }
}
