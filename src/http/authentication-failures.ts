/**
 * Failed authentications per client address, in fixed one-minute windows. An address past the
 * limit is refused before its credentials are looked up, until its window ends: guessing tokens
 * (or hammering the token lookup) from one address costs a minute per `limit` tries. Per-token
 * rate limits cannot do this: a failed caller has no token. Kept in memory, per process.
 */
const WINDOW_MS = 60_000
/** Addresses tracked at once; beyond this the oldest windows are forgotten first. */
const MAX_ADDRESSES = 10_000

interface FailureWindow {
  readonly startedAt: number
  failures: number
}

export class AuthenticationFailures {
  readonly #windows = new Map<string, FailureWindow>()

  constructor(readonly limitPerMinute: number) {}

  /** Seconds until `address` may try again, or undefined when it may try now. */
  retryAfterSeconds(address: string, now: number): number | undefined {
    const window = this.#windows.get(address)
    if (window === undefined || now - window.startedAt >= WINDOW_MS) {
      return undefined
    }
    return window.failures >= this.limitPerMinute
      ? Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000))
      : undefined
  }

  record(address: string, now: number): void {
    const window = this.#windows.get(address)
    if (window !== undefined && now - window.startedAt < WINDOW_MS) {
      window.failures += 1
      return
    }
    this.#windows.delete(address)
    if (this.#windows.size >= MAX_ADDRESSES) {
      // Maps keep insertion order: the first key is the oldest window.
      const oldest = this.#windows.keys().next().value
      if (oldest !== undefined) {
        this.#windows.delete(oldest)
      }
    }
    this.#windows.set(address, { startedAt: now, failures: 1 })
  }
}
