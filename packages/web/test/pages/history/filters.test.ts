import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFiltered, NO_FILTERS, toLogQuery } from '../../../src/pages/history/filters.js';

test('the Model filter becomes /logs?model= and counts as a filter', () => {
  assert.deepEqual(toLogQuery(NO_FILTERS), {});
  assert.equal(isFiltered(NO_FILTERS), false);
  const byModel = { ...NO_FILTERS, model: 'faceapi' };
  assert.deepEqual(toLogQuery(byModel), { model: 'faceapi' });
  assert.equal(isFiltered(byModel), true);
  assert.deepEqual(toLogQuery({ ...byModel, emotion: 'happy' }), { emotion: 'happy', model: 'faceapi' });
});
