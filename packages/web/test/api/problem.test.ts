import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  errorMessage,
  fieldErrors,
  fieldName,
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
  assert.equal(error.retryAfter, 7);
  assert.deepEqual(fieldErrors(error), { password: 'This password is too common.' });
});

test('problemFromResponse survives a body that is not JSON', async () => {
  const error = await problemFromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
  assert.equal(error.status, 502);
  assert.equal(error.code, 'http_502');
});

test('errorMessage explains the well-known codes in plain words', () => {
  assert.equal(errorMessage(new ApiError(401, { code: 'invalid_credentials' })), 'Wrong email or password.');
  assert.match(errorMessage(new ApiError(429, { code: 'rate_limited' }, 30)), /wait 30 seconds/);
  assert.match(errorMessage(new ApiError(0, {})), /Cannot reach the server/);
  assert.equal(errorMessage(new ApiError(500, { code: 'internal_error', detail: 'Oops' })), 'Oops');
  assert.match(errorMessage(new Error('boom')), /Something went wrong/);
});
