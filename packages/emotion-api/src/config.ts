/**
 * The one place that reads the environment (DESIGN §2): emotion-api's schema for service-kit's
 * `loadEnvAsync`, which reports every problem at once in a single `ConfigError`, and the frozen
 * `Config` built from it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '@emotion-app/protocol';
import {
  ConfigError,
  CorsOrigins,
  DataDir,
  DEV_JWT_SECRET_FILE,
  type Env,
  type EnvField,
  EnvProblem,
  Host,
  integer,
  LogLevel,
  type LogLevelName,
  loadEnvAsync,
  NodeEnv,
  number,
  Port,
  Secret,
  TrustProxy,
  text,
  url,
} from '@emotion-app/service-kit';

export { ConfigError };

/** Validated, frozen configuration of emotion-api (DESIGN §2). Nothing else reads `process.env`. */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly authUrl: string;
  readonly authTimeoutMs: number;
  readonly jwtSecret: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly maxUploadBytes: number;
  readonly maxImagePixels: number;
  readonly minConfidence: number;
  readonly corsOrigins: readonly string[];
  readonly detectRateLimit: number;
  readonly modelWorkers: number;
  /** Uploads that may wait for one of the `modelWorkers` image slots before /detect answers 503 server_busy. */
  readonly detectQueueMax: number;
  /** Folder of the built web app, or null when there is none to serve. */
  readonly webDist: string | null;
  /** Reverse proxies whose X-Forwarded-For is trusted (IPs or CIDRs); empty trusts none. */
  readonly trustProxy: readonly string[];
  readonly logLevel: LogLevelName;
}

export interface LoadConfigOptions {
  /** How long to wait for auth-server to create `DATA_DIR/dev-jwt-secret` (ms, default 10000). */
  secretWaitMs?: number;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The web app's build in this repository (`npm start` serves it). */
const DEFAULT_WEB_DIST = path.resolve(packageRoot, '../web/dist');

/** `WEB_DIST`: a folder with index.html; unset uses the repository's build when there is one; `none` serves no page. */
const WebDist: EnvField<string | null> = {
  names: ['WEB_DIST'],
  read(env) {
    const raw = env.get('WEB_DIST');
    if (raw === 'none') return null;
    const dir = path.resolve(raw ?? DEFAULT_WEB_DIST);
    if (existsSync(path.join(dir, 'index.html'))) return dir;
    if (raw !== undefined)
      throw new EnvProblem(`WEB_DIST must be a folder containing index.html (got "${raw}")`);
    return null;
  },
};

/** `TRUST_PROXY` as service-kit reads it; `false` (accepted before) also trusts none. */
const TrustProxyOrFalse: EnvField<string[]> = {
  names: TrustProxy.names,
  read: (env) => (env.get('TRUST_PROXY') === 'false' ? [] : TrustProxy.read(env)),
};

/** `AUTH_URL` (alias `RUST_AUTH_URL`), normalized, without a trailing slash. */
const authUrlField = url(['AUTH_URL', 'RUST_AUTH_URL'], {
  protocols: ['http:', 'https:'],
  fallback: 'http://localhost:8000',
});
const AuthUrl: EnvField<string> = {
  ...authUrlField,
  read: (env) => new URL(authUrlField.read(env)).toString().replace(/\/+$/, ''),
};

const between = (min: number, max: number) => (n: number) => n >= min && n <= max;
const positiveInteger = (n: number) => Number.isInteger(n) && n >= 1;

/** emotion-api's environment (DESIGN §2); `.env.example` lists exactly these variables. */
export function emotionApiEnv(options: LoadConfigOptions = {}) {
  return {
    nodeEnv: NodeEnv,
    host: Host,
    port: Port(5000),
    dataDir: DataDir,
    logLevel: LogLevel((env) => (env.nodeEnv === 'test' ? 'silent' : 'info')),
    authUrl: AuthUrl,
    authTimeoutMs: number('AUTH_TIMEOUT_MS', 5000, 'a positive integer (ms)', positiveInteger),
    jwtSecret: Secret(['AUTH_JWT_SECRET', 'RUST_JWT_SECRET'], {
      devFile: DEV_JWT_SECRET_FILE,
      waitMs: options.secretWaitMs ?? 10_000,
      missingHint:
        'start auth-server with the same DATA_DIR first, or set AUTH_JWT_SECRET to its JWT_SECRET_KEY',
    }),
    jwtIssuer: text('AUTH_JWT_ISSUER', DEFAULT_JWT_ISSUER),
    jwtAudience: text('AUTH_JWT_AUDIENCE', DEFAULT_JWT_AUDIENCE),
    maxUploadMb: number('MAX_UPLOAD_MB', 5, 'a number of megabytes in (0, 100]', between(0.001, 100)),
    maxImageMegapixels: number('MAX_IMAGE_MEGAPIXELS', 40, 'a number in (0, 400]', between(0.01, 400)),
    minConfidence: number('MIN_CONFIDENCE', 0, 'a number between 0 and 1', between(0, 1)),
    detectRateLimit: number('DETECT_RATE_LIMIT', 30, 'a positive integer', positiveInteger),
    modelWorkers: integer('MODEL_WORKERS', () => Math.max(1, availableParallelism()), 1, 64),
    detectQueueMax: integer('DETECT_QUEUE_MAX', 32, 0, 10_000),
    corsOrigins: CorsOrigins,
    webDist: WebDist,
    trustProxy: TrustProxyOrFalse,
  };
}

/**
 * Reads and validates the environment once. Outside production, when no secret is set, the
 * development secret is read from `DATA_DIR/dev-jwt-secret` (written by auth-server), waiting
 * a few seconds for it to appear.
 *
 * @throws ConfigError naming each bad variable.
 */
export async function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Promise<Config> {
  const e = await loadEnvAsync(emotionApiEnv(options), env, {
    // Cookies go with every request: CORS must name the origins (`*` would allow none with credentials).
    check: (values) =>
      values.corsOrigins.includes('*') ? ['CORS_ORIGINS must list origins; "*" is not allowed'] : [],
  });
  return Object.freeze({
    nodeEnv: e.nodeEnv,
    production: e.nodeEnv === 'production',
    host: e.host,
    port: e.port,
    dataDir: e.dataDir,
    authUrl: e.authUrl,
    authTimeoutMs: e.authTimeoutMs,
    jwtSecret: e.jwtSecret.value,
    jwtIssuer: e.jwtIssuer,
    jwtAudience: e.jwtAudience,
    maxUploadBytes: Math.floor(e.maxUploadMb * 1024 * 1024),
    maxImagePixels: Math.floor(e.maxImageMegapixels * 1_000_000),
    minConfidence: e.minConfidence,
    corsOrigins: e.corsOrigins,
    detectRateLimit: e.detectRateLimit,
    modelWorkers: e.modelWorkers,
    detectQueueMax: e.detectQueueMax,
    webDist: e.webDist,
    trustProxy: e.trustProxy,
    logLevel: e.logLevel,
  });
}
