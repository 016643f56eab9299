/**
 * Rules that relate one part of a policy to another: references resolve, targets come before
 * breaches, escalation steps are in order, thresholds are coherent, calendars are sound.
 */
import { IANAZone } from 'luxon'

import { checkCalendarDefinition } from '../calendar/index.js'
import { acvResponseTiers, checkAcvTiers } from './check-acv-tiers.js'
import type { PolicyDuration } from './duration.js'
import { durationMs, formatDuration } from './duration.js'
import type { PolicyPath, UnlocatedProblem } from './parse-policy.js'
import type { Deadline, Policy } from './policy-schema.js'
import { ACTIVITY_LOGGING_ACTION, LIFECYCLE_STAGES } from './policy-schema.js'

/** Recipients an escalation step may name besides roles. */
const NOTIFY_TOKENS = ['owner', 'owner-manager'] as const
/** Actors besides roles. */
const ACTOR_TOKENS = ['system'] as const
/** Calendar selectors a clock may name besides calendar ids. */
const CALENDAR_TOKENS = ['prospect', 'owner'] as const

/** Used only to compare business days with business hours when checking order. */
const NOMINAL_BUSINESS_DAY_MS = 10 * 60 * 60 * 1000

export function checkPolicy(policy: Policy): UnlocatedProblem[] {
  const problems: UnlocatedProblem[] = []
  const report = (path: PolicyPath, message: string): void => {
    problems.push({ path, message })
  }
  const roles = Object.keys(policy.roles)
  const tiers = Object.keys(policy.intentTiers)
  /** Clocks, escalation steps, touches and surge rules key on the lead's response tier. */
  const responseTierIds = Object.keys(policy.responseTiers)

  const expectOneOf = (
    path: PolicyPath,
    value: string,
    allowed: readonly string[],
    what: string,
  ): void => {
    if (!allowed.includes(value)) {
      report(path, `unknown ${what} "${value}"; allowed: ${allowed.join(', ')}`)
    }
  }
  const expectUnique = (
    values: readonly { path: PolicyPath; value: string }[],
    what: string,
  ): void => {
    const seen = new Set<string>()
    for (const { path, value } of values) {
      if (seen.has(value)) {
        report(path, `duplicate ${what} "${value}"; each ${what} must be unique`)
      }
      seen.add(value)
    }
  }

  // Stages and their owners.
  expectUnique(
    policy.stages.map((stage, i) => ({ path: ['stages', i, 'id'], value: stage.id })),
    'stage id',
  )
  policy.stages.forEach((stage, i) =>
    expectOneOf(['stages', i, 'owner'], stage.owner, roles, 'role'),
  )
  for (const required of LIFECYCLE_STAGES) {
    if (!policy.stages.some((stage) => stage.id === required)) {
      report(
        ['stages'],
        `stage "${required}" is missing; the lifecycle needs: ${LIFECYCLE_STAGES.join(', ')}`,
      )
    }
  }

  // MQL entry criteria reference personas and intent tiers.
  policy.mqlEntryCriteria.forEach((criterion, i) => {
    const rule = criterion.rule
    if (rule.kind === 'persona-in') {
      rule.personas.forEach((persona, j) =>
        expectOneOf(
          ['mqlEntryCriteria', i, 'rule', 'personas', j],
          persona,
          Object.keys(policy.personas),
          'persona',
        ),
      )
    }
    if (rule.kind === 'intent-actions') {
      rule.anyOf.forEach((clause, j) =>
        expectOneOf(
          ['mqlEntryCriteria', i, 'rule', 'anyOf', j, 'tier'],
          clause.tier,
          tiers,
          'intent tier',
        ),
      )
    }
  })
  const expectRegExp = (path: PolicyPath, pattern: string): void => {
    try {
      new RegExp(pattern, 'i')
    } catch {
      report(path, `"${pattern}" is not a valid regular expression`)
    }
  }
  for (const [personaId, persona] of Object.entries(policy.personas)) {
    persona.titlePatterns.forEach((pattern, i) =>
      expectRegExp(['personas', personaId, 'titlePatterns', i], pattern),
    )
  }
  policy.hygiene.studentDomainPatterns.forEach((pattern, i) =>
    expectRegExp(['hygiene', 'studentDomainPatterns', i], pattern),
  )
  policy.hygiene.studentTitlePatterns.forEach((pattern, i) =>
    expectRegExp(['hygiene', 'studentTitlePatterns', i], pattern),
  )
  if (policy.icp.companySize.min > policy.icp.companySize.max) {
    report(
      ['icp', 'companySize'],
      `min ${policy.icp.companySize.min} is above max ${policy.icp.companySize.max}`,
    )
  }

  // Scoring: signals, actions and thresholds.
  const signalIds = policy.scoring.signals.map((signal) => signal.id)
  expectUnique(
    policy.scoring.signals.map((signal, i) => ({
      path: ['scoring', 'signals', i, 'id'],
      value: signal.id,
    })),
    'scoring signal',
  )
  const actionSignals = policy.scoring.actionSignals ?? {}
  for (const [action, signal] of Object.entries(actionSignals)) {
    expectOneOf(['scoring', 'actionSignals', action], signal, signalIds, 'scoring signal')
  }
  const scoredActions = [...signalIds, ...Object.keys(actionSignals)]
  for (const [personaId, persona] of Object.entries(policy.personas)) {
    expectOneOf(['personas', personaId, 'signal'], persona.signal, signalIds, 'scoring signal')
  }
  expectOneOf(['icp', 'industrySignal'], policy.icp.industrySignal, signalIds, 'scoring signal')
  expectOneOf(
    ['icp', 'companySizeSignal'],
    policy.icp.companySizeSignal,
    signalIds,
    'scoring signal',
  )
  const tierOfAction = new Map<string, string>()
  for (const [tierId, tier] of Object.entries(policy.intentTiers)) {
    tier.actions.forEach((action, i) => {
      const path = ['intentTiers', tierId, 'actions', i]
      const other = tierOfAction.get(action)
      if (other !== undefined) {
        report(
          path,
          `action "${action}" is already in intent tier "${other}"; an action belongs to one tier`,
        )
      }
      tierOfAction.set(action, tierId)
    })
  }
  const { threshold, managerReviewBand } = policy.scoring
  if (managerReviewBand.min > managerReviewBand.max) {
    report(
      ['scoring', 'managerReviewBand'],
      `min ${managerReviewBand.min} is above max ${managerReviewBand.max}`,
    )
  }
  if (managerReviewBand.max >= threshold) {
    report(
      ['scoring', 'managerReviewBand', 'max'],
      `manager review band must end below the MQL threshold ${threshold}; got max ${managerReviewBand.max}`,
    )
  }
  checkOrdered(
    policy.scoring.decay.map((step, i) => ({
      path: ['scoring', 'decay', i, 'afterInactivity'],
      duration: step.afterInactivity,
    })),
    'decay step',
    report,
  )
  // Response tiers mirror intent tiers (or are named by an ACV tier); triggers are intent actions.
  problems.push(...checkAcvTiers(policy))
  const acvNamed = acvResponseTiers(policy)
  for (const [tierId, tier] of Object.entries(policy.responseTiers)) {
    expectOneOf(
      ['responseTiers', tierId],
      tierId,
      [...tiers, ...acvNamed],
      acvNamed.length === 0
        ? 'response tier (must match an intent tier)'
        : 'response tier (must match an intent tier or an ACV tier’s responseTier)',
    )
    tier.triggers.forEach((trigger, i) =>
      expectOneOf(
        ['responseTiers', tierId, 'triggers', i],
        trigger,
        [...tierOfAction.keys(), ...scoredActions],
        'trigger action',
      ),
    )
  }
  policy.touchPlan.forEach((touch, i) => {
    touch.tiers.forEach((tier, j) =>
      expectOneOf(['touchPlan', i, 'tiers', j], tier, responseTierIds, 'tier'),
    )
    const previous = policy.touchPlan[i - 1]
    if (previous && (touch.touch <= previous.touch || touch.day < previous.day)) {
      report(
        ['touchPlan', i],
        `touch ${touch.touch} on day ${touch.day} is out of order; touches must increase and days must not go back`,
      )
    }
  })

  // Reason codes and rejection.
  const taxonomies = Object.keys(policy.reasonTaxonomies)
  const allCodes: { path: PolicyPath; value: string }[] = []
  for (const [taxonomyId, taxonomy] of Object.entries(policy.reasonTaxonomies)) {
    taxonomy.codes.forEach((code, i) => {
      allCodes.push({
        path: ['reasonTaxonomies', taxonomyId, 'codes', i, 'code'],
        value: code.code,
      })
      if (code.reviewedBy !== undefined) {
        expectOneOf(
          ['reasonTaxonomies', taxonomyId, 'codes', i, 'reviewedBy'],
          code.reviewedBy,
          roles,
          'role',
        )
      }
      if (code.task !== undefined) {
        expectOneOf(
          ['reasonTaxonomies', taxonomyId, 'codes', i, 'task', 'owner'],
          code.task.owner,
          roles,
          'role',
        )
      }
    })
  }
  expectUnique(allCodes, 'reason code')
  expectOneOf(['rejection', 'sal'], policy.rejection.sal, taxonomies, 'reason taxonomy')
  expectOneOf(['rejection', 'ae'], policy.rejection.ae, taxonomies, 'reason taxonomy')
  const aeCodes = policy.reasonTaxonomies[policy.rejection.ae]?.codes.map((code) => code.code) ?? []
  policy.rejection.aeRejectionReviewThreshold.codes.forEach((code, i) =>
    expectOneOf(
      ['rejection', 'aeRejectionReviewThreshold', 'codes', i],
      code,
      aeCodes,
      'reason code',
    ),
  )

  // SLA items.
  const chains = Object.keys(policy.escalationChains)
  const calendars = Object.keys(policy.calendars)
  expectUnique(
    policy.slaItems.map((item, i) => ({ path: ['slaItems', i, 'id'], value: item.id })),
    'SLA item id',
  )
  policy.slaItems.forEach((item, i) => {
    const path = ['slaItems', i]
    expectOneOf([...path, 'owner'], item.owner, roles, 'role')
    item.escalateTo.forEach((role, j) =>
      expectOneOf([...path, 'escalateTo', j], role, roles, 'role'),
    )
    if (item.responseTier !== undefined) {
      expectOneOf([...path, 'responseTier'], item.responseTier, responseTierIds, 'tier')
    }
    if (item.escalationChain !== undefined) {
      expectOneOf([...path, 'escalationChain'], item.escalationChain, chains, 'escalation chain')
    }
    const beforeMeeting = [item.target, item.breach].includes('before first meeting')
    if (beforeMeeting && item.beforeMeeting === undefined) {
      report(
        [...path, 'beforeMeeting'],
        '"before first meeting" needs beforeMeeting: how long before the meeting',
      )
    }
    if (item.staleTrigger !== undefined) {
      expectOneOf(
        [...path, 'staleTrigger'],
        item.staleTrigger,
        policy.staleOpportunityTriggers.map((trigger) => trigger.id),
        'stale-opportunity trigger',
      )
    }
    if (item.clock) {
      expectOneOf(
        [...path, 'clock', 'calendar'],
        item.clock.calendar,
        [...CALENDAR_TOKENS, ...calendars],
        'calendar',
      )
    }
    if (isDuration(item.target) && isDuration(item.breach)) {
      const comparison = compareDurations(item.target, item.breach)
      if (comparison !== undefined && comparison > 0) {
        report(
          [...path, 'target'],
          `SLA target "${formatDuration(item.target)}" is longer than its breach threshold "${formatDuration(item.breach)}"; allowed: target ≤ breach`,
        )
      }
      if (item.checkIn) {
        const checkInVsBreach = compareDurations(item.checkIn, item.breach)
        if (checkInVsBreach !== undefined && checkInVsBreach > 0) {
          report(
            [...path, 'checkIn'],
            `check-in "${formatDuration(item.checkIn)}" comes after the breach threshold "${formatDuration(item.breach)}"`,
          )
        }
      }
    }
  })

  // Section 04's SAL action windows: the late-logging flag reads activity-logging's, a row that
  // names an SLA item is that item's target, and a checked window runs in a known calendar.
  expectUnique(
    policy.salActions.map((action, i) => ({ path: ['salActions', i, 'id'], value: action.id })),
    'SAL action id',
  )
  const loggingIndex = policy.salActions.findIndex(
    (action) => action.id === ACTIVITY_LOGGING_ACTION,
  )
  const logging = policy.salActions[loggingIndex]
  if (!logging) {
    report(
      ['salActions'],
      `needs the ${ACTIVITY_LOGGING_ACTION} row: its window is when an activity is flagged late-logged`,
    )
  } else if (!isDuration(logging.window)) {
    report(
      ['salActions', loggingIndex, 'window'],
      `"${logging.window}" is not a duration; the ${ACTIVITY_LOGGING_ACTION} window flags late-logged activities`,
    )
  }
  policy.salActions.forEach((action, i) => {
    const path = ['salActions', i]
    expectOneOf([...path, 'owner'], action.owner, roles, 'role')
    if (action.clock) {
      expectOneOf(
        [...path, 'clock', 'calendar'],
        action.clock.calendar,
        [...CALENDAR_TOKENS, ...calendars],
        'calendar',
      )
    }
    if (action.slaItem === undefined) {
      return
    }
    const item = policy.slaItems.find((candidate) => candidate.id === action.slaItem)
    if (!item) {
      expectOneOf(
        [...path, 'slaItem'],
        action.slaItem,
        policy.slaItems.map((candidate) => candidate.id),
        'SLA item',
      )
    } else if (!sameDeadline(action.window, item.target)) {
      report(
        [...path, 'window'],
        `window "${formatDeadline(action.window)}" disagrees with the target "${formatDeadline(item.target)}" of SLA item ${item.id}; the two are one deadline`,
      )
    }
  })

  // Escalation chains: known actors and recipients, steps in time order.
  for (const [chainId, chain] of Object.entries(policy.escalationChains)) {
    const path = ['escalationChains', chainId]
    expectUnique(
      chain.steps.map((step, i) => ({ path: [...path, 'steps', i, 'id'], value: step.id })),
      'step id',
    )
    chain.steps.forEach((step, i) => {
      const stepPath = [...path, 'steps', i]
      expectOneOf([...stepPath, 'actor'], step.actor, [...ACTOR_TOKENS, ...roles], 'actor')
      step.notify.forEach((recipient, j) =>
        expectOneOf(
          [...stepPath, 'notify', j],
          recipient,
          [...NOTIFY_TOKENS, ...roles],
          'recipient',
        ),
      )
      step.tiers?.forEach((tier, j) =>
        expectOneOf([...stepPath, 'tiers', j], tier, responseTierIds, 'tier'),
      )
      if (step.taskDue !== undefined) {
        if (step.when === undefined) {
          report([...stepPath, 'taskDue'], 'taskDue needs a `when` event: the task opens on it')
        }
        expectOneOf([...stepPath, 'actor'], step.actor, roles, 'task owner (a role)')
      }
      if (step.recycleScenario !== undefined) {
        expectOneOf(
          [...stepPath, 'recycleScenario'],
          step.recycleScenario,
          policy.recycling.scenarios.map((scenario) => scenario.id),
          'recycling scenario',
        )
      }
    })
    checkOrdered(
      chain.steps.map((step, i) => ({ path: [...path, 'steps', i, 'at'], duration: step.at })),
      'escalation step',
      report,
    )
  }

  policy.staleOpportunityTriggers.forEach((trigger, i) =>
    trigger.alertTo.forEach((role, j) =>
      expectOneOf(['staleOpportunityTriggers', i, 'alertTo', j], role, roles, 'role'),
    ),
  )
  policy.opportunityStages.forEach((stage, i) => {
    if (stage.stage !== i + 1) {
      report(
        ['opportunityStages', i, 'stage'],
        `opportunity stages must be numbered 1, 2, 3… in order; expected ${i + 1}, got ${stage.stage}`,
      )
    }
  })
  policy.recycling.scenarios.forEach((scenario, i) => {
    expectOneOf(['recycling', 'scenarios', i, 'owner'], scenario.owner, roles, 'role')
    if (scenario.checkInBy !== undefined) {
      expectOneOf(['recycling', 'scenarios', i, 'checkInBy'], scenario.checkInBy, roles, 'role')
    }
  })

  // Metrics: green must be on the better side of red.
  policy.metrics.forEach((metric, i) => {
    const coherent =
      metric.better === 'higher' ? metric.green > metric.red : metric.green < metric.red
    if (!coherent) {
      report(
        ['metrics', i],
        `green ${metric.green} and red ${metric.red} contradict better: ${metric.better}; allowed: green ${metric.better === 'higher' ? '>' : '<'} red`,
      )
    }
  })

  // Calendars and which one applies.
  for (const [calendarId, spec] of Object.entries(policy.calendars)) {
    for (const problem of checkCalendarDefinition({ id: calendarId, ...spec })) {
      report(['calendars', calendarId, ...problem.path], problem.message)
    }
  }
  expectOneOf(
    ['calendarSelection', 'default'],
    policy.calendarSelection.default,
    calendars,
    'calendar',
  )
  for (const [country, calendarId] of Object.entries(policy.calendarSelection.byCountry)) {
    expectOneOf(['calendarSelection', 'byCountry', country], calendarId, calendars, 'calendar')
  }
  for (const [zone, calendarId] of Object.entries(policy.calendarSelection.byTimeZone ?? {})) {
    if (!IANAZone.isValidZone(zone)) {
      report(
        ['calendarSelection', 'byTimeZone', zone],
        `"${zone}" is not an IANA time zone; use one such as "Europe/London"`,
      )
    }
    expectOneOf(['calendarSelection', 'byTimeZone', zone], calendarId, calendars, 'calendar')
  }

  policy.surge.directRouteTiers.forEach((tier, i) =>
    expectOneOf(['surge', 'directRouteTiers', i], tier, responseTierIds, 'tier'),
  )
  expectOneOf(
    ['gracePeriod', 'maxEscalationRole'],
    policy.gracePeriod.maxEscalationRole,
    roles,
    'role',
  )
  expectOneOf(['triage', 'queue'], policy.triage.queue, roles, 'role')
  expectUnique(
    policy.routing.ruleOrder.map((rule, i) => ({ path: ['routing', 'ruleOrder', i], value: rule })),
    'routing rule',
  )
  return problems
}

function formatDeadline(deadline: Deadline): string {
  return isDuration(deadline) ? formatDuration(deadline) : deadline
}

function sameDeadline(a: Deadline, b: Deadline): boolean {
  return formatDeadline(a) === formatDeadline(b)
}

function isDuration(deadline: Deadline): deadline is PolicyDuration {
  return typeof deadline === 'object'
}

/** Sign of a − b, or undefined when business and wall-clock durations cannot be compared. */
function compareDurations(a: PolicyDuration, b: PolicyDuration): number | undefined {
  if (a.business !== b.business) {
    return undefined
  }
  return durationMs(a, NOMINAL_BUSINESS_DAY_MS) - durationMs(b, NOMINAL_BUSINESS_DAY_MS)
}

function checkOrdered(
  steps: readonly { path: PolicyPath; duration: PolicyDuration }[],
  what: string,
  report: (path: PolicyPath, message: string) => void,
): void {
  steps.forEach((step, i) => {
    const previous = steps[i - 1]
    if (!previous) {
      return
    }
    const comparison = compareDurations(previous.duration, step.duration)
    if (comparison !== undefined && comparison >= 0) {
      report(
        step.path,
        `${what} out of order: "${formatDuration(step.duration)}" does not come after the previous "${formatDuration(previous.duration)}"; allowed: strictly increasing times`,
      )
    }
  })
}
