/**
 * Live mode end to end: a step fires once, its notifications are committed with it, and they
 * reach real peers on loopback — a Slack-style HTTP receiver, a Standard Webhooks receiver that
 * checks the signature, and an SMTP server. Failed deliveries retry, die visibly, and replay.
 */

import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { deliverDueNotifications } from '../../src/app/deliver-notifications.js'
import type { DeliveryDependencies } from '../../src/app/deliver-notifications.js'
import type { SchedulerDependencies } from '../../src/app/fire-escalations.js'
import { fireDueSteps } from '../../src/app/fire-escalations.js'
import { ingestEvents, leadDerivation } from '../../src/app/ingest-events.js'
import { createCalendarSet } from '../../src/domain/sla-clock-view.js'
import {
  HOUR,
  mqlEvents,
  withOwnAddress,
  loadDefaultPolicy,
  MINUTE,
  REFERENCE_TIMESTAMP as T0,
} from '../../src/domain/test-support.js'
import { createServer } from '../../src/http/create-server.js'
import { createEmailChannel } from '../../src/notify/email-channel.js'
import type { NotificationChannel, NotificationChannelName } from '../../src/notify/notification.js'
import { createSlackChannel } from '../../src/notify/slack-channel.js'
import type { CapturedEmail, LoopbackReceiver } from '../../src/notify/test-support.js'
import { startReceiver, startSmtp } from '../../src/notify/test-support.js'
import { createWebhookChannel, verifyStandardWebhook } from '../../src/notify/webhook-channel.js'
import type { Database } from '../../src/store/create-database.js'
import { createLeadRepository } from '../../src/store/lead-repository.js'
import type { ApiCaller } from './api-callers.js'
import { apiCaller } from './api-callers.js'
import { DIALECTS, freshDatabase } from './dialects.js'
import { loadDefaultRoster } from '../../src/domain/team/test-support.js'

const policy = loadDefaultPolicy()
const roster = loadDefaultRoster(policy)
const SECRET = `whsec_${Buffer.from('a-test-secret-of-32-bytes-length').toString('base64')}`
// T0 = Tuesday 09:00 New York; Ana gets the lead at 09:02.
const HANDOFF = T0 + 2 * MINUTE
const API_NOW = T0 + 3 * 24 * HOUR

const tier1Lead = (leadId: string) => withOwnAddress(mqlEvents(leadId, T0, 'sdr-ana-lopez'))

for (const dialect of DIALECTS) {
  describe(`escalation delivery on ${dialect}`, () => {
    let database: Database
    let slack: LoopbackReceiver
    let webhook: LoopbackReceiver
    let smtp: Awaited<ReturnType<typeof startSmtp>>
    let scheduler: SchedulerDependencies
    let delivery: DeliveryDependencies
    let app: FastifyInstance
    let admin: ApiCaller

    beforeAll(async () => {
      database = await freshDatabase(dialect)
      ;[slack, webhook, smtp] = await Promise.all([
        startReceiver('/services/T000/B000/XXXX'),
        startReceiver('/hooks/leadclock'),
        startSmtp(),
      ])
      const repository = createLeadRepository(database)
      const channels: NotificationChannel[] = [
        createSlackChannel({ webhookUrl: slack.url }),
        createWebhookChannel({ url: webhook.url, secrets: [SECRET] }),
        createEmailChannel({ smtpUrl: smtp.url, from: 'leadclock@leadclock.example' }),
      ]
      scheduler = {
        repository,
        policy,
        roster: () => roster,
        channels: channels.map((channel) => channel.name),
        leads: leadDerivation(policy),
        leadUrl: (leadId) => `https://leadclock.example/leads/${leadId}`,
      }
      delivery = {
        outbox: repository.outbox,
        channels: new Map<NotificationChannelName, NotificationChannel>(
          channels.map((channel) => [channel.name, channel]),
        ),
      }
      app = await createServer({
        repository,
        policy,
        calendars: createCalendarSet(policy),
        now: () => API_NOW,
      })
      admin = await apiCaller({ app, repository, policy }, 'admin', 'mgr-carla-reyes')
      const outcomes = await ingestEvents(
        { repository, policy },
        [...tier1Lead('lead-a'), ...tier1Lead('lead-b')].map((event) => ({
          ok: true as const,
          event,
        })),
      )
      expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true)
    })
    afterAll(async () => {
      await Promise.all([app?.close(), slack?.close(), webhook?.close(), smtp?.close()])
      await database?.close()
    })

    it('fires the notification step once and delivers it to Slack, the webhook and Ana by email', async () => {
      const first = await fireDueSteps(scheduler, HANDOFF)
      expect(first).toMatchObject({ claimed: 2, fired: 2, skipped: 0, notificationsQueued: 6 })
      // The same instant again: nothing is due any more.
      expect(await fireDueSteps(scheduler, HANDOFF)).toMatchObject({ claimed: 0, fired: 0 })

      const sent = await deliverDueNotifications(delivery, HANDOFF + 1000)
      expect(sent).toEqual({ delivered: 6, retrying: 0, dead: 0 })
      expect(await deliverDueNotifications(delivery, HANDOFF + 2000)).toEqual({
        delivered: 0,
        retrying: 0,
        dead: 0,
      })

      expect(slack.requests).toHaveLength(2)
      const slackBody = JSON.parse(slack.requests[0]?.body ?? '{}') as {
        text: string
        blocks: unknown[]
      }
      expect(slackBody.text).toBe(
        'Notice: SDR Response — Tier 1 — T+0 · SDR Receives Notification &amp; Accepts Lead — Dana Reyes (Acmesoft)',
      )
      expect(slackBody.blocks.length).toBeGreaterThan(0)

      expect(webhook.requests).toHaveLength(2)
      for (const request of webhook.requests) {
        expect(
          verifyStandardWebhook(request.headers, request.body, SECRET, HANDOFF + 1000),
        ).toMatchObject({ ok: true })
      }
      const payload = JSON.parse(webhook.requests[0]?.body ?? '{}') as {
        type: string
        data: { stepKey: string }
      }
      expect(payload.type).toBe('lead.sla_escalated')
      expect(payload.data.stepKey).toMatch(/^lead-[ab]:sdr-response-tier-1:\d+:notification$/)

      expect(smtp.messages.map((message: CapturedEmail) => message.to)).toEqual([
        ['ana.lopez@leadclock.example'],
        ['ana.lopez@leadclock.example'],
      ])
    })

    it('retries a failed webhook on the Standard Webhooks schedule, then delivers it', async () => {
      webhook.respond((_request, response) => response.writeHead(503).end('busy'))
      // 09:32: the Tier 1 reminder for both leads.
      const at = HANDOFF + 30 * MINUTE
      expect(await fireDueSteps(scheduler, at)).toMatchObject({ fired: 2 })
      const firstTry = await deliverDueNotifications(delivery, at)
      expect(firstTry).toEqual({ delivered: 4, retrying: 2, dead: 0 })
      const waiting = await scheduler.repository.outbox.listDeliveries({
        state: 'pending',
        limit: 10,
      })
      expect(waiting.map((row) => [row.channel, row.attempts])).toEqual([
        ['webhook', 1],
        ['webhook', 1],
      ])
      // Retried after about 5 seconds (±10 % jitter), not before.
      for (const row of waiting) {
        expect(row.nextAttemptAt - at).toBeGreaterThanOrEqual(4500)
        expect(row.nextAttemptAt - at).toBeLessThanOrEqual(5500)
        expect(row.lastError).toContain('503')
      }
      expect(await deliverDueNotifications(delivery, at + 1000)).toEqual({
        delivered: 0,
        retrying: 0,
        dead: 0,
      })
      webhook.respond((_request, response) => response.writeHead(200).end('ok'))
      expect(await deliverDueNotifications(delivery, at + 6000)).toEqual({
        delivered: 2,
        retrying: 0,
        dead: 0,
      })
      // The retry carried the same webhook-id: the receiver can drop a duplicate.
      const ids = webhook.requests.slice(-4).map((request) => request.headers['webhook-id'])
      expect(new Set(ids).size).toBe(2)
    })

    it('marks a delivery to a gone endpoint dead, lists it, and replays it', async () => {
      webhook.respond((_request, response) => response.writeHead(410).end('gone'))
      const at = HANDOFF + 2 * HOUR // 11:02: the SDR manager step
      expect(await fireDueSteps(scheduler, at)).toMatchObject({ fired: 2 })
      expect(await deliverDueNotifications(delivery, at)).toMatchObject({ dead: 2 })
      const listed = await admin.inject({ method: 'GET', url: '/notifications?state=dead' })
      const dead = listed.json<{ deliveries: { deliveryKey: string; lastError: string }[] }>()
        .deliveries
      expect(dead).toHaveLength(2)
      expect(dead[0]?.lastError).toContain('410')
      webhook.respond((_request, response) => response.writeHead(200).end('ok'))
      const replay = await admin.inject({
        method: 'POST',
        url: `/notifications/${encodeURIComponent(dead[0]?.deliveryKey ?? '')}/replay`,
      })
      expect(replay.statusCode).toBe(200)
      // Replayed now (the API's clock), attempts reset.
      expect(await deliverDueNotifications(delivery, API_NOW)).toEqual({
        delivered: 1,
        retrying: 0,
        dead: 0,
      })
      const unknown = await admin.inject({ method: 'POST', url: '/notifications/nope/replay' })
      expect(unknown.statusCode).toBe(404)
    })

    it('keeps a formal breach open until the manager records a documented action', async () => {
      // Thursday 13:02: formal breach (24 business hours) for both leads.
      const at = HANDOFF + 2 * 24 * HOUR + 4 * HOUR
      // Per lead: the SAL accept/reject target (Tuesday 13:02) and breach, and the formal breach.
      expect(await fireDueSteps(scheduler, at)).toMatchObject({ fired: 6 })
      const open = await admin.inject({ method: 'GET', url: '/escalations?open=true' })
      const rows = open.json<{
        escalations: {
          leadId: string
          stepKey: string
          record: { stepId: string; recipientIds: string[] }
        }[]
      }>().escalations
      expect(rows.map((row) => `${row.leadId}:${row.record.stepId}`).sort()).toEqual([
        'lead-a:formal-breach',
        'lead-b:formal-breach',
      ])
      expect(rows[0]?.record.recipientIds).toEqual(['mgr-carla-reyes'])
      const formal = rows.find((row) => row.leadId === 'lead-a')
      const transition = (action: string, key: string) =>
        admin.inject({
          method: 'POST',
          url: '/leads/lead-a/transitions',
          payload: {
            type: 'escalation.resolved',
            idempotencyKey: key,
            payload: { stepKey: formal?.stepKey, action, note: 'Coached Ana on the Tier 1 window' },
          },
        })
      const refused = await transition('shrugged', 'resolve-1')
      expect(refused.statusCode).toBe(422)
      expect(refused.json()).toMatchObject({ rule: 'escalation-manager-action' })
      expect((await transition('coaching-action', 'resolve-2')).statusCode).toBe(200)
      const after = await admin.inject({ method: 'GET', url: '/escalations?open=true' })
      expect(
        after.json<{ escalations: { leadId: string }[] }>().escalations.map((row) => row.leadId),
      ).toEqual(['lead-b'])
      // The lead view shows what is still ahead: the critical breach on Monday 17:02 (EDT).
      const view = await admin.inject({ method: 'GET', url: '/leads/lead-b' })
      expect(
        view
          .json<{ upcomingEscalations: { stepId: string; dueAt: number }[] }>()
          .upcomingEscalations.map((step) => [step.stepId, new Date(step.dueAt).toISOString()]),
      ).toEqual([['critical-breach', '2026-03-09T21:02:00.000Z']])
    })
  })
}
