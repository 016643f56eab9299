/**
 * What the routing log keeps: each routing decision and each start or end of a surge. Data only,
 * so the store that writes it, the use cases and the routing report all read one definition.
 */
export interface RoutingDecisionRecord {
  readonly kind: 'assigned' | 'exception' | 'triage' | 'queued' | 'nurture'
  readonly leadId: string
  /** Which MQL of the lead (a recycled lead is routed again). */
  readonly mqlNumber: number
  readonly decidedAt: number
  readonly ownerId: string | null
  readonly rule: string | null
  readonly queue: string | null
  readonly reason: string
  readonly dueAt: number | null
}

export interface SurgeChange {
  readonly kind: 'surge-started' | 'surge-ended'
  readonly at: number
  readonly reason: string
}
