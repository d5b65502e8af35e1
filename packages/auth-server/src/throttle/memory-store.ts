import type { HitResult, ThrottleStore } from './store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock in ms (default `Date.now`); injectable for tests. */
  now?: () => number;
  /** How often expired windows are swept from memory (default 60 s). */
  sweepIntervalMs?: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * In-process {@link ThrottleStore}: a `Map` of fixed windows. The default when `REDIS_URL` is
 * unset. Each auth-server instance has its own budget, so use {@link RedisStore} behind a load
 * balancer. Operations are synchronous inside, hence atomic on Node's single thread.
 */
export class MemoryStore implements ThrottleStore {
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.#sweep(), options.sweepIntervalMs ?? 60_000);
    this.#sweeper.unref();
  }

  /** Live window of key, or undefined (dropping an expired one). */
  #live(key: string, now: number): Window | undefined {
    const window = this.#windows.get(key);
    if (window && window.resetAt <= now) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(key);
    }
  }

  async hit(key: string, windowMs: number): Promise<HitResult> {
    const now = this.#now();
    let window = this.#live(key, now);
    if (window) {
      window.count += 1;
    } else {
      window = { count: 1, resetAt: now + Math.max(1, Math.ceil(windowMs)) };
      this.#windows.set(key, window);
    }
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async release(key: string): Promise<void> {
    const window = this.#live(key, this.#now());
    if (window && window.count > 0) window.count -= 1;
  }

  async peek(key: string): Promise<HitResult> {
    const now = this.#now();
    const window = this.#live(key, now);
    return window ? { count: window.count, resetInMs: window.resetAt - now } : { count: 0, resetInMs: 0 };
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#windows.clear();
  }
}
