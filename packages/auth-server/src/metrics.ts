/**
 * auth-server's domain metrics (DESIGN §8), in the app's registry next to service-kit's
 * `http_request_duration_seconds` and the process metrics that `GET /metrics` exports.
 */
import { Counter, Gauge, type Registry } from '@emotion-app/service-kit';

/** How a login ended (`auth_logins_total{result}`); other errors (e.g. a database outage) are not counted. */
export type LoginResult = 'success' | 'invalid_credentials' | 'email_not_verified' | 'rate_limited';

/** How a refresh ended (`auth_refresh_total{result}`); `reused` revoked the session. */
export type RefreshResult = 'success' | 'reused' | 'invalid' | 'session_expired';

export interface AuthMetrics {
  readonly logins: Counter<'result'>;
  readonly refreshes: Counter<'result'>;
  readonly outboxPending: Gauge;
}

export interface AuthMetricSources {
  /** Mails queued but not yet delivered (nor given up), read at every scrape. */
  pendingMail(): Promise<number>;
}

export function createAuthMetrics(registry: Registry, sources: AuthMetricSources): AuthMetrics {
  return {
    outboxPending: new Gauge({
      name: 'auth_mail_outbox_pending',
      help: 'Mails in the outbox not yet delivered (read at scrape time; the last value while the database is down).',
      registers: [registry],
      async collect() {
        try {
          this.set(await sources.pendingMail());
        } catch {
          // Database down: keep the last value; /api/health reports the outage.
        }
      },
    }),
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
