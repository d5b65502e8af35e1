import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchWithoutToken } from '../../src/hooks/useLinkToken.js';

test('searchWithoutToken drops the token and keeps every other parameter', () => {
  assert.equal(searchWithoutToken('?token=abc'), '');
  assert.equal(searchWithoutToken('?token=abc&next=%2Fhistory'), '?next=%2Fhistory');
  assert.equal(searchWithoutToken('?a=1&token=abc&b=2'), '?a=1&b=2');
  assert.equal(searchWithoutToken('?token=a&token=b'), '');
  assert.equal(searchWithoutToken(''), '');
});
