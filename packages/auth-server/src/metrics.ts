/**
 * auth-server's domain metrics (DESIGN §8), in the app's registry next to service-kit's
 * `http_request_duration_seconds` and the process metrics that `GET /metrics` exports.
 */
import { Counter, type Registry } from '@emotion-app/service-kit';

/** How a login ended (`auth_logins_total{result}`); other errors (e.g. a database outage) are not counted. */
export type LoginResult = 'success' | 'invalid_credentials' | 'email_not_verified' | 'rate_limited';

/** How a refresh ended (`auth_refresh_total{result}`); `reused` revoked the session. */
export type RefreshResult = 'success' | 'reused' | 'invalid' | 'session_expired';

export interface AuthMetrics {
  readonly logins: Counter<'result'>;
  readonly refreshes: Counter<'result'>;
}

export function createAuthMetrics(registry: Registry): AuthMetrics {
  return {
    logins: new Counter({
      name: 'auth_logins_total',
      help: 'Login attempts by result: success, invalid_credentials, email_not_verified, rate_limited.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    refreshes: new Counter({
      name: 'auth_refresh_total',
      help: 'Refresh-token rotations by result: success, reused (session revoked), invalid, session_expired.',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };
}

/** Counts one login outcome. */
export function countLogin(metrics: AuthMetrics, result: LoginResult): void {
  metrics.logins.inc({ result });
}

/** Counts one refresh outcome. */
export function countRefresh(metrics: AuthMetrics, result: RefreshResult): void {
  metrics.refreshes.inc({ result });
}
