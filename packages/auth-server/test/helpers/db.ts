/**
 * Yields the database dialects every DB test runs on: PGlite (in memory) always, and PostgreSQL
 * when TEST_DATABASE_URL is set. Each `open()` gives a fresh, empty, migrated database (PGlite: one
 * per process, truncated; PostgreSQL: a new schema, dropped on cleanup). An unreachable TEST_DATABASE_URL makes the tests fail, never skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { type Db, openDb } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export interface TestDb {
  db: Db;
  databaseUrl?: string;
  schema?: string;
  cleanup(): Promise<void>;
}

export interface Dialect {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDb>;
}

const TABLES =
  'users, sessions, refresh_tokens, one_time_tokens, mail_outbox, auth_events, signing_keys, revocation_events';
let sharedPglite: Promise<Db> | undefined;

/** One in-memory PGlite per test process (starting one costs seconds), emptied for every test. */
const pglite: Dialect = {
  name: 'pglite',
  async open() {
    sharedPglite ??= openDb({}).then(async (db) => {
      await migrateToLatest(db);
      return db;
    });
    const db = await sharedPglite;
    await sql.raw(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`).execute(db);
    await sql`UPDATE revocation_feed_state SET purged_through = 0`.execute(db);
    return { db, cleanup: async () => {} };
  },
};

function postgres(url: string): Dialect {
  return {
    name: 'postgres',
    async open() {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await admin.end();
      }
      const db = await openDb({ databaseUrl: url, schema, poolSize: 5 });
      await migrateToLatest(db);
      return {
        db,
        databaseUrl: url,
        schema,
        async cleanup() {
          await db.destroy();
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          try {
            await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}

export function dialects(): Dialect[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pglite, postgres(url)] : [pglite];
}
