import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '@emotion-app/protocol';
import { isDatabaseUnavailable, toDatabaseUnavailable } from '../../src/database/unavailable.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('lost database errors', () => {
  it('become 503 service_unavailable: refused, reset, terminated, shutdown, pool timeout', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connection failure', '08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''),
      new Error('wrapped', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
      withCode('sorry, too many clients already', '53300'),
    ]) {
      assert.ok(isDatabaseUnavailable(err), err.message);
      const mapped = toDatabaseUnavailable(err);
      assert.ok(mapped instanceof ProblemError, err.message);
      assert.equal(mapped.status, 503);
      assert.equal(mapped.code, 'service_unavailable');
      assert.equal(mapped.retryAfterSec, 5);
    }
  });

  it('leave every other error as it is', () => {
    for (const err of [
      withCode('duplicate key value violates unique constraint', '23505'),
      withCode('relation "predictions" does not exist', '42P01'),
      new TypeError('x is undefined'),
      new ProblemError({ code: 'not_found' }),
    ]) {
      assert.equal(toDatabaseUnavailable(err), err);
    }
    assert.equal(isDatabaseUnavailable('ECONNREFUSED'), false);
  });
});
