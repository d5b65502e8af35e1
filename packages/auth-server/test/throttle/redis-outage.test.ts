/**
 * Redis going away while auth-server runs (REDIS_URL set): rate limiting goes on from memory with
 * one warning per outage, /api/health says `redis: "down"` (still 200), no request answers 500,
 * and the counters go back to Redis once it returns. Against a redis-server this test starts,
 * kills and restarts itself (test/helpers/redis-server.ts).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { login, PASSWORD, register, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { FallbackStore } from '../../src/throttle/index.js';
import { freePort } from '../helpers/ports.js';
import { startOwnRedis } from '../helpers/redis-server.js';
import { runStoreSuite } from './store-suite.js';

const OUTAGE = /Redis is unreachable/;
const BACK = /Redis is back/;

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function throttleKeys(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    return (await client.keys('auth:throttle:*')).length;
  } finally {
    client.disconnect();
  }
}

// The store does not depend on the database: one dialect (PGlite) is enough.
const dialect = dialects()[0];
if (!dialect) throw new Error('no dialect');

describe(`Redis outage on ${dialect.name}`, () => {
  test('rate limiting continues from memory, health says redis down, then Redis is used again', async (t) => {
    const redis = await startOwnRedis(t);
    const logs: { msg: string; level: number }[] = [];
    const stream = { write: (line: string) => logs.push(JSON.parse(line)) };
    const { app } = await startApp(t, dialect, {
      env: { REDIS_URL: redis.url, RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/60' },
      build: { logger: { level: 'info', stream } },
    });
    const health = async () => (await app.inject({ url: '/api/health' })).json();
    const count = (pattern: RegExp) => logs.filter((l) => pattern.test(l.msg)).length;

    assert.deepEqual(await health(), { status: 'ok', db: 'ok', redis: 'ok' });
    await signUp(app, 'redis@example.com');
    assert.equal((await login(app, 'redis@example.com', 'wrong password')).statusCode, 401);
    assert.ok((await throttleKeys(redis.url)) > 0, 'counters are in Redis while it is up');

    await redis.kill();
    await waitFor('health to report redis down', async () => (await health()).redis === 'down');
    const res = await app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 200, 'Redis down is not an outage of auth-server');
    assert.deepEqual(res.json(), { status: 'ok', db: 'ok', redis: 'down' });

    // A fresh account: the memory store counts from zero, and still refuses the 4th failure.
    await signUp(app, 'memory@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(app, 'memory@example.com', 'wrong')).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    assert.equal(
      (await login(app, 'memory@example.com', PASSWORD)).statusCode,
      429,
      'limit holds for the right password too',
    );
    for (let i = 0; i < 10; i++) {
      const reg = await register(app, `during-outage-${i}@example.com`);
      assert.equal(reg.statusCode, 201);
    }
    assert.equal(count(OUTAGE), 1, 'one warning for the whole outage, not one per request');
    assert.ok(
      logs.every((l) => l.level < 50),
      `no error logs: ${JSON.stringify(logs.filter((l) => l.level >= 50))}`,
    );

    await redis.start();
    await waitFor('health to report redis ok', async () => (await health()).redis === 'ok');
    assert.equal(count(BACK), 1);
    assert.equal(await throttleKeys(redis.url), 0, 'the restarted Redis is empty');
    assert.equal((await login(app, 'redis@example.com', 'wrong password')).statusCode, 401);
    assert.ok((await throttleKeys(redis.url)) > 0, 'counters are in Redis again');

    await redis.kill();
    await waitFor('the second outage', async () => (await health()).redis === 'down');
    assert.equal((await login(app, 'redis@example.com', 'wrong password')).statusCode, 401);
    assert.equal(count(OUTAGE), 2, 'one warning per outage');
  });
});

const quiet = { warn() {}, info() {} };

runStoreSuite('FallbackStore with Redis up', async () => {
  const redis = await startOwnRedis({ after });
  const store = new FallbackStore({ url: redis.url, log: quiet });
  await store.connected();
  assert.equal(store.state, 'ok');
  return store;
});

runStoreSuite('FallbackStore with Redis unreachable (memory)', async () => {
  const store = new FallbackStore({ url: `redis://127.0.0.1:${await freePort()}`, log: quiet });
  assert.equal(store.state, 'down');
  return store;
});
