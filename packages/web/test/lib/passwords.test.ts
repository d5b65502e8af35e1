import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmationError } from '../../src/lib/passwords.js';

test('confirmationError: none when the confirmation matches, a message when it differs', () => {
  assert.equal(confirmationError('Quiet-Meadow-58', 'Quiet-Meadow-58'), undefined);
  assert.equal(confirmationError('Quiet-Meadow-58', 'Quiet-Meadow-59'), 'The passwords do not match.');
  assert.equal(confirmationError('', ''), undefined);
});
