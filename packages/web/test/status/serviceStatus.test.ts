import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Health } from '../../src/api/types.js';
import { statusOf } from '../../src/status/serviceStatus.js';

const healthy: Health = {
  status: 'ok',
  model: { loaded: true, name: 'fer' },
  authServer: 'ok',
  revocations: 'live',
};

test('statusOf: both services up allows everything', () => {
  const status = statusOf(healthy, false);
  assert.equal(status.api, 'up');
  assert.equal(status.auth, 'up');
  assert.ok(status.canUseAccounts && status.canUseApi);
});

test('statusOf: auth-server down keeps detection and history, not accounts', () => {
  const status = statusOf({ ...healthy, authServer: 'unreachable' }, false);
  assert.equal(status.auth, 'down');
  assert.equal(status.canUseApi, true);
  assert.equal(status.canUseAccounts, false);
});

test('statusOf: emotion-api not answering stops everything, even with an older answer', () => {
  const status = statusOf(healthy, true);
  assert.equal(status.api, 'down');
  assert.equal(status.auth, 'down');
  assert.equal(status.canUseApi, false);
  assert.equal(status.canUseAccounts, false);
});

test('statusOf: before the first answer nothing is disabled', () => {
  const status = statusOf(undefined, false);
  assert.equal(status.api, 'checking');
  assert.ok(status.canUseAccounts && status.canUseApi);
});
