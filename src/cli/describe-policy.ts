/** A readable summary of a policy for `leadclock policy show`: the SLA table first. */
import { formatDuration } from '../policy/duration.js'
import type { AfterHoursRule, Policy } from '../policy/policy-schema.js'
import { formatDeadline } from '../policy/policy-schema.js'
import { textTable } from './text-table.js'

function formatAfterHours(rule: AfterHoursRule): string {
  return rule.kind === 'after-next-open'
    ? `${formatDuration(rule.duration)} after next open`
    : `by ${rule.localTime} next business day`
}

/** Every task the policy opens: AE-rejection responses, recycling check-ins, `when` chain steps. */
function taskRows(policy: Policy): string[][] {
  const roleName = (role: string): string => policy.roles[role]?.name ?? role
  const overdueTo = (owner: string, reviewer: string | undefined): string =>
    reviewer === undefined || reviewer === owner
      ? `${roleName(owner)}'s manager`
      : roleName(reviewer)
  const aeCodes = policy.reasonTaxonomies[policy.rejection.ae]?.codes ?? []
  return [
    ...aeCodes.flatMap((code) =>
      code.task === undefined
        ? []
        : [
            [
              `${code.code}: ${code.requiredResponse}`,
              roleName(code.task.owner),
              formatDuration(code.task.due),
              overdueTo(code.task.owner, code.reviewedBy),
            ],
          ],
    ),
    ...policy.recycling.scenarios.flatMap((scenario) => {
      const owner = scenario.checkInBy ?? scenario.owner
      return scenario.checkInAfter === undefined
        ? []
        : [
            [
              `Check in: ${scenario.scenario}`,
              roleName(owner),
              formatDuration(scenario.checkInAfter),
              overdueTo(owner, undefined),
            ],
          ]
    }),
    ...Object.values(policy.escalationChains).flatMap((chain) =>
      chain.steps.flatMap((step) =>
        step.taskDue === undefined || step.when === undefined
          ? []
          : [
              [
                `${step.title} (on ${step.when})`,
                roleName(step.actor),
                formatDuration(step.taskDue),
                overdueTo(step.actor, undefined),
              ],
            ],
      ),
    ),
  ]
}

export function describePolicy(policy: Policy): string {
  const roleName = (role: string): string => policy.roles[role]?.name ?? role
  const sections: string[] = [
    `${policy.name} — version ${policy.version}, effective from ${policy.effectiveFrom}`,
    '',
    'SLA reference table',
    textTable(
      ['SLA item', 'Stage', 'Owner', 'Target', 'Breach', 'Escalation to', 'Calendar'],
      policy.slaItems.map((item) => [
        item.name,
        item.stage,
        roleName(item.owner),
        formatDeadline(item.target),
        formatDeadline(item.breach) +
          (item.checkIn ? ` (check-in ${formatDuration(item.checkIn)})` : ''),
        item.escalateTo.map(roleName).join(', '),
        item.clock?.calendar ?? '—',
      ]),
    ),
    '',
    'SDR response tiers',
    textTable(
      ['Tier', 'First attempt', 'After hours', 'Cadence'],
      Object.values(policy.responseTiers).map((tier) => [
        tier.name,
        formatDuration(tier.firstAttempt),
        formatAfterHours(tier.afterHours),
        `${tier.cadence.attempts} attempts over ${formatDuration(tier.cadence.over)}, then ${tier.cadence.then}`,
      ]),
    ),
    '',
    `Scoring: MQL at ${policy.scoring.threshold} points; ${policy.scoring.managerReviewBand.min}–${policy.scoring.managerReviewBand.max} to manager review; ${policy.scoring.signals.length} signals; decay ${policy.scoring.decay.map((step) => `${step.points} after ${formatDuration(step.afterInactivity)}`).join(', ')}`,
  ]
  const acv = policy.acvTiers
  if (acv !== undefined) {
    sections.push(
      '',
      `ACV tiers (${acv.currency}; ${acv.tierPrecedence === 'supplied' ? 'a supplied tier wins' : "Leadclock's tier wins over a supplied one"}; scores: ${policy.scoring.scorePrecedence === 'supplied' ? 'a supplied score wins' : "Leadclock's"})`,
      textTable(
        ['ACV tier', 'ACV', 'MQL at', 'First attempt', 'Routes to'],
        acv.tiers.map((tier) => {
          const responseTier =
            tier.responseTier === undefined ? undefined : policy.responseTiers[tier.responseTier]
          return [
            tier.name,
            tier.acvTo === undefined ? `${tier.acvFrom}+` : `${tier.acvFrom}–${tier.acvTo}`,
            String(tier.mqlThreshold),
            responseTier === undefined
              ? 'by intent tier'
              : formatDuration(responseTier.firstAttempt),
            tier.routeTo === 'plg-onboarding'
              ? `queue ${tier.queue ?? tier.routeTo}`
              : tier.routeTo,
          ]
        }),
      ),
    )
  }
  for (const chain of Object.values(policy.escalationChains)) {
    sections.push(
      '',
      chain.name,
      textTable(
        ['Label', 'At', 'Step', 'Actor', 'Notify'],
        chain.steps.map((step) => [
          step.label,
          `T+${formatDuration(step.at)}`,
          step.title,
          step.actor === 'system' ? 'System' : roleName(step.actor),
          step.notify.map(roleName).join(', '),
        ]),
      ),
    )
  }
  sections.push(
    '',
    'Required follow-ups (tasks)',
    textTable(['Task', 'Owner', 'Due', 'Overdue to'], taskRows(policy)),
  )
  sections.push(
    '',
    `Grace period: ${formatDuration(policy.gracePeriod.duration)} (escalate no further than ${roleName(policy.gracePeriod.maxEscalationRole)})`,
    `Surge: daily MQLs over ${policy.surge.volumeMultiple}× the trailing ${formatDuration(policy.surge.trailingWindow)} average stretch SLAs ${policy.surge.slaStretch}×`,
    `Calendars: ${Object.entries(policy.calendars)
      .map(([id, calendar]) => `${id} (${calendar.timeZone})`)
      .join(', ')}`,
  )
  return sections.join('\n')
}
