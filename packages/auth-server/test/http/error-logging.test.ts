/**
 * A database error never writes the failed query's parameters (an argon2 hash, an email, a name)
 * to the log (issue 10, finding 8): service-kit's error serializer keeps only safe fields.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { PASSWORD, post, problem, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`error logging on ${dialect.name}`, () => {
    test('a failing INSERT during register answers 500 and never writes its parameters (the argon2 hash, the name) to the log', async (t) => {
      const lines: string[] = [];
      const stream = { write: (line: string) => lines.push(line) };
      const { app, testDb } = await startApp(t, dialect, { build: { logger: { level: 'info', stream } } });
      const name = `Name ${randomUUID()}`;
      // A real failing query: PGlite attaches `query` and `params` to the error, PL/pgSQL adds
      // `where`, and the DETAIL carries the row's hash.
      await sql
        .raw(
          `CREATE OR REPLACE FUNCTION test_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
           BEGIN RAISE EXCEPTION 'forced failure' USING DETAIL = 'row: ' || row_to_json(NEW)::text; END $fn$`,
        )
        .execute(testDb.db);
      await sql
        .raw(
          'CREATE TRIGGER test_fail_insert BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION test_fail_insert()',
        )
        .execute(testDb.db);
      try {
        const res = await post(app, '/api/auth/register', {
          name,
          email: 'logged@example.com',
          password: PASSWORD,
        });
        assert.equal(res.statusCode, 500, res.body);
        assert.equal(problem(res).code, 'internal_error');
      } finally {
        await sql.raw('DROP TRIGGER IF EXISTS test_fail_insert ON users').execute(testDb.db);
        await sql.raw('DROP FUNCTION IF EXISTS test_fail_insert()').execute(testDb.db);
      }
      const log = lines.join('\n');
      const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.err?.code === 'P0001');
      assert.ok(logged.length > 0, `the database error is logged:\n${log}`);
      assert.equal(logged[0].err.type, 'DatabaseError');
      assert.equal(logged[0].err.message, 'forced failure');
      for (const secret of ['$argon2', name, PASSWORD, 'row_to_json', 'insert into']) {
        assert.ok(!log.toLowerCase().includes(secret.toLowerCase()), `${secret} in the log:\n${log}`);
      }
    });
  });
}
