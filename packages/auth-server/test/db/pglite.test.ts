import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`transactions on ${dialect.name}`, () => {
    test('concurrent read-modify-write transactions with FOR UPDATE never lose an update', async (t) => {
      const { db, cleanup } = await dialect.open();
      t.after(cleanup);
      await sql`CREATE TABLE IF NOT EXISTS test_counter (id int PRIMARY KEY, n int NOT NULL)`.execute(db);
      await sql`DELETE FROM test_counter`.execute(db);
      await sql`INSERT INTO test_counter VALUES (1, 0)`.execute(db);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction().execute(async (trx) => {
            const row = await sql<{ n: number }>`SELECT n FROM test_counter WHERE id = 1 FOR UPDATE`.execute(
              trx,
            );
            await new Promise((r) => setTimeout(r, 1));
            await sql`UPDATE test_counter SET n = ${(row.rows[0]?.n ?? 0) + 1} WHERE id = 1`.execute(trx);
          }),
        ),
      );
      const final = await sql<{ n: number }>`SELECT n FROM test_counter WHERE id = 1`.execute(db);
      assert.equal(final.rows[0]?.n, 20);
      await sql`DROP TABLE test_counter`.execute(db);
    });

    test('a failed transaction rolls back and leaves the connection usable', async (t) => {
      const { db, cleanup } = await dialect.open();
      t.after(cleanup);
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('users')
            .values({ email: 'tx@example.com', name: 'x', password_hash: 'h' })
            .execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.selectFrom('users').selectAll().execute();
      assert.equal(rows.length, 0);
    });
  });
}
