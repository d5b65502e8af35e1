import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from '../../src/session/redirect.js';

test('safeNext keeps same-site paths with their query', () => {
  assert.equal(safeNext('/history?emotion=happy'), '/history?emotion=happy');
  assert.equal(safeNext('/account'), '/account');
});

test('safeNext refuses other sites and loops back to the sign-in pages', () => {
  for (const next of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
  ]) {
    assert.equal(safeNext(next), '/detect', next);
  }
  assert.equal(safeNext(null), '/detect');
  assert.equal(safeNext('/sign-in?next=/x'), '/detect');
  assert.equal(safeNext('/sign-up'), '/detect');
});
