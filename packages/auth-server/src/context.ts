/** Everything a route needs, built once by `buildApp` and decorated onto the Fastify instance. */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import type { MailWorker } from './mail/worker.js';
import type { PasswordHasher } from './passwords/hash.js';
import type { Throttle } from './throttle/index.js';
import type { JwtService } from './tokens/jwt.js';

export interface AppContext {
  config: Config;
  db: Db;
  jwt: JwtService;
  hasher: PasswordHasher;
  throttle: Throttle;
  mailWorker: MailWorker;
  /** Key for deriving refresh-token successors. */
  refreshChainKey: Buffer;
  log: FastifyBaseLogger;
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
