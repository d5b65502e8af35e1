import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  errorMessage,
  fieldErrors,
  fieldName,
  networkError,
  problemFromResponse,
} from '../../src/api/problem.js';

test('fieldName takes the last segment of JSON-pointer, dotted and plain paths', () => {
  assert.equal(fieldName('/body/email'), 'email');
  assert.equal(fieldName('body.password'), 'password');
  assert.equal(fieldName('/name'), 'name');
  assert.equal(fieldName('newPassword'), 'newPassword');
  assert.equal(fieldName(''), '');
});

test('problemFromResponse reads problem+json with its errors and Retry-After', async () => {
  const response = new Response(
    JSON.stringify({
      type: 'about:blank',
      title: 'Weak password',
      status: 400,
      detail: 'Too common',
      code: 'weak_password',
      errors: [{ path: '/password', message: 'This password is too common.' }],
    }),
    { status: 400, headers: { 'content-type': 'application/problem+json', 'retry-after': '7' } },
  );
  const error = await problemFromResponse(response);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'weak_password');
  assert.equal(error.detail, 'Too common');
  assert.equal(error.retryAfterSec, 7);
  assert.ok(error instanceof ApiError);
  assert.deepEqual(fieldErrors(error), { password: 'This password is too common.' });
});

test('problemFromResponse survives a body that is not JSON, and does not show it', async () => {
  const error = await problemFromResponse(
    new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
  );
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 502);
  assert.equal(error.code, 'service_unavailable');
  assert.equal(error.detail, undefined);
  assert.equal(errorMessage(error), 'Request failed');
});

test('networkError is status 0 network_error', () => {
  const error = networkError(new TypeError('Failed to fetch'));
  assert.equal(error.status, 0);
  assert.equal(error.code, 'network_error');
  assert.match(errorMessage(error), /Cannot reach the server/);
});

test('errorMessage explains the well-known codes in plain words', () => {
  const problem = (status: number, code: string, more: { detail?: string; retryAfterSec?: number } = {}) =>
    new ApiError({ status, code, title: code, ...more });
  assert.equal(errorMessage(problem(401, 'invalid_credentials')), 'Wrong email or password.');
  assert.match(errorMessage(problem(429, 'rate_limited', { retryAfterSec: 30 })), /wait 30 seconds/);
  assert.match(errorMessage(problem(0, 'network_error')), /Cannot reach the server/);
  assert.equal(errorMessage(problem(500, 'internal_error', { detail: 'Oops' })), 'Oops');
  assert.match(errorMessage(new Error('boom')), /Something went wrong/);
});
