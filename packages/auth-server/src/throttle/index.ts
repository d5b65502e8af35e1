/**
 * Throttling for auth-server (issue 3): per-IP and per-account limits that cannot lock a user
 * out, shared across instances through Redis.
 *
 * ## Wiring (auth-core)
 * ```ts
 * import { Throttle, ThrottledError, createThrottleStore, parseThrottleLimits } from './throttle/index.js';
 *
 * // config.ts: one variable per limit, "<max>/<windowSec>"; report errors with the others.
 * const { limits, errors } = parseThrottleLimits(process.env);
 * // app.ts: memory store by default, Redis when REDIS_URL is set; close it in onClose.
 * const throttle = new Throttle(createThrottleStore(config.redisUrl), limits);
 * app.addHook('onClose', () => throttle.close());
 * // error handler: ThrottledError -> 429 problem+json, code "rate_limited",
 * //   header Retry-After: String(err.retryAfterSec); write a throttle auth event with err.rule.
 * ```
 *
 * ## What each route calls (keys: `ip` = client IP after TRUST_PROXY; `email` lower-cased)
 * - login: `const reservation = await throttle.reserveLogin({ ip, account: email, knownDevice })`
 *   before verifying the password: it counts the attempt as a failure up front (atomically, so
 *   concurrent guesses cannot all pass); on a right password `await reservation.succeeded()`, on an
 *   error `await reservation.cancel()`, on a wrong one nothing. `knownDevice` is
 *   `verifyDeviceToken(secret, deviceTokenFromClient, user.id)` (tokens/device-token.ts), false
 *   for an unknown email. A known device skips (and never adds to) the account-wide `loginAccount`
 *   limit; `loginIp` and `loginAccountIp` still apply.
 * - Per-IP keys count an IPv6 client by its /64 and `::ffff:a.b.c.d` as `a.b.c.d` ({@link ipBucket}).
 * - register: `consume('register', ip)`; refresh: `consume('refresh', ip)`.
 * - resend-verification: `consume('resendIp', ip)` then `consume('resendEmail', email)`;
 *   forgot-password: `consume('forgotIp', ip)` then `consume('forgotEmail', email)`. To keep these
 *   answers identical for known and unknown addresses, throttle by the address as typed (normalized),
 *   whether or not an account exists.
 * - verify and reset-password count refused tokens only: `reserve(rule, ip)` before the work
 *   (atomic, so concurrent guesses cannot all pass), `release(rule, ip)` unless the token was refused.
 * - Generic: `consume(rule, key)` counts and throws when over; `reserve(rule, key)` counts a failure
 *   up front and throws (counting nothing) when over; `release(rule, key)` gives one back;
 *   `reset(rule, key)` forgets.
 *
 * Over a limit every method throws {@link ThrottledError} `{ rule, retryAfterSec, code: 'rate_limited',
 * statusCode: 429 }`. With `REDIS_URL` the store is a {@link FallbackStore}: while Redis is down
 * the counters live in this process's memory (never a pass, never a 500).
 *
 * Limits, variable names and defaults: {@link THROTTLE_LIMIT_TABLE} (use it for config docs/README).
 */
import { FallbackStore, type FallbackStoreLog } from './fallback-store.js';
import { MemoryStore } from './memory-store.js';
import type { ThrottleStore } from './store.js';

export type { Limit, ThrottleLimitSpec, ThrottleLimits, ThrottleRule } from './limits.js';
export {
  defaultThrottleLimits,
  parseThrottleLimits,
  THROTTLE_LIMIT_TABLE,
  THROTTLE_RULES,
} from './limits.js';
export type { FallbackStoreLog, FallbackStoreOptions, RedisState } from './fallback-store.js';
export { FallbackStore } from './fallback-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { MemoryStore } from './memory-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { REDIS_KEY_PREFIX, RedisStore } from './redis-store.js';
export type { HitResult, ThrottleStore } from './store.js';
export { ipBucket } from './client-ip.js';
export type { LoginAttempt, LoginReservation } from './throttle.js';
export { Throttle, ThrottledError } from './throttle.js';

/**
 * The store for this configuration: a {@link FallbackStore} (Redis at `redisUrl`, keys under
 * `auth:throttle:`, memory while Redis is down) when given, otherwise an in-process {@link MemoryStore}.
 *
 * @example
 * ```ts
 * const store = createThrottleStore(process.env.REDIS_URL, { log: app.log });
 * ```
 */
export function createThrottleStore(
  redisUrl: string | undefined,
  options: { log?: FallbackStoreLog } = {},
): ThrottleStore {
  const log = options.log ?? { warn() {}, info() {} };
  return redisUrl ? new FallbackStore({ url: redisUrl, log }) : new MemoryStore();
}
