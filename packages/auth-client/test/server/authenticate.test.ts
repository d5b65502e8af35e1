import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError, isAuthError } from '../../src/errors.js';
import { authProblem, extractToken, readCookie } from '../../src/server/authenticate.js';

describe('readCookie', () => {
  it('finds a cookie among others, trimming and unquoting', () => {
    assert.equal(readCookie('a=1; access_token=tok; b=2', 'access_token'), 'tok');
    assert.equal(readCookie('access_token="tok"', 'access_token'), 'tok');
    assert.equal(readCookie('x_access_token=no; access_token=yes', 'access_token'), 'yes');
    assert.equal(readCookie('a=%7Bx%7D', 'a'), '{x}');
    assert.equal(readCookie('a=%E0%A4%A', 'a'), '%E0%A4%A');
    assert.equal(readCookie('a=1', 'b'), undefined);
    assert.equal(readCookie(undefined, 'b'), undefined);
  });
});

describe('extractToken', () => {
  it('takes a Bearer header (case-insensitive scheme), else the cookies in order', () => {
    assert.equal(extractToken('Bearer abc', undefined, 'access_token=c', ['access_token']), 'abc');
    assert.equal(extractToken('bearer abc', undefined, undefined, ['access_token']), 'abc');
    assert.equal(extractToken('BEARER  a.b-c_d~e+f/g==', undefined, undefined, []), 'a.b-c_d~e+f/g==');
    assert.equal(
      extractToken(undefined, { access_token: 'parsed' }, 'access_token=raw', ['access_token']),
      'parsed',
    );
    assert.equal(extractToken(undefined, undefined, '__Host-t=h', ['t', '__Host-t']), 'h');
  });

  it('never falls back to the cookies when an Authorization header is present but empty, malformed or not Bearer', () => {
    const cookies = { access_token: 'parsed' };
    const header = 'access_token=raw';
    for (const authorization of [
      '',
      ' ',
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearer a,b',
      'Basic eHl6',
      'Token abc',
    ]) {
      assert.equal(
        extractToken(authorization, cookies, header, ['access_token']),
        undefined,
        JSON.stringify(authorization),
      );
    }
  });
});

describe('authProblem', () => {
  it('renders token errors as 401 problem+json with WWW-Authenticate', () => {
    const res = authProblem(
      new AuthError({ status: 401, code: 'token_expired', title: 'Expired', detail: 'd' }),
    );
    assert.equal(res.status, 401);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
    assert.deepEqual(res.body, {
      type: 'about:blank',
      title: 'Expired',
      status: 401,
      code: 'token_expired',
      detail: 'd',
    });
  });

  it('renders forbidden as 403 insufficient_scope and carries Retry-After', () => {
    assert.equal(
      authProblem(new AuthError({ status: 403, code: 'forbidden', title: 'Forbidden' })).headers[
        'www-authenticate'
      ],
      'Bearer error="insufficient_scope"',
    );
    const limited = authProblem(
      new AuthError({ status: 429, code: 'rate_limited', title: 'Slow', retryAfterSec: 9 }),
    );
    assert.equal(limited.headers['retry-after'], '9');
    assert.equal(limited.headers['www-authenticate'], undefined);
  });

  it('hides anything that is not an AuthError behind a 500 internal_error', () => {
    const res = authProblem(new Error('SELECT * FROM secrets'));
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'internal_error');
    assert.doesNotMatch(JSON.stringify(res.body), /secrets/);
  });
});

describe('AuthError', () => {
  it('serializes to its problem body, extensions included', () => {
    const err = new AuthError({
      status: 400,
      code: 'weak_password',
      title: 'Weak password',
      errors: [{ path: 'password', message: 'too common' }],
      extensions: { rule: 'common' },
    });
    assert.deepEqual(JSON.parse(JSON.stringify(err)), {
      rule: 'common',
      type: 'about:blank',
      title: 'Weak password',
      status: 400,
      code: 'weak_password',
      errors: [{ path: 'password', message: 'too common' }],
    });
    assert.equal(err.message, 'Weak password');
    assert.ok(isAuthError(err));
    assert.ok(!isAuthError(new Error('x')));
  });
});
