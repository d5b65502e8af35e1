import type { AuthClient } from '@emotion-app/auth-client';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { SessionCookies } from './auth/cookies.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
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
  /** Fastify preHandler verifying the access token locally (Bearer first, then the cookie). */
  requireAuth: preHandlerAsyncHookHandler;
}
