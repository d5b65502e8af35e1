/** Everything a route needs, built once by `buildApp` and decorated onto the Fastify instance. */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import type { MailWorker } from './mail/worker.js';
import type { AuthMetrics } from './metrics.js';
import type { PasswordHasher } from './passwords/hash.js';
import type { Throttle } from './throttle/index.js';
import type { KeyRing } from './keys/ring.js';
import type { RevocationFeed } from './revocations/feed.js';
import type { AccessTokens } from './tokens/jwt.js';

export interface AppContext {
  config: Config;
  db: Db;
  jwt: AccessTokens;
  /** The signing-key ring; undefined with JWT_ALG=HS256. */
  keys: KeyRing | undefined;
  /** The revocation feed: pages, purge, the notifier of the streams. */
  revocations: RevocationFeed;
  /** When this app started (the createdAt of the HS256 key in GET /api/admin/keys). */
  startedAt: Date;
  hasher: PasswordHasher;
  throttle: Throttle;
  mailWorker: MailWorker;
  /** Key for deriving refresh-token successors. */
  refreshChainKey: Buffer;
  log: FastifyBaseLogger;
  /** Domain counters in the app's metrics registry (GET /metrics). */
  metrics: AuthMetrics;
}

/** Who is calling and from where (for sessions, throttling and auth events). */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    client: ClientInfo;
  }
}
