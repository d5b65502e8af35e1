/**
 * emotion-api's domain metrics (DESIGN §8), in the app's registry next to service-kit's
 * `http_request_duration_seconds` and the process metrics that `GET /metrics` exports.
 */
import { Gauge, type Registry } from '@emotion-app/service-kit';
import type { AppContext } from './context.js';

/** Registers `emotion_model_queue_depth`, read from the detect queue at each scrape. */
export function registerDomainMetrics(registry: Registry, ctx: Pick<AppContext, 'detectQueue'>): void {
  new Gauge({
    name: 'emotion_model_queue_depth',
    help: 'Uploads waiting for a model worker (not counting those being detected now).',
    registers: [registry],
    collect() {
      this.set(ctx.detectQueue.size.waiting);
    },
  });
}
