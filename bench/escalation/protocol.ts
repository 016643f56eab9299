/** Messages between the bench (parent) and its worker processes, over the fork IPC channel. */

export interface WorkerSettings {
  readonly databaseUrl: string
  /** Snapshots taken when the bench started, so a file edited meanwhile changes nothing. */
  readonly policyPath: string
  readonly rosterPath: string
  readonly batchSize: number
  readonly pollIntervalMs: number
}

/** Parent → worker. */
export type ToWorker =
  | {
      readonly type: 'start'
      /** Wall-clock instant (epoch ms) that maps onto `simStart` on the simulated clock. */
      readonly realStart: number
      readonly simStart: number
    }
  | { readonly type: 'stop' }

export interface WorkerResult {
  /** Step keys fired by this worker, with the simulated instant their transaction committed. */
  readonly firedKeys: readonly string[]
  readonly committedAt: readonly number[]
  readonly rounds: number
  readonly errors: number
  readonly errorSamples: readonly string[]
  /** Wall-clock instant (epoch ms) of the last commit that fired a step. */
  readonly lastCommitAt: number | null
  /** CPU time of the worker process between start and stop (ms). */
  readonly cpuMs: number
  /** SQL statements the worker sent (BEGIN and COMMIT included) and the time spent waiting on them. */
  readonly queries: number
  readonly queryWaitMs: number
}

/** Worker → parent. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly fired: number }
  | { readonly type: 'error'; readonly message: string }
  | ({ readonly type: 'result' } & WorkerResult)
