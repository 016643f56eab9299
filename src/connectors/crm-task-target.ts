/**
 * Which CRM a task goes to. A lead carries its CRM record in its id, as the connector that created
 * it built it (`hubspot-contact-<id>`, `salesforce-lead-<id>`); a lead from anywhere else (the
 * API, a CSV or JSONL import) has no record to attach a task to, and its task fails for good with
 * that reason — dead and replayable, never an orphan task in the CRM.
 */
import type { CrmTaskSink } from '../notify/crm-task-channel.js'
import type { DeliveryResult } from '../notify/notification.js'

/** A CRM's task sink and the leads it can attach tasks to. */
export interface CrmTaskTarget {
  /** What it writes, for errors: e.g. "HubSpot tasks for leads hubspot-contact-<contact id>". */
  readonly covers: string
  owns(leadId: string): boolean
  readonly sink: CrmTaskSink
}

export function noCrmRecord(leadId: string, covers: readonly string[]): DeliveryResult {
  return {
    ok: false,
    retryable: false,
    error: `lead ${leadId} has no CRM record to attach a task to (this channel writes ${covers.join(' and ')}); no task was created`,
  }
}

/** One sink for the channel: each task goes to the CRM that owns its lead. */
export function routeCrmTasks(targets: readonly CrmTaskTarget[]): CrmTaskSink {
  return {
    createTask(task, now) {
      const target = targets.find((candidate) => candidate.owns(task.leadId))
      return target === undefined
        ? Promise.resolve(
            noCrmRecord(
              task.leadId,
              targets.map((candidate) => candidate.covers),
            ),
          )
        : target.sink.createTask(task, now)
    },
  }
}
