/** The storage contract behind {@link Throttle}: fixed-window hit counters. */

/** A counter's state: hits in the current window and milliseconds until the window resets. */
export interface HitResult {
  /** Hits counted in the current window (0 when there is no live window). */
  count: number;
  /** Milliseconds until this window ends and the count restarts at 0 (0 when there is no live window). */
  resetInMs: number;
}

/**
 * A fixed-window counter store. A window starts at a key's first hit and lasts `windowMs`; the
 * count then restarts from zero. Implementations: {@link MemoryStore} (one process) and
 * {@link RedisStore} (shared by every instance pointing at the same Redis).
 */
export interface ThrottleStore {
  /**
   * Adds one hit to key's window (starting a new window of `windowMs` when none is live) and
   * returns the count in the window and ms until it resets. Atomic under concurrency: N
   * concurrent hits on one key, from any number of processes sharing the store, yield the
   * counts 1..N exactly once each.
   */
  hit(key: string, windowMs: number): Promise<HitResult>;
  /**
   * Takes back one hit from key's live window (an attempt reserved with {@link hit} that turned
   * out not to count), keeping its reset time. Atomic like `hit`; never goes below 0, and does
   * nothing when the window has already ended (it never starts a window).
   */
  release(key: string): Promise<void>;
  /** Current count without adding; `{ count: 0, resetInMs: 0 }` when no window is live. */
  peek(key: string): Promise<HitResult>;
  /** Forgets key's window. */
  reset(key: string): Promise<void>;
  /** Releases timers and connections. The store must not be used afterwards. */
  close(): Promise<void>;
}
