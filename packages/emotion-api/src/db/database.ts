import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** `packages/emotion-api/migrations`, the same from `src/db` and `dist/db`. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Opens (creating if needed) `DATA_DIR/emotion.db` in WAL mode with foreign keys on, and applies
 * the numbered SQL migrations not applied yet, each in its own transaction.
 */
export function openDatabase(dataDir: string, migrationsDir: string = MIGRATIONS_DIR): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'emotion.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrationsDir);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies `NNN_name.sql` files in order; returns the versions applied by this call. */
export function migrate(db: Db, migrationsDir: string = MIGRATIONS_DIR): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const files = readdirSync(migrationsDir)
    .map((name) => ({ name, match: /^(\d+)_[\w-]+\.sql$/.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map((f) => ({ name: f.name, version: Number(f.match[1]) }))
    .sort((a, b) => a.version - b.version);
  const done: number[] = [];
  for (const file of files) {
    if (applied.has(file.version)) continue;
    const sql = readFileSync(path.join(migrationsDir, file.name), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        file.version,
        file.name,
        new Date().toISOString(),
      );
    })();
    done.push(file.version);
  }
  return done;
}
