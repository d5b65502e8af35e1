import { Redis } from 'ioredis';
import type { HitResult, ThrottleStore } from './store.js';

/** Key prefix of every throttle counter in Redis. */
export const REDIS_KEY_PREFIX = 'auth:throttle:';

/** Options of {@link RedisStore}: a URL to connect to, or an existing client to share. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL; the store owns this connection and closes it in `close()`. */
  url?: string;
  /** An existing ioredis client; the store does not close it. */
  client?: Redis;
  /** Key prefix (default `auth:throttle:`); tests use a unique one per run. */
  prefix?: string;
  /** Called with connection errors (e.g. `app.log.warn`); commands still reject while Redis is down. */
  onError?: (error: Error) => void;
}

/**
 * INCR then, for a new window (or a key that somehow lost its TTL), PEXPIRE; one script, so
 * atomic: concurrent hits from any number of instances each see a distinct count.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** DECR only a live counter above 0 (DECR on a missing key would create -1 without a TTL). */
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

const PEEK_SCRIPT = `
local count = redis.call('GET', KEYS[1])
if not count then return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {tonumber(count), ttl}
`;

interface ThrottleCommands {
  authThrottleHit(key: string, windowMs: number): Promise<[number, number]>;
  authThrottlePeek(key: string): Promise<[number, number]>;
  authThrottleRelease(key: string): Promise<number>;
}

/**
 * {@link ThrottleStore} in Redis (used when `REDIS_URL` is set), so several auth-server instances
 * share one budget. Each counter is one key `auth:throttle:<rule>:<hash>` with a TTL equal to
 * its window; hits run as a Lua script (EVALSHA), which makes them atomic.
 *
 * Failure mode: while Redis is unreachable, operations reject after one retry (and commands time
 * out after 2 s), so the caller sees an error rather than hanging; the store does not fail open.
 */
export class RedisStore implements ThrottleStore {
  readonly #client: Redis;
  readonly #commands: ThrottleCommands;
  readonly #owned: boolean;
  readonly #prefix: string;

  constructor(options: RedisStoreOptions) {
    if (options.client) {
      this.#client = options.client;
      this.#owned = false;
    } else if (options.url) {
      this.#client = new Redis(options.url, {
        maxRetriesPerRequest: 1,
        commandTimeout: 2000,
        connectTimeout: 5000,
      });
      this.#owned = true;
    } else {
      throw new Error('RedisStore needs a url or a client');
    }
    if (options.onError) this.#client.on('error', options.onError);
    this.#prefix = options.prefix ?? REDIS_KEY_PREFIX;
    this.#client.defineCommand('authThrottleHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.#client.defineCommand('authThrottlePeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    this.#client.defineCommand('authThrottleRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#commands = this.#client as unknown as ThrottleCommands;
  }

  async hit(key: string, windowMs: number): Promise<HitResult> {
    const [count, resetInMs] = await this.#commands.authThrottleHit(
      this.#prefix + key,
      Math.max(1, Math.ceil(windowMs)),
    );
    return { count, resetInMs };
  }

  async release(key: string): Promise<void> {
    await this.#commands.authThrottleRelease(this.#prefix + key);
  }

  async peek(key: string): Promise<HitResult> {
    const [count, resetInMs] = await this.#commands.authThrottlePeek(this.#prefix + key);
    return { count, resetInMs };
  }

  async reset(key: string): Promise<void> {
    await this.#client.del(this.#prefix + key);
  }

  async close(): Promise<void> {
    if (!this.#owned) return;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}
