import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError, ProblemError, problemBody } from '../../src/problems/problem-error.js';

describe('ProblemError', () => {
  test('takes status and title from the catalogue unless given', () => {
    const err = new ProblemError({ code: 'rate_limited', detail: 'Slow down.', retryAfterSec: 3 });
    assert.equal(err.status, 429);
    assert.equal(err.title, 'Too many requests');
    assert.equal(err.type, 'about:blank');
    assert.equal(err.retryAfterSec, 3);
    assert.equal(err.message, 'Too many requests: Slow down.');
    const custom = new ProblemError({ code: 'invalid_token', title: 'Invalid access token', status: 401 });
    assert.equal(custom.title, 'Invalid access token');
    assert.equal(custom.message, 'Invalid access token');
  });

  test('serializes to its problem body, extensions included, standard members first', () => {
    const err = new ProblemError({
      code: 'weak_password',
      detail: 'too common (rule: common)',
      errors: [{ path: 'password', message: 'too common' }],
      extensions: { rule: 'common', status: 999 },
      cause: new Error('inner'),
    });
    assert.deepEqual(JSON.parse(JSON.stringify(err)), {
      rule: 'common',
      type: 'about:blank',
      title: 'Weak password',
      status: 400,
      detail: 'too common (rule: common)',
      code: 'weak_password',
      errors: [{ path: 'password', message: 'too common' }],
    });
    assert.ok(err.cause instanceof Error);
  });

  test('isProblemError recognises the class, its subclasses and structural copies', () => {
    class AuthError extends ProblemError<string> {}
    assert.ok(isProblemError(new ProblemError({ code: 'not_found' })));
    assert.ok(isProblemError(new AuthError({ code: 'anything', status: 418, title: 'Teapot' })));
    assert.ok(!isProblemError(new Error('x')));
    assert.ok(!isProblemError({ status: 400, code: 'x', title: 'y' }));
  });
});

describe('problemBody', () => {
  test('leaves out absent detail and errors', () => {
    assert.deepEqual(problemBody({ status: 404, code: 'not_found', title: 'Not found' }), {
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      code: 'not_found',
    });
  });
});
