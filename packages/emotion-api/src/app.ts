/**
 * Builds the emotion-api Fastify app: auth proxy, CSRF guard, detection, history, health and
 * docs, plus the built web app when `config.webDist` is set. Closing the app closes the
 * database and (when the app created it) the model's workers.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { AuthClient } from '@emotion-app/auth-client';
import { isEmail } from '@emotion-app/auth-client/contract';
import { type AuthUser, createRequireAuth, createTokenVerifier } from '@emotion-app/auth-client/server';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { SessionCookies } from './auth/cookies.js';
import { createCsrfGuard } from './auth/csrf.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { detectionRoutes } from './detections/detections.routes.js';
import { DetectionService } from './detections/detections.service.js';
import { healthRoutes } from './health/health.routes.js';
import { historyRoutes } from './history/history.routes.js';
import { HistoryService } from './history/history.service.js';
import { notFoundError, registerErrorHandling, sendProblem } from './http/problem.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { BoundedQueue } from './model/bounded-queue.js';
import { createEmotionDetector, type EmotionDetector } from './model/index.js';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { ImageStore } from './storage/image-store.js';
import { registerWebApp, sendSpa, wantsSpa } from './web/web.routes.js';

export interface AppDeps {
  /** An already created detector (tests); the app then neither loads nor closes it. */
  detector?: EmotionDetector;
  /** Load the model before listening (default true). */
  loadModel?: boolean;
}

const JSON_BODY_LIMIT = 1024 * 1024;

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(config));

  const ownsDetector = deps.detector === undefined;
  const ctx = createContext(config, deps.detector);
  app.addHook('onClose', async () => {
    ctx.db.close();
    if (ownsDetector) await ctx.detector.close();
  });

  // Set by requireAuth on protected routes; declared up front so every request has the same shape.
  app.decorateRequest('user', null as unknown as AuthUser);
  registerErrorHandling(app);
  app.setNotFoundHandler((request, reply) => {
    if (config.webDist && wantsSpa(request)) sendSpa(reply);
    else sendProblem(reply, notFoundError(request.method, request.url));
  });
  registerJsonParser(app);
  await registerPlugins(app, config, ctx.cookies);
  app.addHook('preHandler', createCsrfGuard(ctx.cookies, config.corsOrigins));

  await app.register(async (scope) => {
    await authRoutes(scope, ctx);
    await accountRoutes(scope, ctx);
  });
  await app.register(detectionRoutes, { ctx });
  await app.register(historyRoutes, { ctx });
  await app.register(healthRoutes, { ctx });
  if (config.webDist) await registerWebApp(app, config.webDist);

  if (ownsDetector && deps.loadModel !== false) {
    app.addHook('onReady', async () => {
      const started = performance.now();
      await ctx.detector.load();
      app.log.info(
        { model: ctx.detector.model, ms: Math.round(performance.now() - started) },
        'model loaded',
      );
    });
  }
  return app;
}

/** Logger (no credentials, no one-time tokens), proxy trust, the JSON body limit and Ajv's options. */
function fastifyOptions(config: Config): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        // One-time tokens travel in query strings (GET /auth/verify?token=): keep them out of logs.
        req: (req: { method: string; url: string; ip?: string }) => ({
          method: req.method,
          url: req.url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]'),
          remoteAddress: req.ip,
        }),
      },
    },
    trustProxy: config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    ajv: {
      // validation_failed lists every invalid field (as auth-server does), not just the first.
      customOptions: { allErrors: true },
      // The same email format as auth-server, so an address it accepts (Unicode ones too) passes here.
      onCreate: (ajv) => {
        ajv.addFormat('email', { type: 'string', validate: isEmail });
      },
    },
  };
}

/** The services and stores the routes share; a detector given by the caller is used as is. */
function createContext(config: Config, givenDetector: EmotionDetector | undefined): AppContext {
  const detector =
    givenDetector ??
    createEmotionDetector({ workers: config.modelWorkers, maxPixels: config.maxImagePixels });
  const db = openDatabase(config.dataDir);
  const images = new ImageStore(config.dataDir);
  const detectQueue = new BoundedQueue(config.modelWorkers, config.detectQueueMax);
  const cookies = new SessionCookies(config.production);
  const verifier = createTokenVerifier({
    secret: config.jwtSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
  });
  return {
    config,
    auth: new AuthClient({ baseUrl: config.authUrl, timeoutMs: config.authTimeoutMs }),
    cookies,
    db,
    images,
    detector,
    detectQueue,
    requireAuth: createRequireAuth(verifier, { cookieName: cookies.names.access }),
    detections: new DetectionService({
      db,
      images,
      detector,
      detectQueue,
      minConfidence: config.minConfidence,
      maxImagePixels: config.maxImagePixels,
    }),
    history: new HistoryService({ db, images }),
  };
}

/** An empty JSON body counts as no body (routes with optional bodies, e.g. POST /auth/refresh). */
function registerJsonParser(app: FastifyInstance): void {
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    jsonParser(request, body as string, done);
  });
}

/** Security headers, cookies, CORS, multipart, rate limiting and the OpenAPI document at /docs. */
async function registerPlugins(app: FastifyInstance, config: Config, cookies: SessionCookies): Promise<void> {
  await registerSecurityHeaders(app, config.production);
  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: [...config.corsOrigins],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'x-csrf-token'],
    exposedHeaders: ['retry-after'],
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 10, parts: 20 },
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'emotion-api',
        version: '0.1.0',
        description:
          'Emotion detection behind auth-server. Browsers use the cookies set by /auth/login (and send ' +
          'X-CSRF-Token on state-changing requests); other clients send Authorization: Bearer <accessToken>.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: cookies.names.access },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
