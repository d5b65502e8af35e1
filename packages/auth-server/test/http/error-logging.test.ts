/**
 * A database error never writes the failed query's parameters (an argon2 hash, an email, a name)
 * to the log (issue 10, finding 8): the logger's error serializer keeps only safe fields.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { serializeError } from '../../src/http/error-serializer.js';
import { PASSWORD, post, problem, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';

describe('serializeError', () => {
  test('keeps type, message, stack frames, code and object names of a PGlite-style error, none of its query', () => {
    const err = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      name: 'error',
      severity: 'ERROR',
      code: '22021',
      detail: `Failing row contains (${HASH}).`,
      hint: `hint ${HASH}`,
      where: `unnamed portal parameter $2 = '${HASH}'`,
      internalQuery: `select '${HASH}'`,
      query: 'insert into "users" ("email", "password_hash") values ($1, $2)',
      params: ['victim@example.com', HASH],
      parameters: ['victim@example.com', HASH],
      queryOptions: { rowMode: 'object' },
      table: 'users',
      constraint: 'users_email_key',
      cause: Object.assign(new Error('inner'), { params: [HASH] }),
    });
    const out = serializeError(err);
    const text = JSON.stringify(out);
    for (const secret of [HASH, 'victim@example.com', 'insert into'])
      assert.ok(!text.includes(secret), secret);
    assert.deepEqual(
      Object.keys(out).sort(),
      ['cause', 'code', 'constraint', 'message', 'severity', 'stack', 'table', 'type'].sort(),
    );
    assert.equal((out as { type: string }).type, 'DatabaseError');
    assert.equal((out as { code: string }).code, '22021');
    assert.match((out as { stack: string }).stack, /^DatabaseError: invalid byte sequence[^\n]*\n\s+at /);
  });

  test('redacts the quoted value in a PostgreSQL data-exception message and its stack', () => {
    const err = Object.assign(new Error(`invalid input syntax for type integer: "${HASH}"`), {
      severity: 'ERROR',
      code: '22P02',
    });
    const out = serializeError(err) as { message: string; stack: string };
    assert.equal(out.message, 'invalid input syntax for type integer: "[redacted]"');
    assert.ok(!out.stack.includes(HASH));
  });

  test('serializes non-errors and AggregateErrors without their extra fields', () => {
    assert.equal(serializeError('plain'), 'plain');
    const out = serializeError(
      new AggregateError([Object.assign(new Error('a'), { params: [HASH] })], 'many'),
    );
    assert.ok(!JSON.stringify(out).includes(HASH));
    assert.equal((out as { errors: unknown[] }).errors.length, 1);
  });
});

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
