import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Db, migrate, openDatabase } from '../../src/db/database.js';

describe('database', () => {
  let dir: string;
  let db: Db;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'emotion-db-'));
    db = openDatabase(dir);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the database in WAL mode with foreign keys on', () => {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  it('applies each migration once', () => {
    assert.deepEqual(migrate(db), []);
    const versions = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2],
    );
  });

  it("serves a /logs page from an index, without sorting the user's rows", () => {
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM predictions WHERE user_id = ?
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .all('someone') as { detail: string }[];
    const details = plan.map((row) => row.detail).join('; ');
    assert.match(details, /USING INDEX predictions_user_time/);
    assert.doesNotMatch(details, /TEMP B-TREE/);
  });
});
