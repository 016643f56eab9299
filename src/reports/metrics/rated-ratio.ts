/**
 * A percentage with everything needed to check it by hand — numerator, denominator, the leads
 * behind each — and its green/amber/red status against the policy's thresholds. Pure.
 */
import type { Policy } from '../../policy/policy-schema.js'

export type RagStatus = 'green' | 'amber' | 'red'

/** Green beyond `green`, red beyond `red`, amber between them (both ends included). */
export interface RagThresholds {
  /** Where the thresholds come from: `metrics.<id>` (section 11) or `measurement.thresholds.<id>`. */
  readonly source: string
  readonly better: 'higher' | 'lower'
  readonly green: number
  readonly red: number
}

export interface RatedRatio {
  readonly id: string
  readonly name: string
  /** How the value is computed, in words. */
  readonly formula: string
  readonly numerator: number
  readonly denominator: number
  /** 100 × numerator ÷ denominator, rounded to one decimal; null when nothing was measured. */
  readonly value: number | null
  /** Against the unrounded ratio; null when nothing was measured or the policy rates nothing. */
  readonly status: RagStatus | null
  readonly thresholds: RagThresholds | null
  /**
   * What was counted, so a person can check the figure: lead ids (`lead/item` pairs when a
   * measure pools several SLA items), for the numerator, the denominator, and those not decided
   * yet (left out of both).
   */
  readonly counted: {
    readonly numerator: readonly string[]
    readonly denominator: readonly string[]
    readonly pending: readonly string[]
  }
}

/** One decimal, as every report shows a percentage (82.666… → 82.7). */
export function roundedPercent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((1000 * numerator) / denominator) / 10
}

export function ragStatus(percent: number, thresholds: RagThresholds): RagStatus {
  const { better, green, red } = thresholds
  const beyond = (limit: number): boolean =>
    better === 'higher' ? percent > limit : percent < limit
  const short = (limit: number): boolean =>
    better === 'higher' ? percent < limit : percent > limit
  return beyond(green) ? 'green' : short(red) ? 'red' : 'amber'
}

/** A section-11 metric's thresholds, else seed 001's quick-reference ones; null when neither. */
export function thresholdsOf(policy: Policy, id: string): RagThresholds | null {
  const metric = policy.metrics.find((candidate) => candidate.id === id)
  if (metric) {
    return { source: `metrics.${id}`, better: metric.better, green: metric.green, red: metric.red }
  }
  const threshold = policy.measurement.thresholds.find((candidate) => candidate.id === id)
  return threshold
    ? {
        source: `measurement.thresholds.${id}`,
        better: threshold.better,
        green: threshold.green,
        red: threshold.red,
      }
    : null
}

function sorted(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort()
}

export function ratedRatio(fields: {
  readonly id: string
  readonly name: string
  readonly formula: string
  readonly numerator: Iterable<string>
  readonly denominator: Iterable<string>
  readonly pending?: Iterable<string>
  readonly thresholds: RagThresholds | null
}): RatedRatio {
  const numerator = sorted(fields.numerator)
  const denominator = sorted(fields.denominator)
  return {
    id: fields.id,
    name: fields.name,
    formula: fields.formula,
    numerator: numerator.length,
    denominator: denominator.length,
    value: roundedPercent(numerator.length, denominator.length),
    status:
      denominator.length === 0 || fields.thresholds === null
        ? null
        : ragStatus((100 * numerator.length) / denominator.length, fields.thresholds),
    thresholds: fields.thresholds,
    counted: { numerator, denominator, pending: sorted(fields.pending ?? []) },
  }
}
