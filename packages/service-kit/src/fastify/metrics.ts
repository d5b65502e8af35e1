/**
 * Prometheus metrics (DESIGN §8): one prom-client `Registry` per app (never the global one, so
 * several apps in one process don't clash), the default process metrics, the
 * `http_request_duration_seconds` histogram and `GET /metrics` in the text exposition format.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ProblemError } from '@emotion-app/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { sendProblem } from './problem-plugin.js';

/** prom-client's classes, so services add domain metrics without a dependency of their own. */
export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Options of {@link registerMetrics}. */
export interface MetricsOptions {
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>` (else 401 `invalid_token`). */
  token?: string;
  /** Prefix of the names of the metrics registered here (default none). */
  prefix?: string;
}

/** The path of the metrics route. */
export const METRICS_PATH = '/metrics';

/** The `route` label of a request no route matched (404s of unknown paths). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Latency buckets in seconds: a fast JSON route up to a slow model inference. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

/**
 * Registers the histogram hook and `GET /metrics` on the root instance (call it before the
 * routes, on the app itself, not inside an encapsulated plugin) and returns the app's registry,
 * where the service adds its own metrics. The route is hidden from OpenAPI and not itself
 * counted; the registry is cleared when the app closes.
 *
 * @example
 * ```ts
 * const registry = registerMetrics(app, { token: config.metricsToken });
 * new Counter({ name: 'logins_total', help: '…', registers: [registry] });
 * ```
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions = {}): Registry {
  const prefix = options.prefix ?? '';
  const register = new Registry();
  collectDefaultMetrics({ register, prefix });
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Duration of HTTP requests in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [register],
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (route === METRICS_PATH) return;
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // `hide` is @fastify/swagger's flag (the kit does not depend on it): keeps /metrics out of OpenAPI.
  const schema = { hide: true } as FastifySchema;
  app.get(METRICS_PATH, { schema }, async (request, reply) => {
    if (options.token !== undefined && !authorized(request, options.token)) {
      return sendProblem(
        reply,
        new ProblemError({
          code: 'invalid_token',
          detail: 'GET /metrics requires Authorization: Bearer <METRICS_TOKEN>.',
          headers: { 'www-authenticate': 'Bearer realm="metrics"' },
        }),
      );
    }
    const text = await register.metrics();
    return reply.type(register.contentType).send(text);
  });

  app.addHook('onClose', async () => {
    register.clear();
  });
  return register;
}
