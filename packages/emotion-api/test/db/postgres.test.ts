import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { migratePostgres, openPostgres } from '../../src/db/postgres.js';
import { freshSchema } from '../predictions/stores.js';

describe('PostgreSQL migrations on PGlite', () => {
  it('applies each numbered migration once', async () => {
    const db = await openPostgres({ pglite: new PGlite() });
    try {
      assert.deepEqual(await migratePostgres(db), []);
      const { rows } = await sql<{
        version: number;
      }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db);
      assert.deepEqual(
        rows.map((r) => r.version),
        [1],
      );
    } finally {
      await db.destroy();
    }
  });
});

const url = process.env.TEST_DATABASE_URL;

describe('PostgreSQL migrations on the real server', () => {
  const schemas: { drop(): Promise<void> }[] = [];
  after(async () => {
    for (const s of schemas) await s.drop();
  });

  it('migrate once when several instances start at the same time (advisory lock)', {
    skip: url ? false : 'needs TEST_DATABASE_URL',
  }, async () => {
    const fresh = await freshSchema(url as string);
    schemas.push(fresh);
    const dbs = await Promise.all(
      [1, 2, 3].map(() => openPostgres({ databaseUrl: url as string, schema: fresh.schema, poolSize: 2 })),
    );
    try {
      const [db] = dbs as [Awaited<ReturnType<typeof openPostgres>>];
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migrations`.execute(db);
      assert.equal(rows[0]?.n, 1);
    } finally {
      for (const db of dbs) await db.destroy();
    }
  });
});
