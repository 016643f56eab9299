/**
 * Rules that relate one part of a policy to another: references resolve, targets come before
 * breaches, escalation steps are in order, thresholds are coherent, calendars are sound. Each rule
 * checks one thing and returns its problems, located by path.
 */
import { IANAZone } from 'luxon'

import { checkCalendarDefinition } from '../calendar/index.js'
import { acvResponseTiers, checkAcvTiers } from './check-acv-tiers.js'
import type { PolicyDuration } from './duration.js'
import { durationMs, formatDuration } from './duration.js'
import type { PolicyPath, UnlocatedProblem } from './parse-policy.js'
import type { Deadline, Policy } from './policy-schema.js'
import {
  ACTIVITY_LOGGING_ACTION,
  formatDeadline,
  isDurationDeadline,
  LIFECYCLE_STAGES,
} from './policy-schema.js'

type PolicyRule = (policy: Policy) => UnlocatedProblem[]

export function checkPolicy(policy: Policy): UnlocatedProblem[] {
  return POLICY_RULES.flatMap((rule) => rule(policy))
}

/** In document order, so the problems of one spot come out in a stable order. */
const POLICY_RULES: readonly PolicyRule[] = [
  stagesCoverTheLifecycle,
  mqlEntryCriteriaNameKnownPersonasAndTiers,
  patternsAreRegularExpressions,
  icpCompanySizeIsARange,
  scoringSignalsAreUniqueAndKnown,
  intentActionsBelongToOneTier,
  managerReviewBandEndsBelowTheThreshold,
  decayStepsAreInTimeOrder,
  checkAcvTiers,
  responseTiersMatchIntentTiersAndActions,
  touchPlanIsInOrderForKnownTiers,
  reasonCodesAreUniqueWithKnownRoles,
  rejectionNamesKnownTaxonomiesAndCodes,
  slaItemIdsAreUnique,
  slaItemsAreSound,
  salActionIdsAreUnique,
  activityLoggingWindowIsADuration,
  salActionsAgreeWithTheirSlaItems,
  escalationChainsAreSound,
  staleOpportunityTriggersAlertKnownRoles,
  opportunityStagesAreNumberedInOrder,
  recyclingScenariosNameKnownRoles,
  metricsAreSound,
  calendarsAreSound,
  calendarSelectionNamesKnownCalendarsAndZones,
  surgeRoutesKnownTiersDirectly,
  gracePeriodAndTriageNameKnownRoles,
  routingRulesAreListedOnce,
]

/** Recipients an escalation step may name besides roles. */
const NOTIFY_TOKENS = ['owner', 'owner-manager'] as const
/** Actors besides roles. */
const ACTOR_TOKENS = ['system'] as const
/** Calendar selectors a clock may name besides calendar ids. */
const CALENDAR_TOKENS = ['prospect', 'owner'] as const

/** Used only to compare business days with business hours when checking order. */
const NOMINAL_BUSINESS_DAY_MS = 10 * 60 * 60 * 1000

// ---------------------------------------------------------------------------------------------
// Stages, entry criteria, personas and hygiene

function stagesCoverTheLifecycle(policy: Policy): UnlocatedProblem[] {
  return [
    ...unique(
      policy.stages.map((stage, i) => ({ path: ['stages', i, 'id'], value: stage.id })),
      'stage id',
    ),
    ...policy.stages.flatMap((stage, i) => knownRole(policy, ['stages', i, 'owner'], stage.owner)),
    ...LIFECYCLE_STAGES.filter(
      (required) => !policy.stages.some((stage) => stage.id === required),
    ).map((required) => ({
      path: ['stages'],
      message: `stage "${required}" is missing; the lifecycle needs: ${LIFECYCLE_STAGES.join(', ')}`,
    })),
  ]
}

function mqlEntryCriteriaNameKnownPersonasAndTiers(policy: Policy): UnlocatedProblem[] {
  const personas = Object.keys(policy.personas)
  const tiers = Object.keys(policy.intentTiers)
  return policy.mqlEntryCriteria.flatMap(({ rule }, i) => {
    const path = ['mqlEntryCriteria', i, 'rule']
    switch (rule.kind) {
      case 'persona-in':
        return rule.personas.flatMap((persona, j) =>
          oneOf([...path, 'personas', j], persona, personas, 'persona'),
        )
      case 'intent-actions':
        return rule.anyOf.flatMap((clause, j) =>
          oneOf([...path, 'anyOf', j, 'tier'], clause.tier, tiers, 'intent tier'),
        )
      default:
        return []
    }
  })
}

function patternsAreRegularExpressions(policy: Policy): UnlocatedProblem[] {
  const { studentDomainPatterns, studentTitlePatterns } = policy.hygiene
  return [
    ...Object.entries(policy.personas).flatMap(([personaId, persona]) =>
      persona.titlePatterns.flatMap((pattern, i) =>
        regularExpression(['personas', personaId, 'titlePatterns', i], pattern),
      ),
    ),
    ...studentDomainPatterns.flatMap((pattern, i) =>
      regularExpression(['hygiene', 'studentDomainPatterns', i], pattern),
    ),
    ...studentTitlePatterns.flatMap((pattern, i) =>
      regularExpression(['hygiene', 'studentTitlePatterns', i], pattern),
    ),
  ]
}

function icpCompanySizeIsARange(policy: Policy): UnlocatedProblem[] {
  const { min, max } = policy.icp.companySize
  return problemWhen(min > max, ['icp', 'companySize'], `min ${min} is above max ${max}`)
}

// ---------------------------------------------------------------------------------------------
// Scoring and response tiers

function scoringSignalsAreUniqueAndKnown(policy: Policy): UnlocatedProblem[] {
  const signalIds = policy.scoring.signals.map((signal) => signal.id)
  const knownSignal = (path: PolicyPath, signal: string): UnlocatedProblem[] =>
    oneOf(path, signal, signalIds, 'scoring signal')
  return [
    ...unique(
      policy.scoring.signals.map((signal, i) => ({
        path: ['scoring', 'signals', i, 'id'],
        value: signal.id,
      })),
      'scoring signal',
    ),
    ...Object.entries(policy.scoring.actionSignals ?? {}).flatMap(([action, signal]) =>
      knownSignal(['scoring', 'actionSignals', action], signal),
    ),
    ...Object.entries(policy.personas).flatMap(([personaId, persona]) =>
      knownSignal(['personas', personaId, 'signal'], persona.signal),
    ),
    ...knownSignal(['icp', 'industrySignal'], policy.icp.industrySignal),
    ...knownSignal(['icp', 'companySizeSignal'], policy.icp.companySizeSignal),
  ]
}

function intentActionsBelongToOneTier(policy: Policy): UnlocatedProblem[] {
  const tierOfAction = new Map<string, string>()
  return Object.entries(policy.intentTiers).flatMap(([tierId, tier]) =>
    tier.actions.flatMap((action, i) => {
      const other = tierOfAction.get(action)
      tierOfAction.set(action, tierId)
      return other === undefined
        ? []
        : problem(
            ['intentTiers', tierId, 'actions', i],
            `action "${action}" is already in intent tier "${other}"; an action belongs to one tier`,
          )
    }),
  )
}

function managerReviewBandEndsBelowTheThreshold(policy: Policy): UnlocatedProblem[] {
  const { threshold, managerReviewBand: band } = policy.scoring
  return [
    ...problemWhen(
      band.min > band.max,
      ['scoring', 'managerReviewBand'],
      `min ${band.min} is above max ${band.max}`,
    ),
    ...problemWhen(
      band.max >= threshold,
      ['scoring', 'managerReviewBand', 'max'],
      `manager review band must end below the MQL threshold ${threshold}; got max ${band.max}`,
    ),
  ]
}

function decayStepsAreInTimeOrder(policy: Policy): UnlocatedProblem[] {
  return inTimeOrder(
    policy.scoring.decay.map((step, i) => ({
      path: ['scoring', 'decay', i, 'afterInactivity'],
      duration: step.afterInactivity,
    })),
    'decay step',
  )
}

/** Response tiers mirror intent tiers (or are named by an ACV tier); triggers are intent actions. */
function responseTiersMatchIntentTiersAndActions(policy: Policy): UnlocatedProblem[] {
  const acvNamed = acvResponseTiers(policy)
  const tierIds = [...Object.keys(policy.intentTiers), ...acvNamed]
  const what =
    acvNamed.length === 0
      ? 'response tier (must match an intent tier)'
      : 'response tier (must match an intent tier or an ACV tier’s responseTier)'
  const intentActions = new Set(Object.values(policy.intentTiers).flatMap((tier) => tier.actions))
  const scoredActions = [
    ...policy.scoring.signals.map((signal) => signal.id),
    ...Object.keys(policy.scoring.actionSignals ?? {}),
  ]
  const triggers = [...intentActions, ...scoredActions]
  return Object.entries(policy.responseTiers).flatMap(([tierId, tier]) => [
    ...oneOf(['responseTiers', tierId], tierId, tierIds, what),
    ...tier.triggers.flatMap((trigger, i) =>
      oneOf(['responseTiers', tierId, 'triggers', i], trigger, triggers, 'trigger action'),
    ),
  ])
}

function touchPlanIsInOrderForKnownTiers(policy: Policy): UnlocatedProblem[] {
  return policy.touchPlan.flatMap((touch, i) => {
    const previous = policy.touchPlan[i - 1]
    return [
      ...touch.tiers.flatMap((tier, j) =>
        knownResponseTier(policy, ['touchPlan', i, 'tiers', j], tier),
      ),
      ...problemWhen(
        previous !== undefined && (touch.touch <= previous.touch || touch.day < previous.day),
        ['touchPlan', i],
        `touch ${touch.touch} on day ${touch.day} is out of order; touches must increase and days must not go back`,
      ),
    ]
  })
}

// ---------------------------------------------------------------------------------------------
// Reason codes and rejection

function reasonCodesAreUniqueWithKnownRoles(policy: Policy): UnlocatedProblem[] {
  const codes = Object.entries(policy.reasonTaxonomies).flatMap(([taxonomyId, taxonomy]) =>
    taxonomy.codes.map((code, i) => ({ code, path: ['reasonTaxonomies', taxonomyId, 'codes', i] })),
  )
  return [
    ...codes.flatMap(({ code, path }) => [
      ...(code.reviewedBy === undefined
        ? []
        : knownRole(policy, [...path, 'reviewedBy'], code.reviewedBy)),
      ...(code.task === undefined
        ? []
        : knownRole(policy, [...path, 'task', 'owner'], code.task.owner)),
    ]),
    ...unique(
      codes.map(({ code, path }) => ({ path: [...path, 'code'], value: code.code })),
      'reason code',
    ),
  ]
}

function rejectionNamesKnownTaxonomiesAndCodes(policy: Policy): UnlocatedProblem[] {
  const { rejection } = policy
  const taxonomies = Object.keys(policy.reasonTaxonomies)
  const aeCodes = policy.reasonTaxonomies[rejection.ae]?.codes.map((code) => code.code) ?? []
  return [
    ...oneOf(['rejection', 'sal'], rejection.sal, taxonomies, 'reason taxonomy'),
    ...oneOf(['rejection', 'ae'], rejection.ae, taxonomies, 'reason taxonomy'),
    ...rejection.aeRejectionReviewThreshold.codes.flatMap((code, i) =>
      oneOf(['rejection', 'aeRejectionReviewThreshold', 'codes', i], code, aeCodes, 'reason code'),
    ),
  ]
}

// ---------------------------------------------------------------------------------------------
// SLA items and SAL actions

function slaItemIdsAreUnique(policy: Policy): UnlocatedProblem[] {
  return unique(
    policy.slaItems.map((item, i) => ({ path: ['slaItems', i, 'id'], value: item.id })),
    'SLA item id',
  )
}

function slaItemsAreSound(policy: Policy): UnlocatedProblem[] {
  const chains = Object.keys(policy.escalationChains)
  const staleTriggers = policy.staleOpportunityTriggers.map((trigger) => trigger.id)
  return policy.slaItems.flatMap((item, i) => {
    const path = ['slaItems', i]
    const beforeMeeting = [item.target, item.breach].includes('before first meeting')
    return [
      ...knownRole(policy, [...path, 'owner'], item.owner),
      ...item.escalateTo.flatMap((role, j) => knownRole(policy, [...path, 'escalateTo', j], role)),
      ...(item.responseTier === undefined
        ? []
        : knownResponseTier(policy, [...path, 'responseTier'], item.responseTier)),
      ...(item.escalationChain === undefined
        ? []
        : oneOf([...path, 'escalationChain'], item.escalationChain, chains, 'escalation chain')),
      ...problemWhen(
        beforeMeeting && item.beforeMeeting === undefined,
        [...path, 'beforeMeeting'],
        '"before first meeting" needs beforeMeeting: how long before the meeting',
      ),
      ...(item.staleTrigger === undefined
        ? []
        : oneOf(
            [...path, 'staleTrigger'],
            item.staleTrigger,
            staleTriggers,
            'stale-opportunity trigger',
          )),
      ...(item.clock
        ? knownClockCalendar(policy, [...path, 'clock', 'calendar'], item.clock.calendar)
        : []),
      ...targetAndCheckInComeBeforeBreach(item, path),
    ]
  })
}

function targetAndCheckInComeBeforeBreach(
  item: Policy['slaItems'][number],
  path: PolicyPath,
): UnlocatedProblem[] {
  const { target, breach, checkIn } = item
  if (!isDurationDeadline(target) || !isDurationDeadline(breach)) {
    return []
  }
  return [
    ...problemWhen(
      longer(target, breach),
      [...path, 'target'],
      `SLA target "${formatDuration(target)}" is longer than its breach threshold "${formatDuration(breach)}"; allowed: target ≤ breach`,
    ),
    ...(checkIn && longer(checkIn, breach)
      ? problem(
          [...path, 'checkIn'],
          `check-in "${formatDuration(checkIn)}" comes after the breach threshold "${formatDuration(breach)}"`,
        )
      : []),
  ]
}

function salActionIdsAreUnique(policy: Policy): UnlocatedProblem[] {
  return unique(
    policy.salActions.map((action, i) => ({ path: ['salActions', i, 'id'], value: action.id })),
    'SAL action id',
  )
}

/** The late-logging flag reads the activity-logging row's window: it must be there, a duration. */
function activityLoggingWindowIsADuration(policy: Policy): UnlocatedProblem[] {
  const loggingIndex = policy.salActions.findIndex(
    (action) => action.id === ACTIVITY_LOGGING_ACTION,
  )
  const logging = policy.salActions[loggingIndex]
  if (!logging) {
    return problem(
      ['salActions'],
      `needs the ${ACTIVITY_LOGGING_ACTION} row: its window is when an activity is flagged late-logged`,
    )
  }
  return isDurationDeadline(logging.window)
    ? []
    : problem(
        ['salActions', loggingIndex, 'window'],
        `"${logging.window}" is not a duration; the ${ACTIVITY_LOGGING_ACTION} window flags late-logged activities`,
      )
}

/**
 * Section 04's SAL action windows: a row that names an SLA item is that item's target, and a
 * checked window runs in a known calendar.
 */
function salActionsAgreeWithTheirSlaItems(policy: Policy): UnlocatedProblem[] {
  return policy.salActions.flatMap((action, i) => {
    const path = ['salActions', i]
    const problems = [
      ...knownRole(policy, [...path, 'owner'], action.owner),
      ...(action.clock
        ? knownClockCalendar(policy, [...path, 'clock', 'calendar'], action.clock.calendar)
        : []),
    ]
    if (action.slaItem === undefined) {
      return problems
    }
    const item = policy.slaItems.find((candidate) => candidate.id === action.slaItem)
    if (!item) {
      return [
        ...problems,
        ...oneOf(
          [...path, 'slaItem'],
          action.slaItem,
          policy.slaItems.map((candidate) => candidate.id),
          'SLA item',
        ),
      ]
    }
    return [
      ...problems,
      ...problemWhen(
        !sameDeadline(action.window, item.target),
        [...path, 'window'],
        `window "${formatDeadline(action.window)}" disagrees with the target "${formatDeadline(item.target)}" of SLA item ${item.id}; the two are one deadline`,
      ),
    ]
  })
}

// ---------------------------------------------------------------------------------------------
// Escalation chains, opportunities, recycling, metrics

function escalationChainsAreSound(policy: Policy): UnlocatedProblem[] {
  return Object.entries(policy.escalationChains).flatMap(([chainId, chain]) => {
    const path = ['escalationChains', chainId]
    return [
      ...unique(
        chain.steps.map((step, i) => ({ path: [...path, 'steps', i, 'id'], value: step.id })),
        'step id',
      ),
      ...chain.steps.flatMap((step, i) =>
        escalationStepNamesKnownParties(policy, step, [...path, 'steps', i]),
      ),
      ...inTimeOrder(
        chain.steps.map((step, i) => ({ path: [...path, 'steps', i, 'at'], duration: step.at })),
        'escalation step',
      ),
    ]
  })
}

function escalationStepNamesKnownParties(
  policy: Policy,
  step: Policy['escalationChains'][string]['steps'][number],
  path: PolicyPath,
): UnlocatedProblem[] {
  const roles = Object.keys(policy.roles)
  return [
    ...oneOf([...path, 'actor'], step.actor, [...ACTOR_TOKENS, ...roles], 'actor'),
    ...step.notify.flatMap((recipient, j) =>
      oneOf([...path, 'notify', j], recipient, [...NOTIFY_TOKENS, ...roles], 'recipient'),
    ),
    ...(step.tiers ?? []).flatMap((tier, j) =>
      knownResponseTier(policy, [...path, 'tiers', j], tier),
    ),
    // A step with taskDue opens a task: it needs the event that opens it and a role to own it.
    ...(step.taskDue === undefined
      ? []
      : [
          ...problemWhen(
            step.when === undefined,
            [...path, 'taskDue'],
            'taskDue needs a `when` event: the task opens on it',
          ),
          ...oneOf([...path, 'actor'], step.actor, roles, 'task owner (a role)'),
        ]),
    // A routine step is the normal flow telling the owner: nothing about it escalates.
    ...problemWhen(
      step.routine === true &&
        (step.severity !== undefined ||
          step.managerActions !== undefined ||
          step.rootCauseDue !== undefined ||
          step.reassign === true ||
          step.outcome !== undefined),
      [...path, 'routine'],
      'a routine step only notifies; allowed without severity, managerActions, rootCauseDue, reassign and outcome',
    ),
    ...(step.recycleScenario === undefined
      ? []
      : oneOf(
          [...path, 'recycleScenario'],
          step.recycleScenario,
          policy.recycling.scenarios.map((scenario) => scenario.id),
          'recycling scenario',
        )),
  ]
}

function staleOpportunityTriggersAlertKnownRoles(policy: Policy): UnlocatedProblem[] {
  return policy.staleOpportunityTriggers.flatMap((trigger, i) =>
    trigger.alertTo.flatMap((role, j) =>
      knownRole(policy, ['staleOpportunityTriggers', i, 'alertTo', j], role),
    ),
  )
}

function opportunityStagesAreNumberedInOrder(policy: Policy): UnlocatedProblem[] {
  return policy.opportunityStages.flatMap((stage, i) =>
    problemWhen(
      stage.stage !== i + 1,
      ['opportunityStages', i, 'stage'],
      `opportunity stages must be numbered 1, 2, 3… in order; expected ${i + 1}, got ${stage.stage}`,
    ),
  )
}

function recyclingScenariosNameKnownRoles(policy: Policy): UnlocatedProblem[] {
  return policy.recycling.scenarios.flatMap((scenario, i) => [
    ...knownRole(policy, ['recycling', 'scenarios', i, 'owner'], scenario.owner),
    ...(scenario.checkInBy === undefined
      ? []
      : knownRole(policy, ['recycling', 'scenarios', i, 'checkInBy'], scenario.checkInBy)),
  ])
}

/**
 * Green must be on the better side of red; a metric rates a known SLA item; the response rubric's
 * bands grow longer, and only the last may be open-ended.
 */
function metricsAreSound(policy: Policy): UnlocatedProblem[] {
  const rated = [
    ...policy.metrics.map((metric, i) => ({ rag: metric, path: ['metrics', i] })),
    ...policy.measurement.thresholds.map((threshold, i) => ({
      rag: threshold,
      path: ['measurement', 'thresholds', i],
    })),
  ]
  const bands = policy.measurement.responseScoring.bands
  const bandMs = bands.map((band) =>
    band.within === undefined ? Infinity : durationMs(band.within, NOMINAL_BUSINESS_DAY_MS),
  )
  return [
    ...rated.flatMap(({ rag, path }) =>
      problemWhen(
        rag.better === 'higher' ? rag.green <= rag.red : rag.green >= rag.red,
        path,
        `green ${rag.green} and red ${rag.red} contradict better: ${rag.better}; allowed: green ${rag.better === 'higher' ? '>' : '<'} red`,
      ),
    ),
    ...policy.metrics.flatMap((metric, i) =>
      metric.slaItem === undefined
        ? []
        : oneOf(
            ['metrics', i, 'slaItem'],
            metric.slaItem,
            policy.slaItems.map((item) => item.id),
            'SLA item',
          ),
    ),
    ...bandMs.flatMap((ms, i) =>
      problemWhen(
        i > 0 && ms <= (bandMs[i - 1] ?? 0),
        ['measurement', 'responseScoring', 'bands', i],
        'each band must reach further than the one before it; only the last may omit within',
      ),
    ),
    ...bands.flatMap((band, i) =>
      problemWhen(
        band.within !== undefined &&
          !(band.within.business && ['minute', 'hour'].includes(band.within.unit)),
        ['measurement', 'responseScoring', 'bands', i, 'within'],
        'a band counts business time on the response clock; allowed: business minutes or hours',
      ),
    ),
  ]
}

// ---------------------------------------------------------------------------------------------
// Calendars and which one applies; routing

function calendarsAreSound(policy: Policy): UnlocatedProblem[] {
  return Object.entries(policy.calendars).flatMap(([calendarId, spec]) =>
    checkCalendarDefinition({ id: calendarId, ...spec }).map((calendarProblem) => ({
      path: ['calendars', calendarId, ...calendarProblem.path],
      message: calendarProblem.message,
    })),
  )
}

function calendarSelectionNamesKnownCalendarsAndZones(policy: Policy): UnlocatedProblem[] {
  const { calendarSelection } = policy
  return [
    ...knownCalendar(policy, ['calendarSelection', 'default'], calendarSelection.default),
    ...Object.entries(calendarSelection.byCountry).flatMap(([country, calendarId]) =>
      knownCalendar(policy, ['calendarSelection', 'byCountry', country], calendarId),
    ),
    ...Object.entries(calendarSelection.byTimeZone ?? {}).flatMap(([zone, calendarId]) => [
      ...problemWhen(
        !IANAZone.isValidZone(zone),
        ['calendarSelection', 'byTimeZone', zone],
        `"${zone}" is not an IANA time zone; use one such as "Europe/London"`,
      ),
      ...knownCalendar(policy, ['calendarSelection', 'byTimeZone', zone], calendarId),
    ]),
  ]
}

function surgeRoutesKnownTiersDirectly(policy: Policy): UnlocatedProblem[] {
  return policy.surge.directRouteTiers.flatMap((tier, i) =>
    knownResponseTier(policy, ['surge', 'directRouteTiers', i], tier),
  )
}

function gracePeriodAndTriageNameKnownRoles(policy: Policy): UnlocatedProblem[] {
  return [
    ...knownRole(
      policy,
      ['gracePeriod', 'maxEscalationRole'],
      policy.gracePeriod.maxEscalationRole,
    ),
    ...knownRole(policy, ['triage', 'queue'], policy.triage.queue),
  ]
}

function routingRulesAreListedOnce(policy: Policy): UnlocatedProblem[] {
  return unique(
    policy.routing.ruleOrder.map((rule, i) => ({ path: ['routing', 'ruleOrder', i], value: rule })),
    'routing rule',
  )
}

// ---------------------------------------------------------------------------------------------
// Building blocks

function problem(path: PolicyPath, message: string): UnlocatedProblem[] {
  return [{ path, message }]
}

function problemWhen(failed: boolean, path: PolicyPath, message: string): UnlocatedProblem[] {
  return failed ? problem(path, message) : []
}

function oneOf(
  path: PolicyPath,
  value: string,
  allowed: readonly string[],
  what: string,
): UnlocatedProblem[] {
  return problemWhen(
    !allowed.includes(value),
    path,
    `unknown ${what} "${value}"; allowed: ${allowed.join(', ')}`,
  )
}

function knownRole(policy: Policy, path: PolicyPath, role: string): UnlocatedProblem[] {
  return oneOf(path, role, Object.keys(policy.roles), 'role')
}

/** Clocks, escalation steps, touches and surge rules key on the lead's response tier. */
function knownResponseTier(policy: Policy, path: PolicyPath, tier: string): UnlocatedProblem[] {
  return oneOf(path, tier, Object.keys(policy.responseTiers), 'tier')
}

function knownCalendar(policy: Policy, path: PolicyPath, calendarId: string): UnlocatedProblem[] {
  return oneOf(path, calendarId, Object.keys(policy.calendars), 'calendar')
}

/** A clock runs in a named calendar or in the prospect's or owner's. */
function knownClockCalendar(
  policy: Policy,
  path: PolicyPath,
  selector: string,
): UnlocatedProblem[] {
  return oneOf(path, selector, [...CALENDAR_TOKENS, ...Object.keys(policy.calendars)], 'calendar')
}

function unique(
  values: readonly { path: PolicyPath; value: string }[],
  what: string,
): UnlocatedProblem[] {
  const seen = new Set<string>()
  return values.flatMap(({ path, value }) => {
    const duplicate = seen.has(value)
    seen.add(value)
    return problemWhen(duplicate, path, `duplicate ${what} "${value}"; each ${what} must be unique`)
  })
}

function regularExpression(path: PolicyPath, pattern: string): UnlocatedProblem[] {
  try {
    new RegExp(pattern, 'i')
    return []
  } catch {
    return problem(path, `"${pattern}" is not a valid regular expression`)
  }
}

function inTimeOrder(
  steps: readonly { path: PolicyPath; duration: PolicyDuration }[],
  what: string,
): UnlocatedProblem[] {
  return steps.flatMap((step, i) => {
    const previous = steps[i - 1]
    const comparison = previous ? compareDurations(previous.duration, step.duration) : undefined
    return previous !== undefined && comparison !== undefined && comparison >= 0
      ? problem(
          step.path,
          `${what} out of order: "${formatDuration(step.duration)}" does not come after the previous "${formatDuration(previous.duration)}"; allowed: strictly increasing times`,
        )
      : []
  })
}

function sameDeadline(a: Deadline, b: Deadline): boolean {
  return formatDeadline(a) === formatDeadline(b)
}

/** Whether `a` is longer than `b` (never when business and wall-clock time are compared). */
function longer(a: PolicyDuration, b: PolicyDuration): boolean {
  const comparison = compareDurations(a, b)
  return comparison !== undefined && comparison > 0
}

/** Sign of a − b, or undefined when business and wall-clock durations cannot be compared. */
function compareDurations(a: PolicyDuration, b: PolicyDuration): number | undefined {
  if (a.business !== b.business) {
    return undefined
  }
  return durationMs(a, NOMINAL_BUSINESS_DAY_MS) - durationMs(b, NOMINAL_BUSINESS_DAY_MS)
}
