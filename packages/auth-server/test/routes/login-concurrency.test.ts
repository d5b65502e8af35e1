/**
 * Concurrent brute force (issue 10, finding 2): a login's failure is reserved atomically before
 * the password is hashed, so parallel wrong passwords cannot all get past the limit. Runs with
 * the in-memory store and, when REDIS_URL is set, with Redis (CI=true fails without it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { MemoryStore, REDIS_KEY_PREFIX, RedisStore, type ThrottleStore } from '../../src/throttle/index.js';
import { PASSWORD, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { redisUrlForTests } from '../helpers/redis.js';

const redisUrl = await redisUrlForTests('login concurrency on Redis');
const prefix = `${REDIS_KEY_PREFIX}test-${randomUUID()}:`;

const stores: { name: string; open: () => ThrottleStore }[] = [
  { name: 'memory', open: () => new MemoryStore() },
];
if (redisUrl) {
  stores.push({ name: 'Redis', open: () => new RedisStore({ url: redisUrl, prefix, onError: () => {} }) });
  after(async () => {
    const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
    const keys = await admin.keys(`${prefix}*`).catch(() => []);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });
}

function loginFrom(app: FastifyInstance, ip: string, email: string, password: string) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
}

function countStatuses(codes: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

for (const dialect of dialects()) {
  for (const store of stores) {
    describe(`concurrent logins on ${dialect.name} with the ${store.name} throttle store`, () => {
      test('40 concurrent wrong passwords for one account from one IP get at most 10 × 401, the rest 429', async (t) => {
        const { app } = await startApp(t, dialect, { build: { throttleStore: store.open() } });
        await signUp(app, 'victim@example.com');
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            loginFrom(app, '198.51.100.1', 'victim@example.com', `guess ${i}`),
          ),
        );
        const counts = countStatuses(results.map((r) => r.statusCode));
        assert.ok((counts[401] ?? 0) <= 10, `statuses ${JSON.stringify(counts)}`);
        assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), 40, `statuses ${JSON.stringify(counts)}`);
        assert.equal((await loginFrom(app, '198.51.100.1', 'victim@example.com', PASSWORD)).statusCode, 429);
        assert.equal(
          (await loginFrom(app, '198.51.100.2', 'victim@example.com', PASSWORD)).statusCode,
          200,
          'another IP still signs in: only the account+IP pair is spent',
        );
      });

      test('120 concurrent wrong passwords from 12 IPs get at most 50 × 401 (the account limit), the rest 429', async (t) => {
        const { app } = await startApp(t, dialect, { build: { throttleStore: store.open() } });
        await signUp(app, 'target@example.com');
        const results = await Promise.all(
          Array.from({ length: 120 }, (_, i) =>
            loginFrom(app, `203.0.113.${1 + (i % 12)}`, 'target@example.com', `guess ${i}`),
          ),
        );
        const counts = countStatuses(results.map((r) => r.statusCode));
        assert.ok((counts[401] ?? 0) <= 50, `statuses ${JSON.stringify(counts)}`);
        assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), 120, `statuses ${JSON.stringify(counts)}`);
      });
    });
  }
}
