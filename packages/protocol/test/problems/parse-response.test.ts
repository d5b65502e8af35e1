import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRetryAfter, problemFromResponse, readProblem } from '../../src/problems/parse-response.js';
import { ProblemError } from '../../src/problems/problem-error.js';

const headers = (values: Record<string, string> = {}) => new Headers(values);

describe('problemFromResponse', () => {
  test('carries every member of a problem body, extensions and Retry-After included', () => {
    const err = problemFromResponse({
      status: 400,
      headers: headers({ 'retry-after': '7' }),
      text: JSON.stringify({
        type: 'https://example.com/weak',
        title: 'Weak password',
        status: 400,
        detail: 'too common',
        code: 'weak_password',
        errors: [{ path: 'password', message: 'too common' }, { bogus: true }],
        rule: 'common',
      }),
    });
    assert.ok(err instanceof ProblemError);
    assert.equal(err.code, 'weak_password');
    assert.equal(err.type, 'https://example.com/weak');
    assert.equal(err.detail, 'too common');
    assert.deepEqual(err.errors, [{ path: 'password', message: 'too common' }]);
    assert.deepEqual(err.extensions, { rule: 'common' });
    assert.equal(err.retryAfterSec, 7);
  });

  test('derives a code from the status when the body is not a problem', () => {
    const of = (status: number, text = '', unavailableCode?: string) =>
      problemFromResponse(
        { status, statusText: 'X', headers: headers(), text },
        unavailableCode ? { unavailableCode } : {},
      );
    assert.equal(of(404, 'nope').code, 'not_found');
    assert.equal(of(404, 'nope').detail, 'nope');
    assert.equal(of(500).code, 'internal_error');
    assert.equal(of(500).detail, undefined);
    assert.equal(of(418).code, 'http_error');
    assert.equal(of(502, '<html>').code, 'service_unavailable');
    assert.equal(of(503, '', 'auth_unavailable').code, 'auth_unavailable');
    assert.equal(of(503).title, 'X');
  });

  test('constructs the given error class', () => {
    class AuthError extends ProblemError<string> {}
    const err = problemFromResponse(
      { status: 401, headers: headers(), text: '{"code":"invalid_token"}' },
      { errorClass: AuthError },
    );
    assert.ok(err instanceof AuthError);
    assert.equal(err.title, 'HTTP 401');
  });

  test('readProblem reads a Response', async () => {
    const err = await readProblem(
      new Response('{"code":"rate_limited","title":"Too many requests"}', {
        status: 429,
        headers: { 'retry-after': '3' },
      }),
    );
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSec, 3);
  });
});

describe('parseRetryAfter', () => {
  test('reads delta-seconds and HTTP-dates', () => {
    assert.equal(parseRetryAfter('42'), 42);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10);
  });
});
