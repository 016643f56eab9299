/**
 * The `tasks` projection: every lead's required follow-ups with owner and due instant, kept
 * equal to the lead's state in the transaction that records its events (like `sla_timers`).
 */
import type { TaskFilter } from '../app/task-port.js'
import type { TaskView } from '../domain/tasks.js'
import { checkText } from './column-values.js'
import type { StoreExecutor, StoreTransaction } from './transaction.js'
import { requireTransaction } from './transaction.js'

/** The lead's tasks are upserted; a task the lead no longer has (history changed) is removed. */
export async function syncTasks(
  tx: StoreTransaction,
  leadId: string,
  tasks: readonly TaskView[],
): Promise<void> {
  requireTransaction(tx, 'syncTasks')
  let stale = tx.deleteFrom('tasks').where('lead_id', '=', leadId)
  if (tasks.length > 0) {
    stale = stale.where(
      'task_id',
      'not in',
      tasks.map((task) => task.taskId),
    )
  }
  await stale.execute()
  if (tasks.length === 0) {
    return
  }
  await tx
    .insertInto('tasks')
    .values(
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
  // Written by syncTasks from the domain's own view.
  return (await query.execute()).map((row) => row.task as TaskView)
}
