/**
 * The one place that reads the environment (DESIGN §2): auth-server's schema for service-kit's
 * `loadEnv`, which reports every problem at once in a single `ConfigError`, and the frozen
 * `Config` built from it.
 */
import { DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER } from '@emotion-app/protocol';
import {
  ConfigError,
  CorsOrigins,
  DataDir,
  DEV_JWT_SECRET_FILE,
  DEV_SERVICE_KEY_FILE,
  type Env,
  type EnvField,
  EnvProblem,
  Host,
  LogLevel,
  loadEnv,
  MetricsToken,
  NodeEnv,
  integer,
  number,
  oneOf,
  Port,
  Secret,
  TrustProxy,
  text,
  url,
} from '@emotion-app/service-kit';
import { parseThrottleLimits, THROTTLE_LIMIT_TABLE, type ThrottleLimits } from './throttle/index.js';

export { ConfigError };

export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP minimum for argon2id (DESIGN §3); only tests construct configs with a lower cost. */
export const ARGON2_PRODUCTION_COST: Argon2Cost = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

/** Every `RATE_LIMIT_*` variable (throttle/limits.ts), read as one field. */
const ThrottleLimitsField: EnvField<ThrottleLimits> = {
  names: Object.values(THROTTLE_LIMIT_TABLE).map((spec) => spec.env),
  read(env) {
    const raw = Object.fromEntries(Object.values(THROTTLE_LIMIT_TABLE).map((s) => [s.env, env.get(s.env)]));
    const { limits, errors } = parseThrottleLimits(raw);
    if (errors.length > 0) throw new EnvProblem(...errors);
    return limits;
  },
};

const positive = (max: number) => (n: number) => n > 0 && n <= max;

/** How access tokens are signed (DESIGN §7): a key pair from the key ring, or HS256 with JWT_SECRET_KEY. */
export const JWT_ALGS = ['ES256', 'RS256', 'EdDSA', 'HS256'] as const;
export type JwtAlg = (typeof JWT_ALGS)[number];

/** The default of `JWT_ALG` (DESIGN §7): asymmetric, so verifiers hold no key that can mint tokens. */
export const DEFAULT_JWT_ALG: JwtAlg = 'ES256';

/** auth-server's environment (DESIGN §2, §7); `.env.example` lists exactly these variables. */
export const authServerEnv = {
  nodeEnv: NodeEnv,
  host: Host,
  port: Port(8000),
  logLevel: LogLevel(),
  dataDir: DataDir,
  /** PostgreSQL; unset = embedded PGlite in `DATA_DIR/auth`. */
  databaseUrl: url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] }),
  jwtSecret: Secret('JWT_SECRET_KEY', { devFile: DEV_JWT_SECRET_FILE }),
  jwtAlg: oneOf('JWT_ALG', JWT_ALGS, DEFAULT_JWT_ALG),
  keyRotationDelaySeconds: integer('KEY_ROTATION_DELAY_SECONDS', 600, 0, 30 * 24 * 3600),
  revocationHeartbeatSeconds: number(
    'REVOCATION_HEARTBEAT_SECONDS',
    15,
    'a positive number of seconds (≤ 3600)',
    positive(3600),
  ),
  jwtMaxAgeMinutes: number('JWT_MAXAGE', 15, 'a positive number of minutes (≤ 1440)', positive(1440)),
  refreshTokenDays: number('REFRESH_TOKEN_DAYS', 30, 'a positive number of days', positive(3650)),
  sessionMaxDays: number('SESSION_MAX_DAYS', 90, 'a positive number of days (≤ 3650)', positive(3650)),
  serviceKey: Secret('SERVICE_KEY', { devFile: DEV_SERVICE_KEY_FILE }),
  jwtIssuer: text('JWT_ISSUER', DEFAULT_JWT_ISSUER),
  jwtAudience: text('JWT_AUDIENCE', DEFAULT_JWT_AUDIENCE),
  publicAppUrl: url('PUBLIC_APP_URL', {
    protocols: ['http:', 'https:'],
    fallback: 'http://localhost:5000',
    stripTrailingSlash: true,
  }),
  corsOrigins: CorsOrigins,
  smtpUrl: url('SMTP_URL', { protocols: ['smtp:', 'smtps:'] }),
  mailFrom: text('MAIL_FROM', 'Emotion App <no-reply@localhost>'),
  /** First retry of a failed delivery after this many seconds, doubling per attempt up to the max. */
  mailRetryBaseSeconds: number(
    'MAIL_RETRY_BASE_SECONDS',
    2,
    'a positive number of seconds (≤ 3600)',
    positive(3600),
  ),
  mailRetryMaxSeconds: number(
    'MAIL_RETRY_MAX_SECONDS',
    3600,
    'a positive number of seconds (≤ 86400)',
    positive(86_400),
  ),
  mailMaxAttempts: integer('MAIL_MAX_ATTEMPTS', 10, 1, 1000),
  redisUrl: url('REDIS_URL', { protocols: ['redis:', 'rediss:'] }),
  trustProxy: TrustProxy,
  throttle: ThrottleLimitsField,
  metricsToken: MetricsToken,
};

export interface Config {
  nodeEnv: string;
  isProduction: boolean;
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  /** PostgreSQL connection string; undefined means embedded PGlite in `DATA_DIR/auth`. */
  databaseUrl: string | undefined;
  jwt: {
    /** JWT_ALG: ES256/RS256/EdDSA sign with the key ring (keys/), HS256 with `secret`. */
    alg: JwtAlg;
    /**
     * JWT_SECRET_KEY: the HMAC key in HS256 mode (its UTF-8 bytes); in every mode the root of the
     * keys that seal private signing keys and mail at rest and derive refresh chains.
     */
    secret: string;
    /** True when the secret came from `DATA_DIR/dev-jwt-secret`. */
    generatedSecret: boolean;
    /** Access-token lifetime in seconds (JWT_MAXAGE minutes, may be fractional). */
    accessTtlSeconds: number;
    issuer: string;
    audience: string;
    /** KEY_ROTATION_DELAY_SECONDS: how long a rotated-in key is published before it signs. */
    rotationDelaySeconds: number;
  };
  revocations: {
    /** REVOCATION_HEARTBEAT_SECONDS: the stream's `: heartbeat` comment interval. */
    heartbeatSeconds: number;
  };
  refreshTokenDays: number;
  /** Absolute session lifetime in days (SESSION_MAX_DAYS): refresh answers 401 session_expired after it. */
  sessionMaxDays: number;
  /**
   * The service key (SERVICE_KEY, DESIGN §7) that callers of introspection send as
   * `Authorization: Bearer <key>`; outside production generated into `DATA_DIR/dev-service-key`.
   */
  serviceKey: string;
  /** True when the service key came from `DATA_DIR/dev-service-key`. */
  generatedServiceKey: boolean;
  publicAppUrl: string;
  corsOrigins: string[];
  smtpUrl: string | undefined;
  mailFrom: string;
  redisUrl: string | undefined;
  /** Proxies whose X-Forwarded-For is trusted (IPs or CIDRs); empty = use the socket address. */
  trustProxy: string[];
  /** METRICS_TOKEN: when set, GET /metrics requires it as a Bearer token (DESIGN §8). */
  metricsToken: string | undefined;
  /** Per-IP and per-account limits (one `RATE_LIMIT_*` variable each, see throttle/limits.ts). */
  throttle: ThrottleLimits;
  argon2: Argon2Cost;
  mail: {
    /** How often the delivery worker looks for due mail. */
    pollMs: number;
    /** First retry delay; doubles per attempt. */
    retryBaseMs: number;
    retryMaxMs: number;
    maxAttempts: number;
    /** Deferred work (forgot-password's lookup) starts after a random 0..this ms (default 0). */
    deferJitterMs?: number;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses and validates the environment once; throws one `ConfigError` naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const e = loadEnv(authServerEnv, env, {
    check: (values) =>
      values.jwtSecret !== undefined && values.jwtSecret === values.serviceKey
        ? ['SERVICE_KEY must differ from JWT_SECRET_KEY (a service must not be able to sign tokens)']
        : [],
  });
  return deepFreeze({
    nodeEnv: e.nodeEnv,
    isProduction: e.nodeEnv === 'production',
    host: e.host,
    port: e.port,
    logLevel: e.logLevel,
    dataDir: e.dataDir,
    databaseUrl: e.databaseUrl,
    jwt: {
      alg: e.jwtAlg,
      secret: e.jwtSecret.value,
      generatedSecret: e.jwtSecret.fromDevFile,
      accessTtlSeconds: Math.max(1, Math.round(e.jwtMaxAgeMinutes * 60)),
      issuer: e.jwtIssuer,
      audience: e.jwtAudience,
      rotationDelaySeconds: e.keyRotationDelaySeconds,
    },
    revocations: { heartbeatSeconds: e.revocationHeartbeatSeconds },
    refreshTokenDays: e.refreshTokenDays,
    sessionMaxDays: e.sessionMaxDays,
    serviceKey: e.serviceKey.value,
    generatedServiceKey: e.serviceKey.fromDevFile,
    publicAppUrl: e.publicAppUrl,
    corsOrigins: [...e.corsOrigins],
    smtpUrl: e.smtpUrl,
    mailFrom: e.mailFrom,
    redisUrl: e.redisUrl,
    trustProxy: [...e.trustProxy],
    throttle: e.throttle,
    metricsToken: e.metricsToken,
    argon2: { ...ARGON2_PRODUCTION_COST },
    mail: {
      pollMs: 1000,
      retryBaseMs: Math.round(e.mailRetryBaseSeconds * 1000),
      retryMaxMs: Math.round(Math.max(e.mailRetryBaseSeconds, e.mailRetryMaxSeconds) * 1000),
      maxAttempts: e.mailMaxAttempts,
      deferJitterMs: 1000,
    },
  });
}
