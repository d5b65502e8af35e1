/** The shape of a declarative environment schema: one {@link EnvField} per config value. */

/** Read access to the environment while a schema is loaded. */
export interface EnvReader {
  /** `NODE_ENV=production`. */
  readonly production: boolean;
  /** `NODE_ENV`, `development` when unset. */
  readonly nodeEnv: string;
  /** The trimmed value of a variable; `undefined` when unset or blank. */
  get(name: string): string | undefined;
}

/** What a field's `finish` step may use. */
export interface FinishContext {
  readonly production: boolean;
  /** `DATA_DIR` resolved (default `./data`): where development secrets live. */
  readonly dataDir: string;
}

/**
 * One value of a config: the variables it reads (`names`, and `aliases` accepted in their
 * place), how it reads and converts them, and optionally a `finish` step that runs only when
 * every field of the schema was valid (so that an invalid start writes nothing, e.g. no
 * development secret).
 */
export interface EnvField<T, Raw = T> {
  /** The variables the field reads; a `.env.example` lists each of them. */
  readonly names: readonly string[];
  /** Older names accepted instead (e.g. `RUST_AUTH_URL` for `AUTH_URL`). */
  readonly aliases?: readonly string[];
  /** Reads and converts; throws {@link EnvProblem} naming the variable when it is invalid. */
  read(env: EnvReader): Raw;
  finish?(value: Raw, context: FinishContext): T | Promise<T>;
}

// biome-ignore lint/suspicious/noExplicitAny: a schema mixes fields of any value type
export type AnyEnvField = EnvField<any, any>;

/** A schema: config key → field. */
export type EnvSchema = Record<string, AnyEnvField>;

/** The config a schema loads into. */
export type EnvValues<S extends EnvSchema> = {
  readonly [K in keyof S]: S[K] extends EnvField<infer T, infer _Raw> ? T : never;
};

/** The values before `finish` (what a cross-field `check` sees). */
export type EnvRawValues<S extends EnvSchema> = {
  readonly [K in keyof S]: S[K] extends EnvField<infer _T, infer Raw> ? Raw : never;
};

/** Thrown by a field's `read` or `finish`: one or more messages, each naming its variable. */
export class EnvProblem extends Error {
  readonly problems: readonly string[];
  constructor(...problems: string[]) {
    super(problems.join('; '));
    this.name = 'EnvProblem';
    this.problems = problems;
  }
}

/** Every problem of a configuration, reported at once; services exit 1 with its message. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
