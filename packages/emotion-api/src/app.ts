/**
 * Builds the emotion-api Fastify app: auth proxy, CSRF guard, detection, history, health and
 * docs, plus the built web app when `config.webDist` is set. Closing the app closes the
 * prediction store and the model's workers (each when the app created it).
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { AuthClient } from '@emotion-app/auth-client';
import {
  type AuthUser,
  createRequireAuth,
  createTokenVerifier,
  type AnyTokenVerifier,
} from '@emotion-app/auth-client/server';
import { CSRF_HEADER } from '@emotion-app/protocol';
import {
  baseFastifyOptions,
  problemPlugin,
  registerMetrics,
  registerSecurityHeaders,
} from '@emotion-app/service-kit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authProxyRoutes } from './auth-proxy/auth-proxy.routes.js';
import { SessionCookies } from './auth/cookies.js';
import { createCsrfGuard } from './auth/csrf.js';
import { followRevocations, type Revocations } from './auth/revocations.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { detectionRoutes } from './detections/detections.routes.js';
import { type DetectionObserver, DetectionService } from './detections/detections.service.js';
import { healthRoutes } from './health/health.routes.js';
import { historyRoutes } from './history/history.routes.js';
import { HistoryService } from './history/history.service.js';
import { problemOptions } from './http/problems.js';
import { contentSecurityPolicy } from './http/security-headers.js';
import { BoundedQueue } from './model/bounded-queue.js';
import { createEmotionDetector, type EmotionDetector } from './model/index.js';
import { modelRoutes } from './models/models.routes.js';
import { detectionMetrics, registerDomainMetrics } from './metrics.js';
import { openPredictionStore } from './predictions/predictions.open.js';
import type { PredictionStore } from './predictions/predictions.store.js';
import { registerWebApp } from './web/web.routes.js';

const MODEL_LOAD_TIMEOUT_MS = 120_000;

export interface AppDeps {
  /** An already created detector (tests); the app then neither loads nor closes it. */
  detector?: EmotionDetector;
  /** An already opened prediction store (tests); the app then does not close it. */
  store?: PredictionStore;
  /** Load the model before listening (default true). */
  loadModel?: boolean;
  /** Fastify logger option (default: pino at config.logLevel); tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(config, deps.logger));

  // Set by requireAuth on protected routes; declared up front so every request has the same shape.
  app.decorateRequest('user', null as unknown as AuthUser);
  await app.register(problemPlugin, problemOptions(config));
  // GET /metrics (hidden from /docs) and the request histogram, on every route registered below.
  const metrics = registerMetrics(app, config.metricsToken ? { token: config.metricsToken } : {});

  const ownsDetector = deps.detector === undefined;
  const ownsStore = deps.store === undefined;
  const store = deps.store ?? (await openPredictionStore(config));
  const ctx = createContext(
    config,
    { store, detector: deps.detector, observer: detectionMetrics(metrics) },
    app.log,
  );
  app.addHook('onClose', async () => {
    await ctx.revocations.close();
    if (ownsStore) await store.close();
    if (ownsDetector) await ctx.detector.close();
  });
  registerDomainMetrics(metrics, ctx);
  await registerPlugins(app, config, ctx.cookies);
  app.addHook('preHandler', createCsrfGuard(ctx.cookies, config.corsOrigins));

  await app.register(authProxyRoutes, { ctx });
  await app.register(detectionRoutes, { ctx });
  await app.register(historyRoutes, { ctx });
  await app.register(modelRoutes, { ctx });
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

/**
 * service-kit's base options (redacting logger, proxy trust, the 1 MB JSON body limit, Ajv with
 * every invalid field and auth-server's email format), with query strings coerced to their
 * schema types (`/logs?limit=20`), and time for the model to load.
 */
function fastifyOptions(config: Config, logger: FastifyServerOptions['logger']): FastifyServerOptions {
  return {
    ...baseFastifyOptions({
      logLevel: config.logLevel,
      logger,
      trustProxy: config.trustProxy,
      coerceTypes: 'array',
    }),
    // onReady loads the model (weights, WASM, a warm-up pass per network and worker): seconds on an
    // idle machine, but more than Fastify's default 10 s on a busy one.
    pluginTimeout: MODEL_LOAD_TIMEOUT_MS,
  };
}

/** The services and stores the routes share; a detector given by the caller is used as is. */
function createContext(
  config: Config,
  given: { store: PredictionStore; detector: EmotionDetector | undefined; observer: DetectionObserver },
  log: FastifyBaseLogger,
): AppContext {
  const { store, observer } = given;
  const detector =
    given.detector ??
    createEmotionDetector({ workers: config.modelWorkers, maxPixels: config.maxImagePixels });
  const detectQueue = new BoundedQueue(config.modelWorkers, config.detectQueueMax);
  const cookies = new SessionCookies(config.production);
  const history = new HistoryService({ store });
  const revocations = followRevocations({
    authUrl: config.authUrl,
    serviceKey: config.serviceKey,
    serviceKeyFile: config.serviceKeyFile,
    log,
    onUserDeleted: (userId) => history.removeUser(userId),
  });
  const verifier = createVerifier(config, revocations);
  return {
    config,
    auth: new AuthClient({ baseUrl: config.authUrl, timeoutMs: config.authTimeoutMs }),
    cookies,
    store,
    detector,
    detectQueue,
    revocations,
    requireAuth: createRequireAuth(verifier, { cookieName: cookies.names.access }),
    detections: new DetectionService({
      store,
      detector,
      observer,
      detectQueue,
      minConfidence: config.minConfidence,
      maxImagePixels: config.maxImagePixels,
    }),
    history,
  };
}

/**
 * The local token check (DESIGN §7): auth-server's JWKS (ES256/RS256/EdDSA, fetched on first use,
 * so startup never waits for auth-server), or HS256 with `AUTH_JWT_SECRET` when it is set (the
 * seed's mode); either way with the revocation feed when there is a service key.
 */
function createVerifier(config: Config, revocations: Revocations): AnyTokenVerifier {
  const common = {
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    revocations: revocations.checker,
  };
  return config.jwtSecret !== null
    ? createTokenVerifier({ secret: config.jwtSecret, ...common })
    : createTokenVerifier({ jwksUrl: config.jwksUrl, ...common });
}

/** Security headers, cookies, CORS, multipart, rate limiting and the OpenAPI document at /docs. */
async function registerPlugins(app: FastifyInstance, config: Config, cookies: SessionCookies): Promise<void> {
  await registerSecurityHeaders(app, {
    production: config.production,
    csp: contentSecurityPolicy(config.production),
  });
  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: [...config.corsOrigins],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', CSRF_HEADER.toLowerCase()],
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
