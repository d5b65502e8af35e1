/**
 * emotion-api's domain metrics (DESIGN §8), in the app's registry next to service-kit's
 * `http_request_duration_seconds` and the process metrics that `GET /metrics` exports.
 */
import { Counter, Gauge, Histogram, type Registry } from '@emotion-app/service-kit';
import type { AppContext } from './context.js';
import type { DetectionObserver } from './detections/detections.service.js';

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

/**
 * `emotion_detect_duration_seconds{model}` (the model's detection of one upload) and
 * `emotion_faces_total{emotion}` (faces found, by their top emotion), fed by the DetectionService.
 */
export function detectionMetrics(registry: Registry): DetectionObserver {
  const duration = new Histogram({
    name: 'emotion_detect_duration_seconds',
    help: 'Time the model took to detect the faces and emotions of one upload.',
    labelNames: ['model'],
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const faces = new Counter({
    name: 'emotion_faces_total',
    help: 'Faces detected, by their most likely emotion.',
    labelNames: ['emotion'],
    registers: [registry],
  });
  return {
    detected(model, seconds, found) {
      duration.observe({ model }, seconds);
      for (const face of found) faces.inc({ emotion: face.emotion });
    },
  };
}
