/**
 * The one place, for both services, that tells "the database is unreachable" from every other
 * database error. Those answer 503 `service_unavailable` with `Retry-After`, never a 500, and
 * recover by themselves once PostgreSQL is back (the pool opens new connections on demand).
 * Anything else (a bug, a constraint) stays what it is.
 */
import { ProblemError } from '@emotion-app/protocol';

/** Socket-level error codes of a lost or refused connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away or not accepting connections: 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections; and class 08,
 * connection exceptions.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages pg and pg-pool throw without a code. */
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error and is not queryable/i,
  /Connection ended/i,
  /Client was closed/i,
  /Query read timeout/i,
];

/** True when `err` (or what it wraps: `errors` of an AggregateError, `cause`) says the database cannot be reached now. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 3 || typeof err !== 'object' || err === null || err instanceof ProblemError) return false;
  const { code, message, errors, cause } = err as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08/.test(code))) {
    return true;
  }
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** The answer to a request that needed the unreachable database. */
export const databaseUnavailable = (): ProblemError =>
  new ProblemError({
    code: 'service_unavailable',
    detail: 'The database is unreachable. Try again in a few seconds.',
    retryAfterSec: 5,
  });

/** `err` as {@link databaseUnavailable} when the database is unreachable, else unchanged. */
export function toDatabaseUnavailable(err: unknown): unknown {
  return isDatabaseUnavailable(err) ? databaseUnavailable() : err;
}
