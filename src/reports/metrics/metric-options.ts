/**
 * What a metrics request may ask for, without importing anything: the CLI registers its options
 * from these at start-up (docs/metrics.md says what each cut reads of a lead).
 */
export const CUT_DIMENSIONS = [
  'tier',
  'source',
  'acv-tier',
  'segment',
  'region',
  'team',
  'owner',
  'policy-version',
] as const
export type CutDimension = (typeof CUT_DIMENSIONS)[number]

/** A trend covers at most a year of weeks (the policy's trendWeeks has the same bound). */
export const MAX_TREND_WEEKS = 52
