/**
 * The fields both services read the same way (DESIGN §2): Port, Host, LogLevel, LogFormat, CorsOrigins,
 * TrustProxy, NodeEnv, DataDir, MetricsToken and 32-byte secrets with their development files.
 */
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { isLongEnoughSecret, MIN_SECRET_BYTES } from '@emotion-app/protocol';
import { defaultLogFormat, LOG_FORMATS, type LogFormatName } from '../fastify/log-format.js';
import { readOrCreateDevSecret, waitForDevSecret } from './dev-secret.js';
import { type EnvField, EnvProblem, type EnvReader } from './env-field.js';
import { firstSet, integer, list, namesOf, oneOf, text } from './fields.js';

/** `NODE_ENV`: development (default), production or test. */
export const NodeEnv = oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');

/** `HOST`: the address to listen on, `127.0.0.1` unless set (`0.0.0.0` in containers). */
export const Host = text('HOST', '127.0.0.1');

/** `PORT`, with the service's default. */
export function Port(fallback: number): EnvField<number> {
  return integer('PORT', fallback, 0, 65535, 'a port number 0-65535');
}

/** `DATA_DIR` resolved to an absolute path, `./data` unless set. */
export const DataDir: EnvField<string> = {
  names: ['DATA_DIR'],
  read: (env) => resolve(env.get('DATA_DIR') ?? './data'),
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`: pino's levels; default `info`, or the given default (e.g. by NODE_ENV). */
export function LogLevel(
  fallback: LogLevelName | ((env: EnvReader) => LogLevelName) = 'info',
): EnvField<LogLevelName> {
  return oneOf('LOG_LEVEL', LOG_LEVELS, fallback);
}

/**
 * `LOG_FORMAT`: `pretty` (pino-pretty, for a person) or `json` (one JSON object a line); default
 * `pretty` when stdout is a terminal, else `json`. The root `npm start` passes its own terminal's
 * answer down, since its services write into a pipe.
 */
export const LogFormat: EnvField<LogFormatName> = oneOf('LOG_FORMAT', LOG_FORMATS, () => defaultLogFormat());

/**
 * `CORS_ORIGINS`: comma-separated browser origins (`*` for any), each normalized to its origin;
 * default `http://localhost:5173` (the Vite dev server).
 */
export const CorsOrigins = list('CORS_ORIGINS', 'http://localhost:5173', (entry) => {
  if (entry === '*') return entry;
  try {
    const origin = new URL(entry).origin;
    if (origin !== 'null') return origin;
  } catch {
    // reported below
  }
  return { problem: `CORS_ORIGINS contains an invalid origin "${entry}"` };
});

/** The shortest `METRICS_TOKEN` accepted. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * `METRICS_TOKEN` (DESIGN §8): when set, `GET /metrics` requires `Authorization: Bearer <token>`;
 * at least {@link MIN_METRICS_TOKEN_LENGTH} characters. Unset = `/metrics` is open.
 */
export const MetricsToken: EnvField<string | undefined> = {
  names: ['METRICS_TOKEN'],
  read(env) {
    const token = env.get('METRICS_TOKEN');
    if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) {
      throw new EnvProblem(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters`);
    }
    return token;
  },
};

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

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
 * `TRUST_PROXY`: comma-separated IPs, CIDRs or `loopback`/`linklocal`/`uniquelocal`, whose
 * X-Forwarded-For is trusted; empty (default) trusts no proxy.
 */
export const TrustProxy = list('TRUST_PROXY', '', (entry) =>
  isCidrOrIp(entry) || PROXY_RANGES.has(entry)
    ? entry
    : { problem: `TRUST_PROXY entry "${entry}" is not an IP address or CIDR` },
);

/** A secret and where it came from. */
export interface SecretValue {
  value: string;
  /** True when it was read from (or generated into) the development file in `DATA_DIR`. */
  fromDevFile: boolean;
}

/** Options of {@link Secret}. */
export interface SecretOptions {
  /** The development file in `DATA_DIR` used outside production when the variable is unset. */
  devFile: string;
  /**
   * Without it the file is created once (the service that owns the secret); with it the file
   * is another service's, waited for this long (ms).
   */
  waitMs?: number;
  /** Appended to the problem when the file did not appear in `waitMs`. */
  missingHint?: string;
}

/**
 * A secret of at least 32 bytes (`name` may list aliases): required in production; outside
 * production, when unset, the development file in `DATA_DIR` (created once, or waited for with
 * `waitMs`). The file is only touched when the rest of the configuration is valid.
 *
 * @example
 * ```ts
 * const jwtSecret = Secret('JWT_SECRET_KEY', { devFile: DEV_JWT_SECRET_FILE });
 * const verifierSecret = Secret(['AUTH_JWT_SECRET', 'RUST_JWT_SECRET'], { devFile: DEV_JWT_SECRET_FILE, waitMs: 10_000 });
 * ```
 */
export function Secret(
  name: string | readonly string[],
  options: SecretOptions,
): EnvField<SecretValue, string | undefined> {
  const { names, aliases } = namesOf(name);
  const [primary] = names;
  return {
    names,
    aliases,
    read(env) {
      const set = firstSet(env, [primary, ...aliases]);
      if (set && !isLongEnoughSecret(set[1])) {
        throw new EnvProblem(`${set[0]} must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      if (!set && env.production) {
        const either = aliases.length > 0 ? ` (or ${aliases.join(', ')})` : '';
        throw new EnvProblem(
          `${primary}${either} is required when NODE_ENV=production (at least ${MIN_SECRET_BYTES} bytes)`,
        );
      }
      return set?.[1];
    },
    finish(value, { dataDir }) {
      if (value !== undefined) return { value, fromDevFile: false };
      if (options.waitMs === undefined) {
        return { value: readOrCreateDevSecret(dataDir, options.devFile), fromDevFile: true };
      }
      return waitForDevSecret(dataDir, options.devFile, options.waitMs).then((found) => {
        if (found) return { value: found, fromDevFile: true };
        const hint = options.missingHint ? `: ${options.missingHint}` : '';
        throw new EnvProblem(
          `${primary} is not set and ${join(dataDir, options.devFile)} did not appear${hint}`,
        );
      });
    },
  };
}
