import { createHash } from 'node:crypto';
import { ipBucket } from './client-ip.js';
import { FallbackStore, type RedisState } from './fallback-store.js';
import { type Limit, THROTTLE_LIMIT_TABLE, type ThrottleLimits, type ThrottleRule } from './limits.js';
import type { HitResult, ThrottleStore } from './store.js';

/**
 * Thrown when a rule's limit is reached. The app's error handler maps it to
 * 429 `application/problem+json` with `code: "rate_limited"` and a `Retry-After: <retryAfterSec>`
 * header. `statusCode` and `code` are set so that even Fastify's default handler answers 429.
 */
export class ThrottledError extends Error {
  readonly code = 'rate_limited';
  readonly statusCode = 429;
  /** Whole seconds (at least 1) until the window resets: the `Retry-After` value. */
  readonly retryAfterSec: number;
  /** The rule that refused the request (for logs and auth events, not for the client). */
  readonly rule: ThrottleRule;

  constructor(rule: ThrottleRule, retryAfterSec: number) {
    super(`Too many requests: try again in ${retryAfterSec} seconds.`);
    this.name = 'ThrottledError';
    this.rule = rule;
    this.retryAfterSec = retryAfterSec;
  }
}

/**
 * One login attempt counted up front as a failure by {@link Throttle.reserveLogin}. Leaving it
 * alone keeps the failure; each settling method works once.
 */
export interface LoginReservation {
  /** The password was right: clears the account+IP failures and gives back the account-wide one. */
  succeeded(): Promise<void>;
  /** No verdict (the attempt failed with an error): gives back every reservation. */
  cancel(): Promise<void>;
}

/** Who is signing in: the client IP, the account (normalized email) and whether the device is known. */
export interface LoginAttempt {
  ip: string;
  account: string;
  /** True when the client sent a valid device token for this account ({@link verifyDeviceToken}). */
  knownDevice?: boolean;
}

/**
 * Applies {@link ThrottleLimits} on top of a {@link ThrottleStore}. Keys are trimmed and
 * lower-cased (so `Bob@x.io` and `bob@x.io` share a budget), IP keys grouped by {@link ipBucket}
 * (an IPv6 client by its /64), and stored as SHA-256 hashes under `<rule>:`, so no email or IP is
 * written to the store and key length is bounded.
 */
export class Throttle {
  readonly #store: ThrottleStore;
  readonly #limits: ThrottleLimits;

  constructor(store: ThrottleStore, limits: ThrottleLimits) {
    this.#store = store;
    this.#limits = limits;
  }

  /** The limit applied to `rule`. */
  limit(rule: ThrottleRule): Limit {
    return this.#limits[rule];
  }

  /** The store key of `key` under `rule`; per-IP rules count an IPv6 client by its /64 ({@link ipBucket}). */
  #key(rule: ThrottleRule, key: string): string {
    const subject = THROTTLE_LIMIT_TABLE[rule].per === 'ip' ? ipBucket(key) : key.trim().toLowerCase();
    const digest = createHash('sha256').update(subject).digest('base64url');
    return `${rule}:${digest}`;
  }

  #retryAfter(state: HitResult): number {
    return Math.max(1, Math.ceil(state.resetInMs / 1000));
  }

  /**
   * Counts one attempt and throws {@link ThrottledError} when it is over the limit (the
   * `max + 1`-th attempt in a window is the first refused). For attempt-counted rules.
   */
  async consume(rule: ThrottleRule, key: string): Promise<HitResult> {
    const { max, windowSec } = this.#limits[rule];
    const state = await this.#store.hit(this.#key(rule, key), windowSec * 1000);
    if (state.count > max) throw new ThrottledError(rule, this.#retryAfter(state));
    return state;
  }

  /**
   * Counts one failure up front, atomically, and throws {@link ThrottledError} (counting nothing)
   * when that is over the limit. For failure-counted rules whose work runs concurrently: N
   * parallel attempts cannot all pass a check made before any was recorded. The caller gives the
   * failure back with {@link release} when the attempt did not fail.
   */
  async reserve(rule: ThrottleRule, key: string): Promise<void> {
    const { max, windowSec } = this.#limits[rule];
    const state = await this.#store.hit(this.#key(rule, key), windowSec * 1000);
    if (state.count > max) {
      await this.release(rule, key);
      throw new ThrottledError(rule, this.#retryAfter(state));
    }
  }

  /** Gives back one count of `rule` for `key` (never below zero). */
  async release(rule: ThrottleRule, key: string): Promise<void> {
    await this.#store.release(this.#key(rule, key));
  }

  /** Forgets the window of `rule` for `key`. */
  async reset(rule: ThrottleRule, key: string): Promise<void> {
    await this.#store.reset(this.#key(rule, key));
  }

  /**
   * Before checking a password: counts the attempt against `loginIp`, then reserves one failure
   * of the account+IP pair and (for an unknown device only) of the account, with the store's
   * atomic `hit`. Throws {@link ThrottledError} (giving back what it reserved) when a reservation
   * is over the limit, so N concurrent wrong passwords cannot all get past a check made before
   * any of them was recorded: at most `max` of them are ever verified.
   *
   * The reservation stands as a failure unless the caller settles it otherwise:
   * {@link LoginReservation.succeeded} after a right password, {@link LoginReservation.cancel}
   * when the attempt ended without a verdict (an error).
   */
  async reserveLogin(attempt: LoginAttempt): Promise<LoginReservation> {
    await this.consume('loginIp', attempt.ip);
    const counted: [ThrottleRule, string][] = [['loginAccountIp', accountIpKey(attempt)]];
    if (!attempt.knownDevice) counted.push(['loginAccount', attempt.account]);
    const giveBack = (reserved: [ThrottleRule, string][]) =>
      Promise.all(reserved.map(([rule, key]) => this.release(rule, key)));

    const reserved: [ThrottleRule, string][] = [];
    try {
      for (const [rule, key] of counted) {
        await this.reserve(rule, key);
        reserved.push([rule, key]);
      }
    } catch (err) {
      await giveBack(reserved);
      throw err;
    }

    let settled = false;
    const once = (work: () => Promise<unknown>) => async () => {
      if (settled) return;
      settled = true;
      await work();
    };
    return {
      // A right password clears the pair's failures; the account-wide count keeps earlier ones.
      succeeded: once(() =>
        Promise.all([
          this.reset('loginAccountIp', accountIpKey(attempt)),
          giveBack(reserved.filter(([rule]) => rule === 'loginAccount')),
        ]),
      ),
      cancel: once(() => giveBack(reserved)),
    };
  }

  /** `ok` while the counters are in Redis, `down` while Redis is unreachable (memory); undefined without REDIS_URL. */
  redisState(): RedisState | undefined {
    return this.#store instanceof FallbackStore ? this.#store.state : undefined;
  }

  /** With REDIS_URL: waits (at most 2 s) for the first connection, so the first requests already count in Redis. */
  async connected(): Promise<void> {
    if (this.#store instanceof FallbackStore) await this.#store.connected();
  }

  /** Closes the underlying store. */
  async close(): Promise<void> {
    await this.#store.close();
  }
}

function accountIpKey(attempt: LoginAttempt): string {
  return `${attempt.account.trim()}\n${ipBucket(attempt.ip)}`;
}
