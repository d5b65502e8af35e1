import { createHash } from 'node:crypto';
import type { Limit, ThrottleLimits, ThrottleRule } from './limits.js';
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

/** Who is signing in: the client IP, the account (normalized email) and whether the device is known. */
export interface LoginAttempt {
  ip: string;
  account: string;
  /** True when the client sent a valid device token for this account ({@link verifyDeviceToken}). */
  knownDevice?: boolean;
}

/**
 * Applies {@link ThrottleLimits} on top of a {@link ThrottleStore}. Keys are trimmed and
 * lower-cased (so `Bob@x.io` and `bob@x.io` share a budget) and stored as SHA-256 hashes under
 * `<rule>:`, so no email or IP is written to the store and key length is bounded.
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

  #key(rule: ThrottleRule, key: string): string {
    const digest = createHash('sha256').update(key.trim().toLowerCase()).digest('base64url');
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
   * Throws {@link ThrottledError} when `max` events are already counted in the window; counts
   * nothing. For failure-counted rules: check before the work, {@link recordFailure} after a failure.
   */
  async check(rule: ThrottleRule, key: string): Promise<HitResult> {
    const state = await this.#store.peek(this.#key(rule, key));
    if (state.count >= this.#limits[rule].max) throw new ThrottledError(rule, this.#retryAfter(state));
    return state;
  }

  /** Counts one failure (never throws {@link ThrottledError}; the next {@link check} does). */
  async recordFailure(rule: ThrottleRule, key: string): Promise<HitResult> {
    return this.#store.hit(this.#key(rule, key), this.#limits[rule].windowSec * 1000);
  }

  /** Forgets the window of `rule` for `key`. */
  async reset(rule: ThrottleRule, key: string): Promise<void> {
    await this.#store.reset(this.#key(rule, key));
  }

  /**
   * Before checking a password: counts the attempt against `loginIp`, then refuses if the
   * account+IP pair or (for an unknown device only) the account has too many recent failures.
   */
  async checkLogin(attempt: LoginAttempt): Promise<void> {
    await this.consume('loginIp', attempt.ip);
    await this.check('loginAccountIp', accountIpKey(attempt));
    if (!attempt.knownDevice) await this.check('loginAccount', attempt.account);
  }

  /**
   * After a wrong password (or unknown email): counts a failure for the account+IP pair and,
   * unless the device is known, for the account across all IPs. A known device's failures never
   * count against the account-wide budget, so an attacker cannot spend its owner's budget.
   */
  async recordLoginFailure(attempt: LoginAttempt): Promise<void> {
    await this.recordFailure('loginAccountIp', accountIpKey(attempt));
    if (!attempt.knownDevice) await this.recordFailure('loginAccount', attempt.account);
  }

  /** After a successful login: clears the account+IP failures (the account-wide count stays). */
  async recordLoginSuccess(attempt: LoginAttempt): Promise<void> {
    await this.reset('loginAccountIp', accountIpKey(attempt));
  }

  /** Closes the underlying store. */
  async close(): Promise<void> {
    await this.#store.close();
  }
}

function accountIpKey(attempt: LoginAttempt): string {
  return `${attempt.account.trim()}\n${attempt.ip.trim()}`;
}
