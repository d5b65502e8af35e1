/**
 * Opens the database: PostgreSQL through `pg` when a URL is given, otherwise embedded PGlite
 * persisted in a directory. Both speak the same SQL through Kysely.
 *
 * PGlite has a single connection; kysely-pglite-dialect hands it to one caller at a time (a
 * transaction holds it until commit), so concurrent transactions are serialized, never interleaved.
 * Consequence for callers: inside `db.transaction().execute(trx => ...)` use only `trx`, never `db`.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** PostgreSQL URL; when undefined PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined = in memory. */
  pgliteDir?: string | undefined;
  /** PostgreSQL schema to use (tests isolate themselves in a fresh schema). */
  schema?: string | undefined;
  poolSize?: number;
  /** How long a request waits for a new connection before failing (default 5000 ms): no request hangs on a dead host. */
  connectTimeoutMs?: number;
}

// timestamptz/jsonb/bigint parsing for pg: dates as Date (default), int8 as string (default).
export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A lost connection must not crash the process: pg-pool listens for errors only on idle
    // clients, so one checked out (between two statements of a transaction) gets a listener of
    // its own. The query in flight still fails, and the pool drops the broken client on release.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const client = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  await client.waitReady;
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}
