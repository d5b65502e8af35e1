import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

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
  /** Fastify's `trustProxy`: false (default), or the addresses of trusted reverse proxies. */
  readonly trustProxy: false | string;
  readonly logLevel: string;
}

/** Every invalid variable, reported at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid emotion-api configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** How long to wait for auth-server to create `DATA_DIR/dev-jwt-secret` (ms, default 10000). */
  secretWaitMs?: number;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_WEB_DIST = path.resolve(packageRoot, '../web/dist');
export const DEV_SECRET_FILE = 'dev-jwt-secret';

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the environment once. Outside production, when no secret is set, the
 * development secret is read from `DATA_DIR/dev-jwt-secret` (written by auth-server), waiting
 * a few seconds for it to appear.
 *
 * @throws ConfigError naming each bad variable.
 */
export async function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Promise<Config> {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const nodeEnvRaw = get('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = (['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as
    | 'development'
    | 'production'
    | 'test';
  const production = nodeEnv === 'production';

  const num = (
    name: string,
    fallback: number,
    check: { min?: number; max?: number; integer?: boolean },
    what: string,
  ): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const ok =
      Number.isFinite(value) &&
      (check.integer !== true || Number.isInteger(value)) &&
      (check.min === undefined || value >= check.min) &&
      (check.max === undefined || value <= check.max);
    if (!ok) {
      problems.push(`${name} must be ${what} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, raw: string): string => {
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
      return parsed.toString().replace(/\/+$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL (got "${raw}")`);
      return raw;
    }
  };

  const host = get('HOST') ?? '127.0.0.1';
  const port = num('PORT', 5000, { min: 0, max: 65535, integer: true }, 'an integer port 0–65535');
  const dataDir = path.resolve(get('DATA_DIR') ?? './data');

  const authUrlName = get('AUTH_URL') !== undefined ? 'AUTH_URL' : 'RUST_AUTH_URL';
  const authUrl = url(authUrlName, get('AUTH_URL') ?? get('RUST_AUTH_URL') ?? 'http://localhost:8000');
  const authTimeoutMs = num('AUTH_TIMEOUT_MS', 5000, { min: 1, integer: true }, 'a positive integer (ms)');

  const jwtIssuer = get('AUTH_JWT_ISSUER') ?? 'auth-server';
  const jwtAudience = get('AUTH_JWT_AUDIENCE') ?? 'authenticated';

  const maxUploadMb = num('MAX_UPLOAD_MB', 5, { min: 0.001, max: 100 }, 'a number of megabytes in (0, 100]');
  const maxImageMp = num('MAX_IMAGE_MEGAPIXELS', 40, { min: 0.01, max: 400 }, 'a number in (0, 400]');
  const minConfidence = num('MIN_CONFIDENCE', 0, { min: 0, max: 1 }, 'a number between 0 and 1');
  const detectRateLimit = num('DETECT_RATE_LIMIT', 30, { min: 1, integer: true }, 'a positive integer');
  const modelWorkers = num(
    'MODEL_WORKERS',
    Math.max(1, availableParallelism()),
    { min: 1, max: 64, integer: true },
    'an integer 1–64',
  );

  const detectQueueMax = num(
    'DETECT_QUEUE_MAX',
    32,
    { min: 0, max: 10_000, integer: true },
    'an integer 0–10000',
  );

  const corsOrigins: string[] = [];
  for (const origin of (get('CORS_ORIGINS') ?? 'http://localhost:5173').split(',')) {
    const trimmed = origin.trim();
    if (trimmed === '') continue;
    try {
      const parsed = new URL(trimmed);
      if (parsed.origin === 'null') throw new Error('opaque');
      corsOrigins.push(parsed.origin);
    } catch {
      problems.push(`CORS_ORIGINS must be a comma-separated list of origins (bad entry "${trimmed}")`);
    }
  }

  const webDistRaw = get('WEB_DIST');
  let webDist: string | null = path.resolve(webDistRaw ?? DEFAULT_WEB_DIST);
  if (!existsSync(path.join(webDist, 'index.html'))) {
    if (webDistRaw !== undefined && webDistRaw !== 'none') {
      problems.push(`WEB_DIST must be a folder containing index.html (got "${webDistRaw}")`);
    }
    webDist = null;
  }
  if (webDistRaw === 'none') webDist = null;

  const trustProxyRaw = get('TRUST_PROXY');
  const trustProxy = trustProxyRaw === undefined || trustProxyRaw === 'false' ? false : trustProxyRaw;

  const logLevel = get('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`,
    );
  }

  const secretName = get('AUTH_JWT_SECRET') !== undefined ? 'AUTH_JWT_SECRET' : 'RUST_JWT_SECRET';
  let jwtSecret = get('AUTH_JWT_SECRET') ?? get('RUST_JWT_SECRET');
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    // As auth-server requires of JWT_SECRET_KEY, whose value this must be.
    problems.push(`${secretName} must be at least 32 bytes`);
  }
  if (jwtSecret === undefined) {
    if (production) {
      problems.push('AUTH_JWT_SECRET (or RUST_JWT_SECRET) is required when NODE_ENV=production');
    } else if (problems.length === 0) {
      jwtSecret = await readDevSecret(dataDir, options.secretWaitMs ?? 10_000);
      if (jwtSecret === undefined) {
        problems.push(
          `AUTH_JWT_SECRET is not set and ${path.join(dataDir, DEV_SECRET_FILE)} did not appear: ` +
            'start auth-server with the same DATA_DIR first, or set AUTH_JWT_SECRET to its JWT_SECRET_KEY',
        );
      }
    }
  }

  if (problems.length > 0 || jwtSecret === undefined) throw new ConfigError(problems);

  return Object.freeze({
    nodeEnv,
    production,
    host,
    port,
    dataDir,
    authUrl,
    authTimeoutMs,
    jwtSecret,
    jwtIssuer,
    jwtAudience,
    maxUploadBytes: Math.floor(maxUploadMb * 1024 * 1024),
    maxImagePixels: Math.floor(maxImageMp * 1_000_000),
    minConfidence,
    corsOrigins: Object.freeze(corsOrigins),
    detectRateLimit,
    modelWorkers,
    detectQueueMax,
    webDist,
    trustProxy,
    logLevel,
  });
}

async function readDevSecret(dataDir: string, waitMs: number): Promise<string | undefined> {
  const file = path.join(dataDir, DEV_SECRET_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const secret = readFileSync(file, 'utf8').split(/\r?\n/)[0]?.trim();
      if (secret) return secret;
    } catch {
      // not written yet
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
  }
}
