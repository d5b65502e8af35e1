import type { AuthClient } from '@emotion-app/auth-client';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { SessionCookies } from './auth/cookies.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { BoundedQueue } from './model/bounded-queue.js';
import type { EmotionDetector } from './model/index.js';
import type { ImageStore } from './storage/image-store.js';

/** What the route modules share; built once in `buildApp`. */
export interface AppContext {
  config: Config;
  auth: AuthClient;
  cookies: SessionCookies;
  db: Db;
  images: ImageStore;
  detector: EmotionDetector;
  /** One slot per model worker for decoding, detecting and re-encoding an upload (503 server_busy when full). */
  detectQueue: BoundedQueue;
  /** Fastify preHandler verifying the access token locally (Bearer first, then the cookie). */
  requireAuth: preHandlerAsyncHookHandler;
}
