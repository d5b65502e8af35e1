/**
 * RedisStore runs the same contract as MemoryStore, against the Redis at REDIS_URL.
 * - REDIS_URL unset: not registered, with a loud warning.
 * - REDIS_URL set but unreachable: not registered, with a warning, locally; with CI=true it FAILS.
 * Every run uses its own key prefix (under auth:throttle:) and deletes its keys afterwards.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  createThrottleStore,
  defaultThrottleLimits,
  FallbackStore,
  REDIS_KEY_PREFIX,
  RedisStore,
  Throttle,
  ThrottledError,
} from '../../src/throttle/index.js';
import { redisUrlForTests } from '../helpers/redis.js';
import { runStoreSuite } from './store-suite.js';

const url = await redisUrlForTests('RedisStore');
const unavailable = url === undefined;
const prefix = `${REDIS_KEY_PREFIX}test-${randomUUID()}:`;

// Connection errors surface as rejected commands (failing the tests); no need to print each retry.
const open = async () => new RedisStore({ url: url ?? '', prefix, onError: () => {} });
const admin = url ? new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 }) : undefined;
admin?.on('error', () => {});

after(async () => {
  if (!admin) return;
  const keys = await admin.keys(`${prefix}*`).catch(() => []);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

// Registered only when Redis is there (the warning above says so loudly); with CI=true a
// missing Redis registers the suite, which then fails.
if (!unavailable)
  describe('RedisStore', () => {
    test('Redis at REDIS_URL answers PING', async () => {
      assert.equal(await admin?.ping(), 'PONG', `Redis at ${url} must be reachable when REDIS_URL is set`);
    });

    test('stores each counter as one key under auth:throttle: that expires with its window', async () => {
      const store = await open();
      try {
        await store.hit('ttl-check', 30_000);
        const ttl = await admin?.pttl(`${prefix}ttl-check`);
        assert.ok(prefix.startsWith('auth:throttle:'));
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= 30_000, `pttl ${ttl}`);
        assert.equal(await admin?.get(`${prefix}ttl-check`), '1');
      } finally {
        await store.close();
      }
    });

    test('two stores on separate connections share one counter (25 + 25 concurrent hits = 50)', async () => {
      const [a, b] = [await open(), await open()];
      try {
        const key = `shared-${randomUUID()}`;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).hit(key, 60_000)),
        );
        assert.deepEqual(
          results.map((r) => r.count).sort((x, y) => x - y),
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        assert.equal((await b.peek(key)).count, 50);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    test('two Throttle instances on one Redis share the budget and the second refuses with 429', async () => {
      const limits = { ...defaultThrottleLimits(), register: { max: 3, windowSec: 60 } };
      const one = new Throttle(await open(), limits);
      const two = new Throttle(await open(), limits);
      try {
        const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
        await one.consume('register', ip);
        await two.consume('register', ip);
        await one.consume('register', ip);
        await assert.rejects(two.consume('register', ip), (err: unknown) => {
          assert.ok(err instanceof ThrottledError);
          assert.equal(err.statusCode, 429);
          assert.ok(err.retryAfterSec >= 1 && err.retryAfterSec <= 60);
          return true;
        });
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });

    test('createThrottleStore with a Redis URL gives a FallbackStore (Redis, memory while it is down)', async () => {
      const store = createThrottleStore(url);
      assert.ok(store instanceof FallbackStore);
      await store.close();
    });
  });

if (!unavailable) runStoreSuite('RedisStore', open);
