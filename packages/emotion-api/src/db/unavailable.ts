/**
 * The one place where a lost database becomes 503 `service_unavailable`: connection errors of
 * `pg` (refused, reset, terminated, pool timeouts) and PostgreSQL's shutdown / cannot-connect
 * codes. Anything else (a bug, a constraint) stays what it is.
 */
import { ProblemError } from '@emotion-app/protocol';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error and is not queryable/i,
  /not queryable/i,
  /Client was closed/i,
  /Connection ended/i,
  /Query read timeout/i,
];

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exception.
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
  }
  if (err instanceof AggregateError && err.errors.some(isConnectionError)) return true;
  return MESSAGES.some((re) => re.test(err.message));
}

/** `err` as 503 service_unavailable when it is a connection error, else unchanged. */
export function toUnavailable(err: unknown): unknown {
  if (err instanceof ProblemError || !isConnectionError(err)) return err;
  return new ProblemError({
    code: 'service_unavailable',
    detail: 'The database is unreachable; retry in a few seconds.',
  });
}
