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
import { createPgPool } from '@emotion-app/service-kit';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
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

/** PostgreSQL through service-kit's pool (timestamptz as Date, int8 as string: pg's defaults), else PGlite. */
export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = createPgPool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.schema ? { schema: options.schema } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (options.pgliteDir) mkdirSync(options.pgliteDir, { recursive: true });
  const client = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite();
  await client.waitReady;
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}
