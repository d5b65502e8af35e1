/**
 * The store used when `REDIS_URL` is set: counters in Redis, shared by every instance, and in
 * this process's memory while Redis is unreachable, so rate limiting never stops and never
 * answers a 500. One warning per outage, one info line when Redis is back.
 */
import { Redis } from 'ioredis';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import type { HitResult, ThrottleStore } from './store.js';

/** Where the counters live right now: `ok` = Redis, `down` = memory (Redis unreachable). */
export type RedisState = 'ok' | 'down';

export interface FallbackStoreLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface FallbackStoreOptions {
  url: string;
  /** Key prefix in Redis (default `auth:throttle:`). */
  prefix?: string;
  log: FallbackStoreLog;
  /** Longest pause between reconnection attempts (default 1000 ms): Redis is used again this soon after it returns. */
  reconnectMaxMs?: number;
}

/**
 * A {@link ThrottleStore} over Redis that falls back to a {@link MemoryStore}. Commands are not
 * queued while Redis is disconnected (they go to memory at once, no request waits for a
 * reconnect), and one that fails or times out (1 s) is answered from memory too.
 */
export class FallbackStore implements ThrottleStore {
  readonly #client: Redis;
  readonly #redis: RedisStore;
  readonly #memory = new MemoryStore();
  readonly #log: FallbackStoreLog;
  #down = false;
  #closed = false;

  constructor(options: FallbackStoreOptions) {
    const reconnectMaxMs = options.reconnectMaxMs ?? 1000;
    this.#client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 100, reconnectMaxMs),
    });
    this.#log = options.log;
    this.#redis = new RedisStore({
      client: this.#client,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
    this.#client.on('error', (err: Error) => this.#outage(err));
    this.#client.on('close', () => this.#outage(new Error('connection closed')));
    this.#client.on('ready', () => this.#recovered());
  }

  /** `ok` while counters go to Redis, `down` while they are kept in memory. */
  get state(): RedisState {
    return this.#client.status === 'ready' ? 'ok' : 'down';
  }

  /** Resolves once Redis is ready or after `timeoutMs`, whichever comes first (never rejects). */
  async connected(timeoutMs = 2000): Promise<void> {
    if (this.#client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      this.#client.once('ready', done);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  #recovered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#log.info({ component: 'throttle' }, 'Redis is back: rate-limit counters are shared again');
  }

  #outage(err: Error): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    this.#log.warn(
      { component: 'throttle', error: err.message },
      'Redis is unreachable: rate limiting continues from this process memory until it is back',
    );
  }

  async #run<T>(work: (store: ThrottleStore) => Promise<T>): Promise<T> {
    if (this.state === 'ok') {
      try {
        const result = await work(this.#redis);
        this.#recovered();
        return result;
      } catch (err) {
        this.#outage(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return work(this.#memory);
  }

  hit(key: string, windowMs: number): Promise<HitResult> {
    return this.#run((store) => store.hit(key, windowMs));
  }

  release(key: string): Promise<void> {
    return this.#run((store) => store.release(key));
  }

  peek(key: string): Promise<HitResult> {
    return this.#run((store) => store.peek(key));
  }

  reset(key: string): Promise<void> {
    return this.#run((store) => store.reset(key));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#memory.close();
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}
