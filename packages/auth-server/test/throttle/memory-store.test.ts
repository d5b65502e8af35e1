import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createThrottleStore, MemoryStore } from '../../src/throttle/index.js';
import { runStoreSuite } from './store-suite.js';

runStoreSuite('MemoryStore', async () => new MemoryStore());

describe('MemoryStore', () => {
  test('starts a new window exactly when the old one ends (injected clock)', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    try {
      assert.deepEqual(await store.hit('k', 5000), { count: 1, resetInMs: 5000 });
      now += 4999;
      assert.deepEqual(await store.hit('k', 5000), { count: 2, resetInMs: 1 });
      now += 1;
      assert.deepEqual(await store.peek('k'), { count: 0, resetInMs: 0 });
      assert.deepEqual(await store.hit('k', 5000), { count: 1, resetInMs: 5000 });
    } finally {
      await store.close();
    }
  });

  test('createThrottleStore without a Redis URL gives a MemoryStore', async () => {
    const store = createThrottleStore(undefined);
    assert.ok(store instanceof MemoryStore);
    await store.close();
  });
});
