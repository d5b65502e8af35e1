/** `loadEnv`: reads a declarative schema from an environment, every problem at once. */
import { resolve } from 'node:path';
import {
  type AnyEnvField,
  ConfigError,
  type EnvRawValues,
  type EnvReader,
  type EnvSchema,
  type EnvValues,
  EnvProblem,
  type FinishContext,
} from './env-field.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link loadEnv}. */
export interface LoadEnvOptions<S extends EnvSchema> {
  /** Cross-field rules, run on the read values; each message names its variables. */
  check?: (values: EnvRawValues<S>) => string[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function reader(env: Env): EnvReader {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const nodeEnv = get('NODE_ENV') ?? 'development';
  return { get, nodeEnv, production: nodeEnv === 'production' };
}

function problemsOf(err: unknown): readonly string[] {
  if (err instanceof EnvProblem) return err.problems;
  throw err;
}

function readAll<S extends EnvSchema>(schema: S, env: Env, options: LoadEnvOptions<S>) {
  const envReader = reader(env);
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    try {
      raw[key] = field.read(envReader);
    } catch (err) {
      problems.push(...problemsOf(err));
    }
  }
  if (problems.length === 0 && options.check) problems.push(...options.check(raw as EnvRawValues<S>));
  if (problems.length > 0) throw new ConfigError(problems);
  const context: FinishContext = {
    production: envReader.production,
    dataDir: resolve(envReader.get('DATA_DIR') ?? './data'),
  };
  return { raw, context };
}

function finishOne(field: AnyEnvField, value: unknown, context: FinishContext): unknown {
  return field.finish ? field.finish(value, context) : value;
}

/**
 * Reads `schema` from `env` (default `process.env`): defaults, conversion, every problem at once
 * in one {@link ConfigError}, then each field's `finish` step, and a deeply frozen result. For
 * schemas whose `finish` steps are synchronous; see {@link loadEnvAsync}.
 *
 * @example
 * ```ts
 * const schema = { port: Port(8000), host: Host, dataDir: DataDir };
 * const env = loadEnv(schema, process.env); // { port: 8000, host: '127.0.0.1', dataDir: '/…/data' }
 * ```
 */
export function loadEnv<S extends EnvSchema>(
  schema: S,
  env: Env = process.env,
  options: LoadEnvOptions<S> = {},
): EnvValues<S> {
  const { raw, context } = readAll(schema, env, options);
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema)) {
    try {
      const value = finishOne(field, raw[key], context);
      if (value instanceof Promise) {
        value.catch(() => undefined);
        throw new TypeError(`loadEnv: ${key} finishes asynchronously: use loadEnvAsync`);
      }
      out[key] = value;
    } catch (err) {
      problems.push(...problemsOf(err));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(out) as EnvValues<S>;
}

/**
 * {@link loadEnv} for schemas with asynchronous `finish` steps (e.g. waiting for the development
 * secret another service writes).
 *
 * @example
 * ```ts
 * const env = await loadEnvAsync({ jwtSecret: Secret('AUTH_JWT_SECRET', { devFile, waitMs: 10_000 }) });
 * ```
 */
export async function loadEnvAsync<S extends EnvSchema>(
  schema: S,
  env: Env = process.env,
  options: LoadEnvOptions<S> = {},
): Promise<EnvValues<S>> {
  const { raw, context } = readAll(schema, env, options);
  const entries = Object.entries(schema);
  const settled = await Promise.allSettled(
    entries.map(async ([key, field]) => finishOne(field, raw[key], context)),
  );
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  settled.forEach((result, i) => {
    const key = (entries[i] as [string, AnyEnvField])[0];
    if (result.status === 'fulfilled') out[key] = result.value;
    else problems.push(...problemsOf(result.reason));
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(out) as EnvValues<S>;
}
