/**
 * The one place that reads the environment (DESIGN §2): emotion-api's schema for service-kit's
 * `loadEnvAsync`, which reports every problem at once in a single `ConfigError`, and the frozen
 * `Config` built from it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_JWT_AUDIENCE,
  DEFAULT_JWT_ISSUER,
  isLongEnoughSecret,
  MIN_SECRET_BYTES,
} from '@emotion-app/protocol';
import {
  ConfigError,
  CorsOrigins,
  DataDir,
  DEV_SERVICE_KEY_FILE,
  type Env,
  type EnvField,
  EnvProblem,
  firstSet,
  Host,
  integer,
  LogLevel,
  type LogLevelName,
  loadEnvAsync,
  MetricsToken,
  NodeEnv,
  number,
  Port,
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
  /**
   * `DATABASE_URL` (postgres:// or postgresql://): predictions and images in PostgreSQL, shared by
   * every instance; undefined = SQLite `DATA_DIR/emotion.db` and the `DATA_DIR/images` folder.
   */
  readonly databaseUrl: string | undefined;
  readonly authUrl: string;
  readonly authTimeoutMs: number;
  /**
   * `AUTH_JWT_SECRET` (alias `RUST_JWT_SECRET`): when set, tokens are verified with it (HS256 only,
   * the seed's mode) and `jwksUrl` is not used; null = verify through the JWKS.
   */
  readonly jwtSecret: string | null;
  /** `AUTH_JWKS_URL`, default `${authUrl}/.well-known/jwks.json` (used when `jwtSecret` is null). */
  readonly jwksUrl: string;
  /** `AUTH_SERVICE_KEY`, auth-server's SERVICE_KEY, for the revocation feed; null when not set. */
  readonly serviceKey: string | null;
  /**
   * Outside production without `AUTH_SERVICE_KEY`: `DATA_DIR/dev-service-key`, which auth-server
   * writes on its first start (read when it appears); null otherwise.
   */
  readonly serviceKeyFile: string | null;
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
  /** `METRICS_TOKEN`: when set, GET /metrics requires it as a Bearer token (DESIGN §8). */
  readonly metricsToken: string | undefined;
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

/** A secret of at least 32 bytes from the first set of `names`, or null when none is set. */
function optionalSecret(names: readonly [string, ...string[]]): EnvField<string | null> {
  const [primary, ...aliases] = names;
  return {
    names: [primary],
    aliases,
    read(env) {
      const set = firstSet(env, names);
      if (!set) return null;
      if (!isLongEnoughSecret(set[1])) {
        throw new EnvProblem(`${set[0]} must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      return set[1];
    },
  };
}

/**
 * `AUTH_SERVICE_KEY`: set = that key; unset outside production = the file `DATA_DIR/dev-service-key`
 * (auth-server may write it after emotion-api started, so it is read later, when it appears);
 * unset in production = no revocation feed.
 */
const ServiceKey: EnvField<{ key: string | null; file: string | null }, string | null> = {
  ...optionalSecret(['AUTH_SERVICE_KEY']),
  finish(value, { production, dataDir }) {
    if (value !== null) return { key: value, file: null };
    return { key: null, file: production ? null : path.join(dataDir, DEV_SERVICE_KEY_FILE) };
  },
};

const between = (min: number, max: number) => (n: number) => n >= min && n <= max;
const positiveInteger = (n: number) => Number.isInteger(n) && n >= 1;

/** emotion-api's environment (DESIGN §2); `.env.example` lists exactly these variables. */
export function emotionApiEnv() {
  return {
    nodeEnv: NodeEnv,
    host: Host,
    port: Port(5000),
    dataDir: DataDir,
    databaseUrl: url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
    logLevel: LogLevel((env) => (env.nodeEnv === 'test' ? 'silent' : 'info')),
    authUrl: AuthUrl,
    authTimeoutMs: number('AUTH_TIMEOUT_MS', 5000, 'a positive integer (ms)', positiveInteger),
    jwtSecret: optionalSecret(['AUTH_JWT_SECRET', 'RUST_JWT_SECRET']),
    jwksUrl: url('AUTH_JWKS_URL', { protocols: ['http:', 'https:'] }),
    serviceKey: ServiceKey,
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
    metricsToken: MetricsToken,
  };
}

/**
 * Reads and validates the environment once. Nothing waits for auth-server: without
 * `AUTH_JWT_SECRET` tokens are verified through the JWKS (fetched on first use), and the
 * development service key is read when auth-server has written it.
 *
 * @throws ConfigError naming each bad variable.
 */
export async function loadConfig(env: Env = process.env): Promise<Config> {
  const e = await loadEnvAsync(emotionApiEnv(), env, {
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
    databaseUrl: e.databaseUrl,
    authUrl: e.authUrl,
    authTimeoutMs: e.authTimeoutMs,
    jwtSecret: e.jwtSecret,
    jwksUrl: e.jwksUrl ?? `${e.authUrl}/.well-known/jwks.json`,
    serviceKey: e.serviceKey.key,
    serviceKeyFile: e.serviceKey.file,
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
    metricsToken: e.metricsToken,
  });
}
