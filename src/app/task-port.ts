/** What the task use cases need from storage: the `tasks` projection. */
import type { TaskState, TaskView } from '../domain/tasks.js'

export interface TaskFilter {
  /** A person id or a role. */
  readonly owner?: string
  /** Due strictly before this instant. */
  readonly dueBefore?: number
  readonly state?: TaskState
  readonly leadId?: string
  /** Only tasks of leads owned by one of these people (a caller's lead scope). */
  readonly leadOwnerIn?: readonly string[]
  readonly limit: number
}

export interface TaskReader {
  listTasks(filter: TaskFilter): Promise<TaskView[]>
}
