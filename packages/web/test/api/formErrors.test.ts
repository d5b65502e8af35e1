import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/problem.js';
import { splitError } from '../../src/api/formErrors.js';

test('errors[] entries go next to the fields they name', () => {
  const error = new ApiError({
    status: 400,
    code: 'validation_failed',
    title: 'Validation failed',
    errors: [
      { path: '/email', message: 'must be an email' },
      { path: '/name', message: 'must not be empty' },
    ],
  });
  assert.deepEqual(splitError(error, ['name', 'email', 'password']), {
    fields: { email: 'Must be an email.', name: 'Must not be empty.' },
    general: null,
  });
});

test('an error about an unknown field stays a general message', () => {
  const error = new ApiError({
    status: 400,
    code: 'validation_failed',
    title: 'Validation failed',
    errors: [
      { path: '/email', message: 'must be an email' },
      { path: '/captcha', message: 'is missing' },
    ],
  });
  assert.deepEqual(splitError(error, ['email']), {
    fields: { email: 'Must be an email.' },
    general: 'Is missing.',
  });
});

test('a code mapped to a field lands there, with aliases for differently named fields', () => {
  const weak = new ApiError({
    status: 400,
    code: 'weak_password',
    title: 'Weak password',
    detail: 'Too common (rule: common)',
  });
  assert.deepEqual(splitError(weak, ['password'], { weak_password: 'password' }).fields, {
    password: 'Too common (rule: common)',
  });
  const aliased = new ApiError({
    status: 400,
    code: 'weak_password',
    title: 'Weak password',
    errors: [{ path: 'password', message: 'Too short' }],
  });
  assert.deepEqual(splitError(aliased, ['newPassword'], {}, { password: 'newPassword' }).fields, {
    newPassword: 'Too short.',
  });
});

test('everything else is one general sentence', () => {
  const error = new ApiError({ status: 401, code: 'invalid_credentials', title: 'Invalid credentials' });
  assert.deepEqual(splitError(error, ['email', 'password']), {
    fields: {},
    general: 'Wrong email or password.',
  });
});
