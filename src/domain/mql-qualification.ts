/**
 * L2/L3 "MQL needs all entry criteria": evaluates each criterion of the policy against a lead.
 */
import type { Policy } from '../policy/policy-schema.js'
import type { HygieneFinding } from './hygiene.js'
import type { LeadProfile } from './lead-events.js'
import type { CriterionResult } from './lead-state.js'
import type { IntentRecord, ScoreBreakdown } from './scoring.js'
import { matchPersona, tierOfAction } from './scoring.js'

const EMAIL_PROBLEMS = ['email-missing', 'email-invalid', 'email-disposable']

export interface CriteriaInput {
  readonly profile: LeadProfile
  readonly score: ScoreBreakdown
  readonly hygiene: readonly HygieneFinding[]
  /** The intent actions that count toward this MQL (after the last recycle, if any). */
  readonly intents: readonly IntentRecord[]
}

export function evaluateCriteria(policy: Policy, input: CriteriaInput): CriterionResult[] {
  return policy.mqlEntryCriteria.map((criterion): CriterionResult => {
    const result = (met: boolean, detail: string): CriterionResult => ({
      id: criterion.id,
      name: criterion.name,
      met,
      detail,
    })
    const rule = criterion.rule
    switch (rule.kind) {
      case 'min-fit-score':
        return result(
          input.score.fitScore >= rule.points,
          `ICP fit ${input.score.fitScore}/100 (minimum ${rule.points})`,
        )
      case 'persona-in': {
        const persona = matchPersona(policy, input.profile.title)
        return persona !== undefined && rule.personas.includes(persona)
          ? result(true, `title matches ${persona}`)
          : result(
              false,
              input.profile.title === undefined
                ? 'title is missing'
                : `title "${input.profile.title}" matches no buyer or influencer persona`,
            )
      }
      case 'intent-actions': {
        const counts = new Map<string, number>()
        for (const intent of input.intents) {
          const tier = tierOfAction(policy, intent.action)
          if (tier !== undefined) {
            counts.set(tier, (counts.get(tier) ?? 0) + 1)
          }
        }
        const met = rule.anyOf.some((clause) => (counts.get(clause.tier) ?? 0) >= clause.count)
        const have = rule.anyOf
          .map((clause) => `${counts.get(clause.tier) ?? 0} ${clause.tier}`)
          .join(', ')
        const need = rule.anyOf.map((clause) => `${clause.count} ${clause.tier}`).join(' or ')
        return result(met, `${have} action(s); needs ${need}`)
      }
      case 'required-fields': {
        const profile = input.profile
        const present: Record<(typeof rule.fields)[number], boolean> = {
          name: Boolean(profile.firstName ?? profile.lastName),
          company: Boolean(profile.company),
          email: Boolean(profile.email),
          phone: Boolean(profile.phone),
          title: Boolean(profile.title),
          country: Boolean(profile.country),
        }
        const missing = rule.fields.filter((field) => !present[field])
        return result(
          missing.length === 0,
          missing.length === 0 ? 'all required fields present' : `missing: ${missing.join(', ')}`,
        )
      }
      case 'email-valid': {
        const problems = input.hygiene.filter(
          (finding) =>
            EMAIL_PROBLEMS.includes(finding.code) ||
            (!rule.allowRoleBased && finding.code === 'email-role-based'),
        )
        return result(
          problems.length === 0,
          problems.length === 0
            ? 'email is deliverable and personal'
            : problems.map((p) => p.message).join('; '),
        )
      }
      case 'territory-active': {
        const country = input.profile.country
        if (country === undefined) {
          return result(false, 'country is missing')
        }
        return policy.territories.active.includes(country)
          ? result(true, `${country} is an active territory`)
          : result(false, `${country} is not an actively staffed territory`)
      }
    }
  })
}
