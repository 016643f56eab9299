/**
 * Required follow-ups end to end: an AE rejection's task is kept in the `tasks` projection, listed
 * by GET /tasks and on the lead, delivered once through the CRM-task channel by the escalation
 * scheduler, escalated to the SDR's manager when overdue, and closed (overdue step cancelled) by
 * `task.completed`.
 */

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { deliverDueNotifications } from '../../src/app/deliver-notifications.js'
import type { DeliveryDependencies } from '../../src/app/deliver-notifications.js'
import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import type { NewLeadEvent } from '../../src/domain/recorded-event.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  DAY,
  HOUR,
  leadEvent,
  loadDefaultPolicy,
  MINUTE,
  mqlEvents,
  REFERENCE_TIMESTAMP as T0,
  sqlEvents,
  withOwnAddress,
} from '../../src/domain/test-support.js'
import { createServer } from '../../src/http/create-server.js'
import type { CrmTask } from '../../src/notify/crm-task-channel.js'
import { createCrmTaskChannel } from '../../src/notify/crm-task-channel.js'
import type { NotificationChannel, NotificationChannelName } from '../../src/notify/notification.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS, freshDatabase } from './dialects.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)

/** Thursday 2026-03-05 09:00 New York: the AE rejects the SQL. */
const REJECTED_AT = T0 + 2 * DAY
/** 14 business days (08:00–18:00) later: Wednesday 25 March 09:00 EDT. */
const DUE_AT = Date.parse('2026-03-25T13:00:00Z')
const API_NOW = REJECTED_AT + HOUR

/** An SQL of Ana's that the AE rejects with `code`. */
function rejectedSql(leadId: string, code: string): NewLeadEvent[] {
  const history = sqlEvents(leadId, T0).map((event) =>
    event.type === 'owner.assigned'
      ? { ...event, payload: { ...event.payload, ownerId: 'sdr-ana-lopez' } }
      : event,
  )
  return withOwnAddress([
    ...history,
    leadEvent(leadId, 'ae.rejected', { reasonCode: code }, REJECTED_AT),
  ])
}

/** A Tier 1 SAL of Ana's worked through the touch plan's 8 attempts; the 4th one `fourth`. */
const EIGHTH_AT = T0 + 13 * DAY // Monday 16 March 2026 10:00 EDT
function workedCadence(leadId: string, fourth: 'voicemail' | 'connected'): NewLeadEvent[] {
  const attempt = (
    activityType: 'call' | 'email' | 'linkedin',
    outcome: 'no-answer' | 'sent' | 'voicemail' | 'connected',
    at: number,
  ): NewLeadEvent => leadEvent(leadId, 'activity.logged', { activityType, outcome }, at)
  return withOwnAddress([
    ...mqlEvents(leadId, T0, 'sdr-ana-lopez'),
    leadEvent(leadId, 'sal.accepted', {}, T0 + 10 * MINUTE),
    attempt('call', 'no-answer', T0 + 3 * MINUTE),
    attempt('email', 'sent', T0 + 20 * MINUTE),
    attempt('linkedin', 'sent', T0 + DAY),
    attempt('call', fourth, T0 + 2 * DAY),
    attempt('email', 'sent', T0 + 6 * DAY),
    attempt('call', 'no-answer', T0 + 8 * DAY),
    attempt('email', 'sent', T0 + 9 * DAY),
    attempt('email', 'sent', EIGHTH_AT),
  ])
}

const taskIdOf = (leadId: string, code: string): string => `${leadId}:task:${code}:${REJECTED_AT}`

for (const dialect of DIALECTS) {
  describe(`tasks on ${dialect}`, () => {
    let database: Database
    let scheduler: SchedulerDependencies
    let delivery: DeliveryDependencies
    let app: FastifyInstance
    let admin: ApiCaller
    const crmTasks: CrmTask[] = []
    const tasksOf = (leadId: string): CrmTask[] =>
      crmTasks.filter((task) => task.idempotencyKey.startsWith(`${leadId}:task:`))

    beforeAll(async () => {
      database = await freshDatabase(dialect)
      const repository = createLeadRepository(database)
      const crm = createCrmTaskChannel({
        createTask: (task) => {
          crmTasks.push(task)
          return Promise.resolve({ ok: true })
        },
      })
      scheduler = {
        repository,
        policy,
        roster: () => roster,
        channels: [crm.name],
        leads: leadDerivation(policy),
      }
      delivery = {
        outbox: repository.outbox,
        channels: new Map<NotificationChannelName, NotificationChannel>([[crm.name, crm]]),
      }
      app = await createServer({
        repository,
        policy,
        calendars: createCalendarSet(policy),
        now: () => API_NOW,
      })
      admin = await apiCaller({ app, repository, policy }, 'admin', 'revops-mei-tanaka')
      const outcomes = await ingestEvents(
        { repository, policy },
        [
          ...rejectedSql('lead-r', 'AE-REJ-04'),
          ...rejectedSql('lead-a', 'AE-REJ-05'),
          ...workedCadence('lead-c', 'voicemail'),
          ...workedCadence('lead-d', 'connected'),
        ].map((event) => ({ ok: true as const, event })),
      )
      expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true)
    })
    afterAll(async () => {
      await app?.close()
      await database?.close()
    })

    it('lists the open tasks by owner and due instant, and on the lead', async () => {
      const ana = await admin.inject({
        method: 'GET',
        url: '/tasks?owner=sdr-ana-lopez&state=open&leadId=lead-r',
      })
      expect(ana.statusCode).toBe(200)
      expect(ana.json()).toEqual({
        tasks: [
          {
            taskId: taskIdOf('lead-r', 'AE-REJ-04'),
            leadId: 'lead-r',
            source: 'AE-REJ-04',
            text: 'AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked',
            ownerRole: 'sdr',
            ownerId: 'sdr-ana-lopez',
            openedAt: new Date(REJECTED_AT).toISOString(),
            dueAt: new Date(DUE_AT).toISOString(),
            calendarProblem: null,
            state: 'open',
            completedAt: null,
            completedBy: null,
            escalateTo: ['owner-manager'],
          },
        ],
      })
      // RevOps owns the arbitration as a team; due one business day later (Fri 09:00 EST).
      const revops = await admin.inject({
        method: 'GET',
        url: `/tasks?owner=revops&due_before=${encodeURIComponent('2026-03-06T09:00:01-05:00')}`,
      })
      expect(
        revops
          .json<{ tasks: { taskId: string; dueAt: string }[] }>()
          .tasks.map((task) => [task.taskId, task.dueAt]),
      ).toEqual([[taskIdOf('lead-a', 'AE-REJ-05'), '2026-03-06T14:00:00.000Z']])
      const early = await admin.inject({
        method: 'GET',
        url: `/tasks?owner=revops&due_before=${encodeURIComponent('2026-03-06T09:00:00-05:00')}`,
      })
      expect(early.json()).toEqual({ tasks: [] })
      const lead = await admin.inject({ method: 'GET', url: '/leads/lead-r' })
      expect(
        lead
          .json<{ tasks: { taskId: string; state: string }[] }>()
          .tasks.map((task) => [task.taskId, task.state]),
      ).toEqual([[taskIdOf('lead-r', 'AE-REJ-04'), 'open']])
    })

    it('refuses a due_before without an offset as problem+json', async () => {
      const response = await admin.inject({
        method: 'GET',
        url: '/tasks?due_before=2026-03-06T09:00',
      })
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    })

    it('delivers the assignment through the CRM-task channel exactly once', async () => {
      for (const round of [0, 1]) {
        await fireDueSteps(scheduler, REJECTED_AT + round * 1000)
        await deliverDueNotifications(delivery, REJECTED_AT + round * 1000 + 500)
      }
      expect(tasksOf('lead-r')).toEqual([
        {
          idempotencyKey: `${taskIdOf('lead-r', 'AE-REJ-04')}:assigned:crm-task:sdr-ana-lopez`,
          leadId: 'lead-r',
          assigneePersonId: 'sdr-ana-lopez',
          assigneeEmail: 'ana.lopez@leadclock.example',
          subject:
            'AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked — Dana Reyes (Acmesoft)',
          description: [
            'Notice: Task — AE-REJ-04 — Task assigned: AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked',
            'Lead: Dana Reyes (Acmesoft)',
            'Required action: AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked',
            'Action due: 2026-03-25T13:00:00.000Z',
          ].join('\n'),
          dueAt: DUE_AT,
          firedAt: REJECTED_AT,
        },
      ])
      expect(tasksOf('lead-a').map((task) => task.assigneePersonId)).toEqual(['revops-mei-tanaka'])
    })

    it('completing the arbitration closes it and cancels its overdue step', async () => {
      const response = await admin.inject({
        method: 'POST',
        url: '/leads/lead-a/transitions',
        payload: {
          type: 'task.completed',
          idempotencyKey: 'arbitrated-1',
          occurredAt: new Date(REJECTED_AT + 30 * 60_000).toISOString(),
          payload: { taskId: taskIdOf('lead-a', 'AE-REJ-05'), note: 'Account belongs to Omar' },
        },
      })
      expect(response.statusCode).toBe(200)
      const open = await admin.inject({ method: 'GET', url: '/tasks?owner=revops&state=open' })
      expect(open.json()).toEqual({ tasks: [] })
      const done = await admin.inject({ method: 'GET', url: '/tasks?owner=revops&state=done' })
      expect(
        done.json<{ tasks: { completedBy: string }[] }>().tasks.map((t) => t.completedBy),
      ).toEqual(['task.completed'])
      const timer = await database.db
        .selectFrom('sla_timers')
        .select('state')
        .where('step_key', '=', `${taskIdOf('lead-a', 'AE-REJ-05')}:overdue`)
        .executeTakeFirst()
      expect(timer?.state).toBe('cancelled')
    })

    it('escalates the overdue reschedule to Ana and her manager, once', async () => {
      for (const round of [0, 1]) {
        await fireDueSteps(scheduler, DUE_AT + round * 1000)
        await deliverDueNotifications(delivery, DUE_AT + round * 1000 + 500)
      }
      expect(
        tasksOf('lead-r')
          .filter((task) => task.idempotencyKey.includes(':overdue:'))
          .map((task) => [task.assigneePersonId, task.subject]),
      ).toEqual([
        [
          'sdr-ana-lopez',
          'AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked — Dana Reyes (Acmesoft)',
        ],
        [
          'mgr-carla-reyes',
          'AE-REJ-04: SDR reschedules — lead stays in SAL until rebooked — Dana Reyes (Acmesoft)',
        ],
      ])
      // Nothing more for the completed arbitration.
      expect(tasksOf('lead-a')).toHaveLength(1)
    })

    it('fires cadence completed → recycle at the eighth attempt, and not after a connect', async () => {
      const stepKey = `lead-c:sdr-response-tier-1:${T0 + 2 * MINUTE}:cadence-completed`
      const fired = await database.db
        .selectFrom('escalations')
        .select(['step_key', 'due_at'])
        .where('lead_id', 'in', ['lead-c', 'lead-d'])
        .where('step_id', '=', 'cadence-completed')
        .execute()
      expect(fired.map((row) => [row.step_key, Number(row.due_at)])).toEqual([[stepKey, EIGHTH_AT]])
      // The SDR's recycle task: one business day later, Tue 17 March 10:00 EDT; none for lead-d.
      const tasks = await admin.inject({
        method: 'GET',
        url: '/tasks?owner=sdr-ana-lopez&state=open',
      })
      expect(
        tasks
          .json<{ tasks: { leadId: string; source: string; dueAt: string }[] }>()
          .tasks.filter((task) => task.leadId === 'lead-c' || task.leadId === 'lead-d')
          .map((task) => [task.leadId, task.source, task.dueAt]),
      ).toEqual([['lead-c', 'chain:cadence-completed', '2026-03-17T14:00:00.000Z']])
      // The task's deliveries (the chain step's own have the step's key), in key order.
      expect(
        tasksOf('lead-c')
          .map(
            (task) =>
              `${task.idempotencyKey} due ${task.dueAt === null ? '—' : new Date(task.dueAt).toISOString()}`,
          )
          .sort(),
      ).toEqual([
        `lead-c:task:chain:cadence-completed:${EIGHTH_AT}:assigned:crm-task:sdr-ana-lopez due 2026-03-17T14:00:00.000Z`,
        `lead-c:task:chain:cadence-completed:${EIGHTH_AT}:overdue:crm-task:mgr-carla-reyes due —`,
        `lead-c:task:chain:cadence-completed:${EIGHTH_AT}:overdue:crm-task:sdr-ana-lopez due —`,
      ])
    })
  })
}
