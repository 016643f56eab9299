/**
 * The engine's background loop: fire due escalation steps, then deliver the outbox, then wait.
 * Several processes may run it against one PostgreSQL; timers and deliveries are claimed with
 * SKIP LOCKED, so they share the work without firing or sending anything twice; what is due is
 * decided by the database's clock, the one all of them share. A failing round
 * (database restart, deadlock victim) is logged and retried; it never stops the loop.
 */
import { setTimeout as sleep } from 'node:timers/promises'

import type { DeliveryDependencies } from '../app/deliver-notifications.js'
import { deliverDueNotifications } from '../app/deliver-notifications.js'
import type { SchedulerDependencies } from '../app/fire-escalations.js'
import { fireDueSteps } from '../app/fire-escalations.js'

export interface WorkerOptions {
  /** The worker's clock; without one, each round takes the database server's clock. */
  readonly now?: () => number
  /** Wait between rounds when nothing was due (ms). */
  readonly pollIntervalMs?: number
  readonly batchSize?: number
  /** Runs before each round: picks up a policy or roster another process changed. */
  readonly beforeRound?: () => Promise<void>
  readonly onError?: (error: unknown) => void
  readonly onRound?: (round: { fired: number; delivered: number }) => void
}

export interface RunningWorker {
  /** Finishes the current round, then stops. */
  stop(): Promise<void>
}

export function startEscalationWorker(
  scheduler: SchedulerDependencies,
  delivery: DeliveryDependencies,
  options: WorkerOptions,
): RunningWorker {
  const pollIntervalMs = options.pollIntervalMs ?? 100
  const batchSize = options.batchSize ?? 100
  const abort = new AbortController()
  const loop = (async () => {
    while (!abort.signal.aborted) {
      let busy = false
      try {
        await options.beforeRound?.()
        const firing = await fireDueSteps(scheduler, options.now?.() ?? 'database', batchSize)
        for (const failure of firing.failed) {
          options.onError?.(
            new Error(`lead ${failure.leadId}: ${failure.error} (its steps retry in a minute)`),
          )
        }
        const sending =
          delivery.channels.size === 0
            ? { delivered: 0, retrying: 0, dead: 0 }
            : await deliverDueNotifications(delivery, firing.at)
        options.onRound?.({ fired: firing.fired, delivered: sending.delivered })
        // A full batch means more is due: go again at once.
        busy =
          firing.claimed >= batchSize || sending.delivered + sending.retrying + sending.dead >= 50
      } catch (error) {
        options.onError?.(error)
      }
      if (!busy) {
        await sleep(pollIntervalMs, undefined, { signal: abort.signal }).catch(() => undefined)
      }
    }
  })()
  return {
    async stop() {
      abort.abort()
      await loop
    },
  }
}
