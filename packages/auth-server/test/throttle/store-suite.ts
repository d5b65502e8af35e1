/**
 * The ThrottleStore contract, run against every store (memory and Redis), like Kysely's suites
 * loop over dialects. Each test uses fresh random keys, so suites may share one store.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { ThrottleStore } from '../../src/throttle/index.js';

export function runStoreSuite(name: string, open: () => Promise<ThrottleStore>): void {
  describe(`${name}: ThrottleStore contract`, () => {
    let store: ThrottleStore;
    const key = () => `k-${randomUUID()}`;

    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('the first hit starts a window with count 1 that resets within windowMs', async () => {
      const result = await store.hit(key(), 60_000);
      assert.equal(result.count, 1);
      assert.ok(result.resetInMs > 0 && result.resetInMs <= 60_000, `resetInMs ${result.resetInMs}`);
    });

    test('hits on one key add up within the window and keep its reset time', async () => {
      const k = key();
      const first = await store.hit(k, 60_000);
      await store.hit(k, 60_000);
      const third = await store.hit(k, 60_000);
      assert.equal(third.count, 3);
      assert.ok(third.resetInMs <= first.resetInMs, 'a later hit does not extend the window');
    });

    test('peek reports the count without adding a hit', async () => {
      const k = key();
      await store.hit(k, 60_000);
      await store.hit(k, 60_000);
      const peeked = await store.peek(k);
      assert.equal(peeked.count, 2);
      assert.ok(peeked.resetInMs > 0 && peeked.resetInMs <= 60_000);
      assert.equal((await store.peek(k)).count, 2);
    });

    test('peek of a key never hit reports count 0', async () => {
      assert.deepEqual(await store.peek(key()), { count: 0, resetInMs: 0 });
    });

    test('keys are counted independently', async () => {
      const a = key();
      const b = key();
      await store.hit(a, 60_000);
      await store.hit(a, 60_000);
      assert.equal((await store.hit(b, 60_000)).count, 1);
      assert.equal((await store.peek(a)).count, 2);
    });

    test('reset forgets the window so the next hit counts 1 again', async () => {
      const k = key();
      await store.hit(k, 60_000);
      await store.hit(k, 60_000);
      await store.reset(k);
      assert.equal((await store.peek(k)).count, 0);
      assert.equal((await store.hit(k, 60_000)).count, 1);
      await store.reset(key()); // resetting an unknown key is fine
    });

    test('release takes back one hit of a live window and keeps its reset time', async () => {
      const k = key();
      const first = await store.hit(k, 60_000);
      await store.hit(k, 60_000);
      await store.release(k);
      const after = await store.peek(k);
      assert.equal(after.count, 1);
      assert.ok(after.resetInMs > 0 && after.resetInMs <= first.resetInMs);
    });

    test('release never goes below 0 and never starts a window', async () => {
      const k = key();
      await store.release(k);
      assert.deepEqual(await store.peek(k), { count: 0, resetInMs: 0 });
      await store.hit(k, 60_000);
      await store.release(k);
      await store.release(k);
      assert.equal((await store.peek(k)).count, 0);
      assert.equal((await store.hit(k, 60_000)).count, 1);
    });

    test('30 concurrent hits and 20 concurrent releases on one key leave exactly 10', async () => {
      const k = key();
      for (let i = 0; i < 20; i++) await store.hit(k, 60_000);
      await Promise.all([
        ...Array.from({ length: 10 }, () => store.hit(k, 60_000)),
        ...Array.from({ length: 20 }, () => store.release(k)),
      ]);
      assert.equal((await store.peek(k)).count, 10);
    });

    test('50 concurrent hits on one key count exactly 50, each count seen once', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 50 }, () => store.hit(k, 60_000)));
      const counts = results.map((r) => r.count).sort((x, y) => x - y);
      assert.deepEqual(
        counts,
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.equal((await store.peek(k)).count, 50);
    });

    test('after a short window has passed the count starts again from 1', async () => {
      const k = key();
      const first = await store.hit(k, 1000);
      await store.hit(k, 1000);
      await sleep(first.resetInMs + 200);
      assert.equal((await store.peek(k)).count, 0);
      assert.equal((await store.hit(k, 1000)).count, 1);
    });
  });
}
