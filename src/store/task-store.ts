/**
 * The `tasks` projection: every lead's required follow-ups with owner and due instant, kept
 * equal to the lead's state in the transaction that records its events (like `sla_timers`).
 */
import { sql } from 'kysely'

import type { TaskFilter } from '../app/task-port.js'
import type { TaskView } from '../domain/tasks.js'
import { checkText } from './column-values.js'
import { leadOwnedByOneOf } from './lead-projection.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

/** Rows per multi-row upsert. */
const TASKS_PER_UPSERT = 1000

/**
 * Each lead's tasks are upserted; a task a lead no longer has (history changed) is removed. One
 * delete and one upsert per thousand tasks, for any number of leads.
 */
export async function syncTasks(
  tx: StoreTransaction,
  leads: readonly { readonly leadId: string; readonly tasks: readonly TaskView[] }[],
): Promise<void> {
  requireTransaction(tx, 'syncTasks')
  if (leads.length === 0) {
    return
  }
  const rows = leads.flatMap(({ leadId, tasks }) =>
    tasks.map((task) => ({
      task_id: checkText(task.taskId, 'taskId'),
      lead_id: leadId,
      owner_role: task.ownerRole,
      owner_id: task.ownerId,
      due_at: task.dueAt,
      state: task.state,
      opened_at: task.openedAt,
      completed_at: task.completedAt,
      task: JSON.stringify(task),
    })),
  )
  await tx
    .deleteFrom('tasks')
    .where(sql<boolean>`lead_id = any(${leads.map(({ leadId }) => leadId)}::text[])`)
    .where(sql<boolean>`task_id <> all(${rows.map((row) => row.task_id)}::text[])`)
    .execute()
  for (let start = 0; start < rows.length; start += TASKS_PER_UPSERT) {
    await tx
      .insertInto('tasks')
      .values(rows.slice(start, start + TASKS_PER_UPSERT))
      .onConflict((conflict) =>
        conflict.column('task_id').doUpdateSet((eb) => ({
          owner_role: eb.ref('excluded.owner_role'),
          owner_id: eb.ref('excluded.owner_id'),
          due_at: eb.ref('excluded.due_at'),
          state: eb.ref('excluded.state'),
          completed_at: eb.ref('excluded.completed_at'),
          task: eb.ref('excluded.task'),
        })),
      )
      .execute()
  }
}

/** Soonest due first; `owner` matches the owning person or the owning role (e.g. revops). */
export async function listTasks(executor: StoreExecutor, filter: TaskFilter): Promise<TaskView[]> {
  let query = executor
    .selectFrom('tasks')
    .select('task')
    .orderBy('due_at')
    .orderBy('task_id')
    .limit(filter.limit)
  if (filter.owner !== undefined) {
    const owner = filter.owner
    query = query.where((eb) => eb.or([eb('owner_id', '=', owner), eb('owner_role', '=', owner)]))
  }
  if (filter.dueBefore !== undefined) {
    query = query.where('due_at', '<', filter.dueBefore)
  }
  if (filter.state !== undefined) {
    query = query.where('state', '=', filter.state)
  }
  if (filter.leadId !== undefined) {
    query = query.where('lead_id', '=', filter.leadId)
  }
  if (filter.leadOwnerIn !== undefined) {
    query = query.where(leadOwnedByOneOf(filter.leadOwnerIn))
  }
  // Written by syncTasks from the domain's own view.
  return (await query.execute()).map((row) => row.task as TaskView)
}
