/**
 * Delivers the outbox: claims due deliveries (marked `sending` in their own commit, so two
 * workers never send the same one), hands each to its channel, and records the outcome. A failed
 * attempt is retried on the Standard Webhooks schedule; after the last it is `dead`, listed and
 * replayable. A worker that dies mid-send leaves `sending` rows, released after a lease; the
 * retry carries the same idempotency key (webhook-id, Message-ID, CRM task key).
 */
import type {
  DeliveryResult,
  NotificationChannel,
  NotificationChannelName,
} from '../notify/notification.js'
import { nextAttemptDelayMs } from '../notify/retry-schedule.js'
import type { OutboxStore } from './escalation-port.js'

export interface DeliveryDependencies {
  readonly outbox: OutboxStore
  readonly channels: ReadonlyMap<NotificationChannelName, NotificationChannel>
}

export interface DeliveryReport {
  readonly delivered: number
  readonly retrying: number
  readonly dead: number
}

/** How long a `sending` row may stay claimed before another worker takes it over. */
export const SENDING_LEASE_MS = 5 * 60_000

export async function deliverDueNotifications(
  deps: DeliveryDependencies,
  now: number,
  limit = 50,
): Promise<DeliveryReport> {
  await deps.outbox.releaseStale(now - SENDING_LEASE_MS)
  const claimed = await deps.outbox.claimDeliveries(now, limit, [...deps.channels.keys()])
  const report = { delivered: 0, retrying: 0, dead: 0 }
  await Promise.all(
    claimed.map(async (delivery) => {
      const channel = deps.channels.get(delivery.channel)
      const result: DeliveryResult = channel
        ? await channel.deliver(delivery.notification, now).catch((error: unknown) => ({
            ok: false as const,
            retryable: true,
            error: error instanceof Error ? error.message : String(error),
          }))
        : {
            ok: false as const,
            retryable: false,
            error: `channel ${delivery.channel} is not configured`,
          }
      if (result.ok) {
        await deps.outbox.markDelivered(delivery.deliveryKey, now)
        report.delivered += 1
        return
      }
      const delay = result.retryable
        ? nextAttemptDelayMs(delivery.attempts, result.retryAfterMs)
        : null
      await deps.outbox.markFailed(
        delivery.deliveryKey,
        `attempt ${delivery.attempts}: ${result.error}`,
        delay === null ? null : now + delay,
      )
      if (delay === null) {
        report.dead += 1
      } else {
        report.retrying += 1
      }
    }),
  )
  return report
}
