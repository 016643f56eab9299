/**
 * Logged activities at any stage: which count as a valid follow-up, the first attempt, the end of
 * the cadence, engagement, and flags for late or back-dated claims (which earn no credit).
 */
import { cadenceJustExhausted } from '../cadence.js'
import { lateLoggingAfterMs } from '../sal-actions.js'
import { cadenceTask, openTask } from '../tasks.js'
import type { StageHandlers } from './handler-context.js'
import { clock } from './handler-context.js'

export const followUpActivityHandlers = {
  'activity.logged': (context, payload) => {
    const { policy, event } = context
    const rules = policy.validFollowUps
    const flags: string[] = []
    const lateBy = event.receivedAt - event.occurredAt
    if (lateBy > lateLoggingAfterMs(policy)) {
      flags.push('late-logged')
      context.effects.push({
        kind: 'flagged',
        flag: 'late-logged',
        detail: `logged ${Math.round(lateBy / 60_000)} minutes after it happened`,
      })
    }
    if (event.occurredAt < context.state.createdAt) {
      flags.push('claimed-before-lead-existed')
      context.effects.push({
        kind: 'flagged',
        flag: 'claimed-before-lead-existed',
        detail: 'activity claimed before the lead existed',
      })
    }
    const countsAsFollowUp =
      (rules.activityTypes as readonly string[]).includes(payload.activityType) &&
      !rules.excluded.includes(payload.activityType) &&
      payload.automated !== true
    context.state = {
      ...context.state,
      activities: [
        ...context.state.activities,
        {
          activityType: payload.activityType,
          outcome: payload.outcome ?? null,
          occurredAt: event.occurredAt,
          receivedAt: event.receivedAt,
          countsAsFollowUp,
          flags,
        },
      ],
    }
    clock(context, 'activity-logged')
    // A late or back-dated claim earns no credit: the clock stops when the system saw it.
    const creditedAt = flags.length > 0 ? event.receivedAt : event.occurredAt
    if (payload.activityType === 'sequence-enrolment') {
      clock(context, 'sequence-enrolled', creditedAt)
    }
    const engaged =
      payload.outcome === 'connected' || payload.outcome === 'replied' || payload.outcome === 'held'
    if (engaged) {
      context.state = { ...context.state, lastEngagementAt: event.occurredAt }
    }
    if (!countsAsFollowUp) {
      return
    }
    clock(context, 'valid-follow-up', creditedAt)
    if (context.state.firstAttemptAt === null) {
      context.state = { ...context.state, firstAttemptAt: creditedAt }
      clock(context, 'first-attempt', creditedAt)
    }
    if (cadenceJustExhausted(context.policy, context.state)) {
      clock(context, 'cadence-completed-no-response', creditedAt)
      context.state = openTask(
        context.state,
        cadenceTask(context.policy, context.state, creditedAt),
      )
    }
    if (context.state.stage === 'sal' && payload.outcome === 'connected') {
      clock(context, 'call-connected-not-converted', creditedAt)
    }
    if (payload.activityType === 'meeting' && payload.outcome === 'held') {
      clock(context, 'meeting-held', creditedAt)
    }
  },
} satisfies StageHandlers
