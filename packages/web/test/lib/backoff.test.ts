import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../../src/lib/backoff.js';

test('backoffDelay doubles from 2 s after each failure and stops at 30 s', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 50].map((failures) => backoffDelay(failures)),
    [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000],
  );
});

test('backoffDelay without a failure is the regular interval', () => {
  assert.equal(backoffDelay(0), 30_000);
  assert.equal(backoffDelay(0, 1_000, 10_000), 10_000);
});
