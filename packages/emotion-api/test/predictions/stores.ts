/**
 * The prediction stores every store and history test runs on: SQLite (a temp DATA_DIR) and
 * PostgreSQL on in-process PGlite always, and the real PostgreSQL when TEST_DATABASE_URL is set
 * (a fresh schema per `open()`, dropped on cleanup). An unreachable TEST_DATABASE_URL fails the
 * tests, never skips them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { type PgDb, openPostgres } from '../../src/db/postgres.js';
import { PostgresPredictionStore } from '../../src/predictions/predictions.postgres.js';
import { SqlitePredictionStore } from '../../src/predictions/predictions.sqlite.js';
import type { PredictionStore } from '../../src/predictions/predictions.store.js';

export interface TestStore {
  store: PredictionStore;
  /** What an app built on this store needs: `env` for loadConfig, `store` for buildApp's deps. */
  app: { env: Record<string, string>; store?: PredictionStore };
  cleanup(): Promise<void>;
}

export interface StoreDialect {
  name: 'sqlite' | 'pglite' | 'postgres';
  open(): Promise<TestStore>;
}

const sqlite: StoreDialect = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'emotion-store-'));
    const store = SqlitePredictionStore.open(dir);
    return {
      store,
      // The app opens the same DATA_DIR (its own connection to the same file and image folder).
      app: { env: { DATA_DIR: dir } },
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let sharedPglite: Promise<PgDb> | undefined;

/** One in-memory PGlite per test process (starting one costs seconds), emptied for every open. */
const pglite: StoreDialect = {
  name: 'pglite',
  async open() {
    sharedPglite ??= openPostgres({ pglite: new PGlite() });
    const db = await sharedPglite;
    await sql`TRUNCATE predictions CASCADE`.execute(db);
    const store = new PostgresPredictionStore(db, false);
    return { store, app: { env: {}, store }, cleanup: async () => {} };
  },
};

/** A new schema in TEST_DATABASE_URL; the app reaches it through DATABASE_URL's search_path. */
export async function freshSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `emotion_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return { schema, drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** `url` with `search_path` set to `schema` (libpq's `options`). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

function postgres(url: string): StoreDialect {
  return {
    name: 'postgres',
    async open() {
      const { schema, drop } = await freshSchema(url);
      const store = new PostgresPredictionStore(
        await openPostgres({ databaseUrl: url, schema, poolSize: 4 }),
      );
      return {
        store,
        app: { env: { DATABASE_URL: withSearchPath(url, schema) } },
        async cleanup() {
          await store.close();
          await drop();
        },
      };
    },
  };
}

export function storeDialects(): StoreDialect[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [sqlite, pglite, postgres(url)] : [sqlite, pglite];
}
