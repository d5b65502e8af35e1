/**
 * A `pg` pool as both services open it for `DATABASE_URL`:
 * - a lost connection never crashes the process: pg-pool listens for errors only on idle clients,
 *   so every client also gets a listener of its own when it connects (one checked out between two
 *   statements of a transaction has none otherwise); the query in flight fails with a connection
 *   error (`isDatabaseUnavailable`) and the pool drops the client on release;
 * - a dead host fails a connect within a bound instead of hanging the request (and a query, with
 *   `queryTimeoutMs`);
 * - `schema` sets the search_path (tests isolate themselves in a fresh schema).
 */
import pg from 'pg';

export interface PgPoolOptions {
  connectionString: string;
  /** Most connections at once (default 10). */
  max?: number;
  /** search_path of every connection; a plain lower-case SQL identifier. */
  schema?: string;
  /** How long a request waits for a new connection (default 5000 ms). */
  connectTimeoutMs?: number;
  /** How long an idle connection is kept (default 10 s). */
  idleTimeoutMs?: number;
  /**
   * How long a query may run before it fails, so a server that stops answering without closing the
   * connection fails it (default: no limit; migrations at start may legitimately run long).
   */
  queryTimeoutMs?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function createPgPool(options: PgPoolOptions): pg.Pool {
  const { schema } = options;
  if (schema !== undefined && !IDENTIFIER.test(schema))
    throw new Error(`bad schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
