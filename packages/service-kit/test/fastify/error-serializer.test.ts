/**
 * The logger's error serializer keeps only safe fields of an error: never a failed query's
 * parameters (an argon2 hash, an email, a name) (issue 10, finding 8).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serializeError } from '../../src/fastify/error-serializer.js';

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
