/** Messages between the HTTP benches (parent) and the server process, over the fork IPC channel. */

/** Parent → server. */
export type ToServer =
  | { readonly type: 'load-sample' }
  | { readonly type: 'start-worker' }
  | { readonly type: 'usage' }
  | { readonly type: 'stop' }

/** A line the server printed while loading the sample, with when (ms after the load began). */
export interface TimedLine {
  readonly atMs: number
  readonly line: string
}

/** Server → parent. */
export type FromServer =
  | { readonly type: 'ready'; readonly url: string; readonly dialect: string }
  | { readonly type: 'sample-loaded'; readonly seconds: number; readonly lines: TimedLine[] }
  | { readonly type: 'worker-started' }
  /** CPU time the server process has used so far (ms). */
  | { readonly type: 'usage'; readonly cpuMs: number }
  | {
      readonly type: 'stopped'
      /** What the worker reported as errors. */
      readonly errors: readonly string[]
    }
