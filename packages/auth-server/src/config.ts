/**
 * The one place that reads the environment (DESIGN §2). `loadConfig` validates every variable,
 * reports all problems at once in a single `ConfigError`, and returns a frozen `Config`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseThrottleLimits, type ThrottleLimits } from './throttle/index.js';

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

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
    /** The HMAC key is the UTF-8 bytes of this string. */
    secret: string;
    /** True when the secret came from `DATA_DIR/dev-jwt-secret`. */
    generatedSecret: boolean;
    /** Access-token lifetime in seconds (JWT_MAXAGE minutes, may be fractional). */
    accessTtlSeconds: number;
    issuer: string;
    audience: string;
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

/** OWASP minimum for argon2id (DESIGN §3); only tests construct configs with a lower cost. */
export const ARGON2_PRODUCTION_COST: Argon2Cost = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

/** Where a development JWT secret is kept (emotion-api reads the same file). */
export const DEV_SECRET_FILE = 'dev-jwt-secret';
/** Where a development service key is kept (emotion-api reads the same file, DESIGN §7). */
export const DEV_SERVICE_KEY_FILE = 'dev-service-key';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function isCidrOrIp(value: string): boolean {
  const [addr, bits, ...rest] = value.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * Reads (or creates once) a development secret in `DATA_DIR`: `dev-jwt-secret` by default,
 * `dev-service-key` for the service key; one line, base64url of 32 random bytes, mode 0600.
 * emotion-api reads the same files the same way.
 */
export function readOrCreateDevSecret(dataDir: string, fileName: string = DEV_SECRET_FILE): string {
  const file = join(dataDir, fileName);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length > 0) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}

/** Parses and validates the environment once; throws one `ConfigError` naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const str = (name: string, fallback: string): string => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  const optional = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const num = (name: string, fallback: number, check: (n: number) => boolean, what: string): number => {
    const raw = optional(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) {
      problems.push(`${name} must be ${what} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]): string | undefined => {
    const raw = optional(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${u.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const nodeEnv = str('NODE_ENV', 'development');
  const isProduction = nodeEnv === 'production';
  const port = num('PORT', 8000, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number 0-65535');
  const host = str('HOST', '127.0.0.1');
  const logLevel = str('LOG_LEVEL', isProduction ? 'info' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`,
    );
  }
  const dataDir = resolve(str('DATA_DIR', './data'));
  const databaseUrl = url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']);
  const jwtMaxAge = num(
    'JWT_MAXAGE',
    15,
    (n) => n > 0 && n <= 60 * 24,
    'a positive number of minutes (≤ 1440)',
  );
  const refreshTokenDays = num(
    'REFRESH_TOKEN_DAYS',
    30,
    (n) => n > 0 && n <= 3650,
    'a positive number of days',
  );
  const sessionMaxDays = num(
    'SESSION_MAX_DAYS',
    90,
    (n) => n > 0 && n <= 3650,
    'a positive number of days (≤ 3650)',
  );
  const issuer = str('JWT_ISSUER', 'auth-server');
  const audience = str('JWT_AUDIENCE', 'authenticated');
  const publicAppUrl = (url('PUBLIC_APP_URL', 'http://localhost:5000', ['http:', 'https:']) ?? '').replace(
    /\/+$/,
    '',
  );
  const corsOrigins = str('CORS_ORIGINS', 'http://localhost:5173')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin === '*') continue;
    try {
      new URL(origin);
    } catch {
      problems.push(`CORS_ORIGINS contains an invalid origin "${origin}"`);
    }
  }
  const smtpUrl = url('SMTP_URL', undefined, ['smtp:', 'smtps:']);
  const mailFrom = str('MAIL_FROM', 'Emotion App <no-reply@localhost>');
  const redisUrl = url('REDIS_URL', undefined, ['redis:', 'rediss:']);
  const trustProxy = str('TRUST_PROXY', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of trustProxy) {
    if (!isCidrOrIp(p)) problems.push(`TRUST_PROXY entry "${p}" is not an IP address or CIDR`);
  }

  const throttle = parseThrottleLimits(env);
  problems.push(...throttle.errors);

  // Secrets: JWT_SECRET_KEY signs tokens, SERVICE_KEY authenticates services (DESIGN §7). Each is
  // at least 32 bytes, required in production, and otherwise generated once into DATA_DIR (only
  // when the rest of the configuration is valid, so a bad start writes nothing).
  const secrets = [
    { name: 'JWT_SECRET_KEY', file: DEV_SECRET_FILE },
    { name: 'SERVICE_KEY', file: DEV_SERVICE_KEY_FILE },
  ].map(({ name, file }) => {
    const value = optional(name);
    if (value !== undefined && Buffer.byteLength(value, 'utf8') < 32)
      problems.push(`${name} must be at least 32 bytes`);
    if (value === undefined && isProduction) {
      problems.push(`${name} is required when NODE_ENV=production (at least 32 bytes)`);
    }
    return { value, file };
  });
  if (secrets[0]?.value !== undefined && secrets[0].value === secrets[1]?.value) {
    problems.push('SERVICE_KEY must differ from JWT_SECRET_KEY (a service must not be able to sign tokens)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const [jwtSecret, service] = secrets.map(({ value, file }) => ({
    value: value ?? readOrCreateDevSecret(dataDir, file),
    generated: value === undefined,
  })) as [{ value: string; generated: boolean }, { value: string; generated: boolean }];

  return deepFreeze({
    nodeEnv,
    isProduction,
    host,
    port,
    logLevel,
    dataDir,
    databaseUrl,
    jwt: {
      secret: jwtSecret.value,
      generatedSecret: jwtSecret.generated,
      accessTtlSeconds: Math.max(1, Math.round(jwtMaxAge * 60)),
      issuer,
      audience,
    },
    refreshTokenDays,
    sessionMaxDays,
    serviceKey: service.value,
    generatedServiceKey: service.generated,
    publicAppUrl,
    corsOrigins,
    smtpUrl,
    mailFrom,
    redisUrl,
    trustProxy,
    throttle: throttle.limits,
    argon2: { ...ARGON2_PRODUCTION_COST },
    mail: {
      pollMs: 1000,
      retryBaseMs: 2000,
      retryMaxMs: 60 * 60 * 1000,
      maxAttempts: 10,
      deferJitterMs: 1000,
    },
  });
}
