/**
 * Throttle limits: one environment variable per limit, `"<max>/<windowSec>"`.
 * {@link THROTTLE_LIMIT_TABLE} is the single source of the names, defaults and meanings (config.ts,
 * `.env.example` and the README's Security section are generated from or checked against it).
 */

/** At most `max` counted events per `windowSec` seconds. */
export interface Limit {
  max: number;
  windowSec: number;
}

/** Every throttled rule of auth-server. */
export interface ThrottleLimits {
  loginAccountIp: Limit;
  loginIp: Limit;
  loginAccount: Limit;
  register: Limit;
  verify: Limit;
  resendEmail: Limit;
  resendIp: Limit;
  forgotEmail: Limit;
  forgotIp: Limit;
  reset: Limit;
  refresh: Limit;
}

/** Name of one throttled rule. */
export type ThrottleRule = keyof ThrottleLimits;

/** One row of {@link THROTTLE_LIMIT_TABLE}. */
export interface ThrottleLimitSpec {
  /** Environment variable that overrides the default, e.g. `RATE_LIMIT_LOGIN_IP=150/300`. */
  env: string;
  default: Limit;
  /** `attempts`: every request counts ({@link Throttle.consume}); `failures`: only failed ones. */
  counts: 'attempts' | 'failures';
  /** What the key is: the client IP, the account's email, both, ... */
  per: 'ip' | 'email' | 'account' | 'account+ip';
  /** One line for the README. */
  description: string;
}

/** Names, defaults and meanings of every limit, in README order. */
export const THROTTLE_LIMIT_TABLE: Readonly<Record<ThrottleRule, Readonly<ThrottleLimitSpec>>> =
  Object.freeze({
    loginAccountIp: {
      env: 'RATE_LIMIT_LOGIN_ACCOUNT_IP',
      default: { max: 10, windowSec: 900 },
      counts: 'failures',
      per: 'account+ip',
      description: 'failed logins for one account from one IP',
    },
    loginIp: {
      env: 'RATE_LIMIT_LOGIN_IP',
      default: { max: 150, windowSec: 300 },
      counts: 'attempts',
      per: 'ip',
      description: 'login attempts from one IP',
    },
    loginAccount: {
      env: 'RATE_LIMIT_LOGIN_ACCOUNT',
      default: { max: 50, windowSec: 3600 },
      counts: 'failures',
      per: 'account',
      description: 'failed logins for one account from all IPs; logins from a known device are exempt',
    },
    register: {
      env: 'RATE_LIMIT_REGISTER',
      default: { max: 100, windowSec: 300 },
      counts: 'attempts',
      per: 'ip',
      description: 'registrations from one IP',
    },
    verify: {
      env: 'RATE_LIMIT_VERIFY',
      default: { max: 30, windowSec: 300 },
      counts: 'failures',
      per: 'ip',
      description: 'refused email verification tokens from one IP',
    },
    resendEmail: {
      env: 'RATE_LIMIT_RESEND_EMAIL',
      default: { max: 5, windowSec: 3600 },
      counts: 'attempts',
      per: 'email',
      description: 'verification mails re-sent to one address',
    },
    resendIp: {
      env: 'RATE_LIMIT_RESEND_IP',
      default: { max: 30, windowSec: 3600 },
      counts: 'attempts',
      per: 'ip',
      description: 'resend-verification requests from one IP',
    },
    forgotEmail: {
      env: 'RATE_LIMIT_FORGOT_EMAIL',
      default: { max: 5, windowSec: 3600 },
      counts: 'attempts',
      per: 'email',
      description: 'password reset mails sent to one address',
    },
    forgotIp: {
      env: 'RATE_LIMIT_FORGOT_IP',
      default: { max: 30, windowSec: 3600 },
      counts: 'attempts',
      per: 'ip',
      description: 'forgot-password requests from one IP',
    },
    reset: {
      env: 'RATE_LIMIT_RESET',
      default: { max: 30, windowSec: 300 },
      counts: 'failures',
      per: 'ip',
      description: 'refused password reset tokens from one IP',
    },
    refresh: {
      env: 'RATE_LIMIT_REFRESH',
      default: { max: 300, windowSec: 300 },
      counts: 'attempts',
      per: 'ip',
      description: 'token refreshes from one IP',
    },
  });

/** Every rule name, in table order. */
export const THROTTLE_RULES = Object.freeze(Object.keys(THROTTLE_LIMIT_TABLE) as ThrottleRule[]);

/** Largest accepted `max` and `windowSec` (one year). */
const MAX_COUNT = 1_000_000_000;
const MAX_WINDOW_SEC = 366 * 24 * 60 * 60;

/**
 * Reads every limit from `env`. An unset or empty variable gives the default; a malformed one
 * gives the default plus an error naming the variable, so config.ts can report every problem at
 * once and refuse to start.
 *
 * @example
 * ```ts
 * const { limits, errors } = parseThrottleLimits({ RATE_LIMIT_LOGIN_IP: '100/60' });
 * // limits.loginIp -> { max: 100, windowSec: 60 }, errors -> []
 * ```
 */
export function parseThrottleLimits(env: NodeJS.ProcessEnv): { limits: ThrottleLimits; errors: string[] } {
  const errors: string[] = [];
  const limits = {} as Record<ThrottleRule, Limit>;
  for (const rule of THROTTLE_RULES) {
    const spec = THROTTLE_LIMIT_TABLE[rule];
    const raw = env[spec.env]?.trim();
    limits[rule] = { ...spec.default };
    if (!raw) continue;
    const match = /^(\d+)\s*\/\s*(\d+)$/.exec(raw);
    const max = Number(match?.[1]);
    const windowSec = Number(match?.[2]);
    if (!match || max < 1 || max > MAX_COUNT || windowSec < 1 || windowSec > MAX_WINDOW_SEC) {
      errors.push(
        `${spec.env} must be "<max>/<windowSec>" with whole numbers, max 1-${MAX_COUNT} and windowSec ` +
          `1-${MAX_WINDOW_SEC}, e.g. "${spec.default.max}/${spec.default.windowSec}" (got ${JSON.stringify(raw)})`,
      );
      continue;
    }
    limits[rule] = { max, windowSec };
  }
  for (const rule of THROTTLE_RULES) Object.freeze(limits[rule]);
  return { limits: Object.freeze(limits), errors };
}

/** The default limits (what {@link parseThrottleLimits} gives for an empty environment). */
export function defaultThrottleLimits(): ThrottleLimits {
  return parseThrottleLimits({}).limits;
}
