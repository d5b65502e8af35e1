/**
 * PostgreSQL for predictions and images (`DATABASE_URL`): Kysely over a `pg` pool, or over an
 * in-process PGlite (tests). Opening applies the numbered SQL files of `migrations/pg` not applied
 * yet, each in its own transaction, under an advisory lock so that instances starting together
 * migrate one after the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type Generated, Kysely, PostgresDialect, sql } from 'kysely';
import { createPgPool } from '@emotion-app/service-kit';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { MIGRATIONS_DIR } from './database.js';

export interface PredictionsTable {
  id: string;
  seq: Generated<string>;
  user_id: string;
  created_at: Date | string;
  emotion: string;
  confidence: number;
  probabilities: unknown;
  faces: unknown;
  model: string;
  low_confidence: boolean;
}

export interface PgDatabase {
  predictions: PredictionsTable;
  prediction_images: { prediction_id: string; jpeg: Uint8Array };
}

export type PgDb = Kysely<PgDatabase>;

export interface PgOptions {
  /** postgres:// URL; or `pglite` for an in-process PGlite. */
  databaseUrl?: string;
  pglite?: PGlite;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves in a fresh one. */
  schema?: string;
  poolSize?: number;
}

export const PG_MIGRATIONS_DIR = path.join(MIGRATIONS_DIR, 'pg');
/** pg_advisory_lock key of emotion-api's migrations ("emot" in ASCII). */
const MIGRATION_LOCK = 0x656d6f74;

/** The statements of a migration file (PGlite runs one statement per query). */
function statements(text: string): string[] {
  return text
    .replace(/--[^\n]*/g, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Opens and migrates. A pool's lost idle connection never crashes the process; the next query reconnects. */
export async function openPostgres(options: PgOptions): Promise<PgDb> {
  let db: PgDb;
  if (options.pglite) {
    db = new Kysely<PgDatabase>({ dialect: new PGliteDialect(options.pglite) });
  } else {
    const pool = createPgPool({
      connectionString: options.databaseUrl ?? '',
      max: options.poolSize ?? 10,
      connectTimeoutMs: 3000,
      queryTimeoutMs: 15_000,
      ...(options.schema ? { schema: options.schema } : {}),
    });
    db = new Kysely<PgDatabase>({ dialect: new PostgresDialect({ pool }) });
  }
  try {
    if (options.schema) await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`).execute(db);
    await migratePostgres(db);
    return db;
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/** Applies `NNN_name.sql` files of `dir` in order; returns the versions applied by this call. */
export async function migratePostgres(db: PgDb, dir: string = PG_MIGRATIONS_DIR): Promise<number[]> {
  const files = readdirSync(dir)
    .map((name) => ({ name, match: /^(\d+)_[\w-]+\.sql$/.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map((f) => ({ name: f.name, version: Number(f.match[1]) }))
    .sort((a, b) => a.version - b.version);
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
        conn,
      );
      const { rows } = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(conn);
      const applied = new Set(rows.map((r) => r.version));
      const done: number[] = [];
      for (const file of files) {
        if (applied.has(file.version)) continue;
        const text = readFileSync(path.join(dir, file.name), 'utf8');
        await conn.transaction().execute(async (trx) => {
          for (const statement of statements(text)) await sql.raw(statement).execute(trx);
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${file.version}, ${file.name})`.execute(
            trx,
          );
        });
        done.push(file.version);
      }
      return done;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
