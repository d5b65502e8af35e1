/**
 * Everything a route needs, built once by `buildApp` and handed to every route plugin as its
 * `ctx` option. (auth-server decorates its context onto the instance instead; here a second
 * `declare module 'fastify'` with `FastifyInstance.ctx` would clash with auth-server's, whose
 * sources this package's tests compile too.)
 */
import type { AuthClient } from '@emotion-app/auth-client';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { SessionCookies } from './auth/cookies.js';
import type { Revocations } from './auth/revocations.js';
import type { Config } from './config.js';
import type { DetectionService } from './detections/detections.service.js';
import type { HistoryService } from './history/history.service.js';
import type { BoundedQueue } from './model/bounded-queue.js';
import type { EmotionDetector } from './model/index.js';
import type { PredictionStore } from './predictions/predictions.store.js';

export interface AppContext {
  config: Config;
  auth: AuthClient;
  cookies: SessionCookies;
  /** Predictions and their images: SQLite + the image folder, or PostgreSQL (DATABASE_URL). */
  store: PredictionStore;
  detector: EmotionDetector;
  /** One slot per model worker for decoding, detecting and re-encoding an upload (503 server_busy when full). */
  detectQueue: BoundedQueue;
  /** auth-server's revocation feed as followed here (its `status` is /health's `revocations`). */
  revocations: Revocations;
  /** Fastify preHandler verifying the access token locally (Bearer first, then the cookie). */
  requireAuth: preHandlerAsyncHookHandler;
  /** POST /detect's work: inference, the confidence policy, storage. */
  detections: DetectionService;
  /** The caller's stored predictions. */
  history: HistoryService;
}

/** The options of every route plugin of this app. */
export interface RouteOptions {
  ctx: AppContext;
}
