/** Checks a `.env.example` against an environment schema (used by each service's tests). */
import { readFileSync } from 'node:fs';
import type { EnvSchema } from './env-field.js';

/** What differs between a `.env.example` and a schema. */
export interface EnvExampleDiff {
  /** Canonical variables of the schema the file does not mention. */
  missing: string[];
  /** Variables the file mentions that no field of the schema reads. */
  unknown: string[];
}

/**
 * Variables service-kit reads itself (baseFastifyOptions: `LOG_FORMAT`) when a service's schema
 * does not: any `.env.example` may list them.
 */
export const KIT_VARIABLES: readonly string[] = ['LOG_FORMAT'];

/** Variables named in a `.env.example`, set (`NAME=`) or commented out (`# NAME=`). */
export function envExampleNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return [...names];
}

/**
 * Compares the file at `path` with `schema`: every variable of every field must be listed
 * (aliases may be), and nothing may be listed that no field (nor the kit) reads. `extra` names variables read
 * outside the schema (e.g. by a library) that the file may list.
 *
 * @example
 * ```ts
 * assert.deepEqual(checkEnvExample(authServerEnv, '.env.example'), { missing: [], unknown: [] });
 * ```
 */
export function checkEnvExample(
  schema: EnvSchema,
  path: string | URL,
  extra: readonly string[] = [],
): EnvExampleDiff {
  const listed = new Set(envExampleNames(readFileSync(path, 'utf8')));
  const required = Object.values(schema).flatMap((field) => field.names);
  const known = new Set<string>([
    ...KIT_VARIABLES,
    ...extra,
    ...required,
    ...Object.values(schema).flatMap((field) => field.aliases ?? []),
  ]);
  return {
    missing: required.filter((name) => !listed.has(name)),
    unknown: [...listed].filter((name) => !known.has(name)),
  };
}
