/**
 * Builds the auth-server Fastify app: database (migrated), mail worker, throttle, routes, docs.
 * `app.close()` stops everything it started.
 */
import { join } from 'node:path';
import { DEVICE_TOKEN_HEADER } from '@emotion-app/auth-client/contract';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyLoggerOptions, type FastifyServerOptions } from 'fastify';
import { ARGON2_PRODUCTION_COST, type Config, DEV_SERVICE_KEY_FILE } from './config.js';
import type { AppContext } from './context.js';
import { type Db, openDb } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { recordAuthEvent } from './events/auth-events.js';
import { registerErrorHandling } from './http/error-handler.js';
import { serializeError } from './http/error-serializer.js';
import { docsContentSecurityPolicy, registerSecurityHeaders } from './http/security-headers.js';
import { developmentTransport, type MailTransport, smtpTransport } from './mail/transport.js';
import { mailContentKey } from './mail/sealing.js';
import { MailWorker } from './mail/worker.js';
import { PasswordHasher } from './passwords/hash.js';
import { authRoutes } from './routes/auth.js';
import { devOutboxRoutes, healthRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';
import { createThrottleStore, Throttle, ThrottledError, type ThrottleStore } from './throttle/index.js';
import { JwtService } from './tokens/jwt.js';
import { deriveKey } from './tokens/opaque.js';
import { isEmail } from './users/email.js';
import { AppError } from './errors.js';

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
  const app = Fastify({
    logger: loggerOptions(config, options.logger),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    ajv: {
      customOptions: { allErrors: true, coerceTypes: false, removeAdditional: true },
      onCreate: (ajv) => {
        ajv.addFormat('email', { type: 'string', validate: isEmail });
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerJsonParser(app);
  registerErrorHandling(app);

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
      createThrottleStore(config.redisUrl, {
        onError: (err) => app.log.error({ err }, 'throttle store error'),
      }),
    config.throttle,
  );
  const ctx: AppContext = {
    config,
    db,
    jwt: new JwtService(config.jwt),
    hasher: new PasswordHasher(config.argon2),
    throttle,
    mailWorker,
    refreshChainKey: deriveKey(config.jwt.secret, 'auth-server/refresh-chain/v1'),
    log: app.log,
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

  app.addHook('onClose', async () => {
    await mailWorker.stop();
    await throttle.close();
    if (closeDb) await db.destroy();
  });

  if (config.jwt.generatedSecret) {
    app.log.warn(
      `JWT_SECRET_KEY is not set: using the development secret in ${join(config.dataDir, 'dev-jwt-secret')}. Set JWT_SECRET_KEY in production.`,
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

  await registerSecurityHeaders(app, config.isProduction);
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

  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(userRoutes, { prefix: '/api/users' });
  await app.register(healthRoutes, { prefix: '/api' });
  if (!config.isProduction && !config.smtpUrl) await app.register(devOutboxRoutes, { prefix: '/api/dev' });

  await app.ready();
  // Production without SMTP keeps mails queued in the outbox table (delivered once SMTP_URL is set).
  const holdMail = config.isProduction && !config.smtpUrl && !options.mailTransport;
  if (!holdMail) mailWorker.start();
  return app;
}

type ErrSerializer = NonNullable<NonNullable<FastifyLoggerOptions['serializers']>['err']>;

/**
 * The logger: pino at `config.logLevel` (or the caller's options), never writing credentials
 * (Authorization, cookies) or anything of a failed query: every error goes through
 * {@link serializeError}, whatever logger options are given.
 */
function loggerOptions(
  config: Config,
  given: FastifyServerOptions['logger'],
): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const base = given === undefined || given === true ? { level: config.logLevel } : given;
  return {
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...base,
    // Fastify types `err` as returning a full `{ type, message, stack }`; pino accepts any object.
    serializers: { ...base.serializers, err: serializeError as unknown as ErrSerializer },
  };
}

/**
 * JSON bodies only (anything else is 415), through Fastify's safe parser; an empty body counts as
 * no body (e.g. a Bearer-only logout).
 */
function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    parse(request, text, (err, value) => {
      if (err)
        return done(
          new AppError(400, 'validation_failed', 'Validation failed', 'The request body is not valid JSON.', {
            errors: [{ path: '', message: 'must be valid JSON' }],
          }),
          undefined,
        );
      done(null, value);
    });
  });
}
