/** Builders of environment fields: text, numbers, URLs, lists and choices. */
import { type EnvField, EnvProblem, type EnvReader } from './env-field.js';

/** The first set variable of `names` (canonical first, then aliases) and its value. */
export function firstSet(
  env: EnvReader,
  names: readonly string[],
): [name: string, value: string] | undefined {
  for (const name of names) {
    const value = env.get(name);
    if (value !== undefined) return [name, value];
  }
  return undefined;
}

/** `name` or `[name, ...aliases]` as a field's `names` and `aliases`. */
export function namesOf(name: string | readonly string[]): { names: [string]; aliases: string[] } {
  const [first, ...aliases] = typeof name === 'string' ? [name] : name;
  if (first === undefined) throw new TypeError('an environment field needs a name');
  return { names: [first], aliases };
}

/** The canonical name and the aliases of a field, in the order they are tried. */
const tried = (field: { names: readonly string[]; aliases: readonly string[] }) => [
  ...field.names,
  ...field.aliases,
];

/**
 * A string with a default; `name` may list aliases after the canonical name.
 *
 * @example
 * ```ts
 * const mailFrom = text('MAIL_FROM', 'Emotion App <no-reply@localhost>');
 * ```
 */
export function text(name: string | readonly string[], fallback: string): EnvField<string> {
  const field = namesOf(name);
  return { ...field, read: (env) => firstSet(env, tried(field))?.[1] ?? fallback };
}

/** A string that may be unset. */
export function optionalText(name: string | readonly string[]): EnvField<string | undefined> {
  const field = namesOf(name);
  return { ...field, read: (env) => firstSet(env, tried(field))?.[1] };
}

/**
 * A number with a default; `check` refuses values with the message `NAME must be <what> (got "…")`.
 *
 * @example
 * ```ts
 * const jwtMaxAge = number('JWT_MAXAGE', 15, 'a positive number of minutes', (n) => n > 0);
 * ```
 */
export function number(
  name: string,
  fallback: number | ((env: EnvReader) => number),
  what: string,
  check: (n: number) => boolean = () => true,
): EnvField<number> {
  return {
    names: [name],
    read(env) {
      const raw = env.get(name);
      if (raw === undefined) return typeof fallback === 'function' ? fallback(env) : fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || !check(n)) throw new EnvProblem(`${name} must be ${what} (got "${raw}")`);
      return n;
    },
  };
}

/** An integer in `[min, max]`. */
export function integer(
  name: string,
  fallback: number | ((env: EnvReader) => number),
  min: number,
  max: number,
  what = `an integer ${min}-${max}`,
): EnvField<number> {
  return number(name, fallback, what, (n) => Number.isInteger(n) && n >= min && n <= max);
}

/** Options of {@link url}. */
export interface UrlOptions<D extends string | undefined> {
  /** Accepted protocols with their colon, e.g. `['http:', 'https:']`. */
  protocols: readonly string[];
  fallback?: D;
  /** Remove trailing slashes (a base URL that paths are appended to). */
  stripTrailingSlash?: boolean;
}

/**
 * A URL of one of `protocols`; without a `fallback`, `undefined` when unset.
 *
 * @example
 * ```ts
 * const databaseUrl = url('DATABASE_URL', { protocols: ['postgres:', 'postgresql:'] });
 * ```
 */
export function url<D extends string | undefined = undefined>(
  name: string | readonly string[],
  options: UrlOptions<D>,
): EnvField<D extends string ? string : string | undefined> {
  const field = namesOf(name);
  return {
    ...field,
    read(env) {
      const set = firstSet(env, tried(field));
      const [used, raw] = set ?? [field.names[0], options.fallback];
      if (raw === undefined) return undefined as D extends string ? string : string | undefined;
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new EnvProblem(`${used} is not a valid URL`);
      }
      if (!options.protocols.includes(parsed.protocol)) {
        throw new EnvProblem(
          `${used} must be a ${options.protocols.join(' or ')} URL (got "${parsed.protocol}")`,
        );
      }
      return (options.stripTrailingSlash ? raw.replace(/\/+$/, '') : raw) as string;
    },
  };
}

/**
 * One of `values`.
 *
 * @example
 * ```ts
 * const format = oneOf('LOG_FORMAT', ['json', 'pretty'] as const, 'json');
 * ```
 */
export function oneOf<V extends string>(
  name: string,
  values: readonly V[],
  fallback: V | ((env: EnvReader) => V),
): EnvField<V> {
  return {
    names: [name],
    read(env) {
      const raw = env.get(name) ?? (typeof fallback === 'function' ? fallback(env) : fallback);
      if (!values.includes(raw as V)) {
        throw new EnvProblem(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
      }
      return raw as V;
    },
  };
}

/**
 * A comma-separated list; `item` converts one entry or returns a problem message for it.
 *
 * @example
 * ```ts
 * const hosts = list('ALLOWED_HOSTS', '', (entry) => (entry.includes(' ') ? `bad host "${entry}"` : entry));
 * ```
 */
export function list<T = string>(
  name: string,
  fallback: string,
  item: (entry: string) => T | { problem: string },
): EnvField<T[]> {
  return {
    names: [name],
    read(env) {
      const entries = (env.get(name) ?? fallback)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const out: T[] = [];
      const problems: string[] = [];
      for (const entry of entries) {
        const value = item(entry);
        if (typeof value === 'object' && value !== null && 'problem' in value) problems.push(value.problem);
        else out.push(value as T);
      }
      if (problems.length > 0) throw new EnvProblem(...problems);
      return out;
    },
  };
}
