/**
 * What reps write in the sample: pain statements, timelines, MEDDPIC notes, rejection notes,
 * close reasons.
 */

export const PAIN_STATEMENTS: readonly string[] = [
  'Inbound demo requests wait 14 hours on average before anyone calls; they lose deals to faster vendors.',
  'Marketing and sales argue every month about lead quality; no shared definition of an MQL.',
  'Leads from the website sit unassigned over weekends; Monday queues are 200 deep.',
  'SDRs cherry-pick leads; Tier 1 hand-raisers go untouched for days.',
  'Pipeline is 25% short of target and leadership cannot see where leads stall.',
  'Handoffs to AEs lose context; prospects repeat themselves on the first AE call.',
  'No audit trail of who touched a lead when; SLA reviews are guesswork.',
  'Rapid headcount growth; routing rules live in spreadsheets nobody maintains.',
]

export const TIMELINES: readonly string[] = [
  'Decision before the end of the quarter',
  'Evaluating now; go-live targeted within 60 days',
  'Budget approved for next quarter; wants a pilot first',
  'Contract with current vendor ends in 3 months',
  'Board review in 6 weeks; needs a recommendation before then',
]

/** What a rep confirmed for each MEDDPIC element, by element id. */
export const MEDDPIC_NOTES: Readonly<Record<string, readonly string[]>> = {
  metrics: [
    'Speed-to-lead averages 14 hours; target is under 5 minutes',
    'Losing about 30% of demo requests to faster competitors',
    'MQL-to-SAL conversion stuck at 40% for three quarters',
  ],
  'economic-buyer': [
    'CRO owns the budget and joined the discovery call',
    'VP Sales signs off; the contact reports to her directly',
  ],
  'decision-criteria': [
    'CRM integration, business-hours SLAs, audit trail',
    'Time to value under 30 days; works with the existing routing tool',
  ],
  'decision-process': [
    'VP plus CFO sign-off; security review required',
    'Two vendors shortlisted; decision in the revenue committee next month',
  ],
  'paper-process': ['Standard MSA; procurement needs about two weeks'],
  'implicate-pain': [
    'Board target on pipeline coverage this quarter',
    'Missed last quarter pipeline by 20%; the CRO wants it fixed now',
  ],
  champion: ['Head of RevOps is pushing for this internally'],
}

export const NOTES_FOR_AE: readonly string[] = [
  'Very engaged; asked for pricing on the call.',
  'Skeptical of another tool; lead with the audit trail.',
  'Wants to see the CRM integration live.',
  'Decision maker will join the first AE call.',
]

/** SAL rejection notes by the effect of the reason code. */
export const SAL_REJECTION_NOTES: Readonly<Record<string, readonly string[]>> = {
  'data-cleanup': ['Phone number disconnected; email bounced', 'No usable phone number'],
  'suppress-company': ['Company far below our size range', 'Industry outside our ICP'],
  'do-not-route': ['Individual contributor with no buying role', 'Intern on the marketing team'],
  'route-to-account-team': ['Account is already a customer; CS owns it'],
  'suppress-contact': ['Disqualified a few weeks ago; still inside the suppression window'],
  'suppress-domain-permanently': ['Works at a competitor'],
  'route-to-territory': ['Prospect is based outside the current coverage'],
}

export const CLOSED_LOST_REASONS: readonly string[] = [
  'Chose a competitor',
  'No budget this year',
  'No decision: status quo',
  'Project postponed',
]

export const CLOSED_WON_REASONS: readonly string[] = [
  'Signed annual contract',
  'Signed two-year contract',
]
