/**
 * Builds the auth-server Fastify app: database (migrated), mail worker, throttle, routes, docs.
 * `app.close()` stops everything it started.
 */
import { join } from 'node:path';
import { DEVICE_TOKEN_HEADER, ProblemError } from '@emotion-app/protocol';
import {
  baseFastifyOptions,
  DEV_JWT_SECRET_FILE,
  DEV_SERVICE_KEY_FILE,
  problemPlugin,
  registerMetrics,
  registerSecurityHeaders,
} from '@emotion-app/service-kit';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ARGON2_PRODUCTION_COST, type Config } from './config.js';
import type { AppContext } from './context.js';
import { type Db, openDb } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { databaseUnavailable, isDatabaseUnavailable } from '@emotion-app/service-kit';
import { recordAuthEvent } from './events/auth-events.js';
import { registerEndpoints } from './http/endpoints.js';
import { API_CSP, docsContentSecurityPolicy } from './http/security-headers.js';
import { developmentTransport, type MailTransport, smtpTransport } from './mail/transport.js';
import { countPendingMail } from './mail/outbox.js';
import { mailContentKey } from './mail/sealing.js';
import { MailWorker } from './mail/worker.js';
import { createAuthMetrics } from './metrics.js';
import { PasswordHasher } from './passwords/hash.js';
import { authHandlers } from './routes/auth.js';
import { systemHandlers } from './routes/system.js';
import { userHandlers } from './routes/users.js';
import { createThrottleStore, Throttle, ThrottledError, type ThrottleStore } from './throttle/index.js';
import { KeyRing } from './keys/ring.js';
import { RevocationFeed } from './revocations/feed.js';
import { keyHandlers } from './routes/keys.js';
import { revocationHandlers } from './routes/revocations.js';
import { type AccessTokens, JwtService, RingJwtService } from './tokens/jwt.js';
import { deriveKey } from './tokens/opaque.js';

export interface BuildOptions {
  /** An already open database (tests); the caller keeps ownership and closes it. Otherwise opened from the config and closed by app.close(). */
  db?: Db;
  /** Replaces the mail transport (tests). */
  mailTransport?: MailTransport;
  /** Replaces the throttle store (tests: a RedisStore with its own key prefix); closed by app.close(). */
  throttleStore?: ThrottleStore;
  /** Fastify logger option (default: pino at config.logLevel). */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const cost = config.argon2;
  if (
    config.isProduction &&
    (cost.memoryCost < ARGON2_PRODUCTION_COST.memoryCost ||
      cost.timeCost < ARGON2_PRODUCTION_COST.timeCost ||
      cost.parallelism < ARGON2_PRODUCTION_COST.parallelism)
  ) {
    throw new Error('argon2 cost below the OWASP minimum is only allowed outside production');
  }
  const app = Fastify(
    baseFastifyOptions({ logLevel: config.logLevel, logger: options.logger, trustProxy: config.trustProxy }),
  ).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(problemPlugin, {
    mapError: (error) => {
      if (isDatabaseUnavailable(error)) return databaseUnavailable();
      return error instanceof ThrottledError
        ? new ProblemError({
            code: 'rate_limited',
            detail: `Too many attempts. Try again in ${error.retryAfterSec} seconds.`,
            retryAfterSec: error.retryAfterSec,
          })
        : undefined;
    },
  });

  const db =
    options.db ??
    (await openDb({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'auth') }));
  const closeDb = options.db === undefined;
  try {
    await migrateToLatest(db);
  } catch (err) {
    if (closeDb) await db.destroy();
    throw err;
  }

  const transport =
    options.mailTransport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl) : developmentTransport());
  const mailWorker = new MailWorker(db, transport, app.log.child({ component: 'mail' }), {
    from: config.mailFrom,
    contentKey: mailContentKey(config.jwt.secret),
    ...config.mail,
  });
  const throttle = new Throttle(
    options.throttleStore ??
      createThrottleStore(config.redisUrl, { log: app.log.child({ component: 'throttle' }) }),
    config.throttle,
  );
  await throttle.connected();
  let keys: KeyRing | undefined;
  let jwt: AccessTokens;
  try {
    if (config.jwt.alg === 'HS256') jwt = new JwtService(config.jwt);
    else {
      keys = await KeyRing.open(db, {
        alg: config.jwt.alg,
        secret: config.jwt.secret,
        accessTtlSeconds: config.jwt.accessTtlSeconds,
        rotationDelaySeconds: config.jwt.rotationDelaySeconds,
        log: app.log.child({ component: 'keys' }),
      });
      jwt = new RingJwtService(config.jwt, keys);
    }
  } catch (err) {
    await throttle.close();
    if (closeDb) await db.destroy();
    throw err;
  }
  const revocations = new RevocationFeed(db, {
    accessTtlSeconds: config.jwt.accessTtlSeconds,
    log: app.log.child({ component: 'revocations' }),
  });
  // GET /metrics (hidden from /docs) and the request histogram, on every route registered below.
  const metricsRegistry = registerMetrics(app, config.metricsToken ? { token: config.metricsToken } : {});
  const ctx: AppContext = {
    config,
    db,
    jwt,
    keys,
    revocations,
    startedAt: new Date(),
    hasher: new PasswordHasher(config.argon2),
    throttle,
    mailWorker,
    refreshChainKey: deriveKey(config.jwt.secret, 'auth-server/refresh-chain/v1'),
    log: app.log,
    metrics: createAuthMetrics(metricsRegistry, { pendingMail: () => countPendingMail(db) }),
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('client', {
    getter(this: { ip: string; headers: Record<string, unknown> }) {
      const ua = this.headers['user-agent'];
      return { ip: this.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null };
    },
  });

  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof ThrottledError) {
      await recordAuthEvent(db, request.log, {
        type: 'throttled',
        ...request.client,
        detail: { rule: error.rule, route: request.routeOptions.url },
      });
    }
  });

  // Open event streams would keep the HTTP server from closing: end them first.
  app.addHook('preClose', async () => {
    revocations.endStreams();
  });
  app.addHook('onClose', async () => {
    keys?.close();
    await revocations.close();
    await mailWorker.stop();
    await throttle.close();
    if (closeDb) await db.destroy();
  });

  if (config.jwt.generatedSecret) {
    app.log.warn(
      `JWT_SECRET_KEY is not set: using the development secret in ${join(config.dataDir, DEV_JWT_SECRET_FILE)}. Set JWT_SECRET_KEY in production.`,
    );
  }

  if (config.generatedServiceKey) {
    app.log.warn(
      `SERVICE_KEY is not set: using the development service key in ${join(config.dataDir, DEV_SERVICE_KEY_FILE)}. Set SERVICE_KEY in production.`,
    );
  }

  if (config.isProduction && !config.smtpUrl) {
    app.log.warn(
      'SMTP_URL is not set in production: mails stay queued in the outbox table until SMTP_URL is set (the development mailbox is off).',
    );
  }

  await registerSecurityHeaders(app, { production: config.isProduction, csp: API_CSP });
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins],
    credentials: true,
    // @fastify/cors allows only GET, HEAD and POST by default: PATCH /api/users/me and
    // DELETE /api/users/me/sessions/:id need their preflight answered too.
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    // Lets browser clients read when a throttled request may be retried (429 rate_limited), and
    // the device token of a login.
    exposedHeaders: ['retry-after', DEVICE_TOKEN_HEADER],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'auth-server',
        version: '0.1.0',
        description: 'Standalone identity service (DESIGN §3).',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          serviceKey: { type: 'http', scheme: 'bearer', description: 'The SERVICE_KEY (for other services)' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: docsContentSecurityPolicy(config.isProduction),
  });

  const devOutbox = !config.isProduction && !config.smtpUrl;
  registerEndpoints(
    app,
    {
      ...authHandlers(ctx),
      ...userHandlers(ctx),
      ...systemHandlers(ctx),
      ...keyHandlers(ctx),
      ...revocationHandlers(ctx),
    },
    { skip: devOutbox ? [] : ['devOutbox'] },
  );

  await app.ready();
  // Production without SMTP keeps mails queued in the outbox table (delivered once SMTP_URL is set).
  const holdMail = config.isProduction && !config.smtpUrl && !options.mailTransport;
  if (!holdMail) mailWorker.start();
  return app;
}
