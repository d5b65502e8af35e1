import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCookie } from '../../src/api/http.js';

test('readCookie finds a cookie among others and decodes it', () => {
  const header = 'theme=dark; csrf_token=abc%2Bdef; other=1';
  assert.equal(readCookie(header, 'csrf_token'), 'abc+def');
  assert.equal(readCookie(header, 'missing'), undefined);
  assert.equal(readCookie('', 'csrf_token'), undefined);
});

test('readCookie does not confuse a prefixed name with the plain one', () => {
  assert.equal(readCookie('__Host-csrf_token=prod', 'csrf_token'), undefined);
  assert.equal(readCookie('__Host-csrf_token=prod', '__Host-csrf_token'), 'prod');
});
