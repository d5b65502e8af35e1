/**
 * Faults of the shared services under load (issue 13). These restart the machine's PostgreSQL
 * and stop its Redis: CI runs this file last and alone; each test puts the service back in a
 * `finally`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, startCluster } from './lib/cluster.mjs';
import { call, detectForm, login, PASSWORD, photo, randomIp, signUp } from './lib/journey.mjs';
import { loop, summary } from './lib/load.mjs';
import { until } from './lib/ports.mjs';
import { postgresIsReady, psql, restartPostgres } from './lib/postgres.mjs';
import { redisIsUp, startRedis, stopRedis } from './lib/redis.mjs';

const RECOVERY_MS = 5_000;
const TIMEOUT = () => AbortSignal.timeout(10_000);
let cluster;

before(async () => {
  cluster = await startCluster({ authServers: 2, emotionApis: 1 });
});
after(async () => {
  await cluster?.stop();
});

const sidOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).sid;

async function timedCall(base, path, options) {
  const res = await fetch(base + path, { ...options, signal: TIMEOUT() });
  const body = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : undefined;
  return { status: res.status, body };
}

describe('faults of the shared services', () => {
  test('PostgreSQL restarted under login and /logs: no 500, 503 only in the outage, recovery within 5 s, no row lost', async () => {
    const user = await signUp(cluster.nginx.apiUrl, cluster.smtp);
    const first = await login(cluster.nginx.apiUrl, user.email, user.ip);
    const token = first.body.accessToken;
    const auth = cluster.nginx.authUrl;
    const logins = loop('login', async () => {
      const res = await timedCall(auth, '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
        body: JSON.stringify({ email: user.email, password: PASSWORD }),
      });
      return { ...res, extra: res.status === 200 ? sidOf(res.body.accessToken) : undefined };
    });
    const logs = loop('logs', () =>
      timedCall(cluster.nginx.apiUrl, '/logs?limit=5', { headers: { authorization: `Bearer ${token}` } }),
    );
    const detections = loop(
      'detect',
      async () => {
        const res = await timedCall(cluster.nginx.apiUrl, '/detect', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: detectForm(photo(REPO_ROOT)),
        });
        return { ...res, extra: res.status === 200 ? res.body.id : undefined };
      },
      { pauseMs: 500 },
    );
    let restarted;
    try {
      await sleep(1_500);
      const restarting = Date.now();
      try {
        await restartPostgres();
      } finally {
        restarted = Date.now();
        await until('PostgreSQL', postgresIsReady, 30_000, 200);
      }
      console.log(`pg_ctlcluster restart took ${restarted - restarting} ms`);
      await sleep(RECOVERY_MS + 2_000);
    } finally {
      if (!postgresIsReady()) await restartPostgres();
      await Promise.all([logins.stop(), logs.stop(), detections.stop()]);
    }
    const all = [...logins.results, ...logs.results, ...detections.results];
    console.log(`login: ${summary(logins.results)}; /logs: ${summary(logs.results)}`);
    console.log(`detect: ${summary(detections.results)}`);

    for (const r of all) {
      assert.ok(r.status === 200 || r.status === 503, `${r.name} answered ${r.status} ${r.code ?? ''}`);
      if (r.status === 503) {
        assert.equal(r.code, 'service_unavailable', `${r.name} 503 code`);
        assert.ok(r.at <= restarted + RECOVERY_MS, `${r.name} 503 ${r.at - restarted} ms after the restart`);
      }
    }
    for (const results of [logins.results, logs.results]) {
      const recovered = results.find((r) => r.sent >= restarted && r.status === 200);
      assert.ok(recovered && recovered.at - restarted <= RECOVERY_MS, `${results[0].name} recovered in time`);
    }
    const sids = logins.results.filter((r) => r.status === 200).map((r) => r.extra);
    assert.ok(sids.length > 0);
    const stored = new Set(
      psql(
        `SELECT id FROM sessions WHERE id IN (${sids.map((s) => `'${s}'`).join(',')})`,
        cluster.authDb.url,
      ).split('\n'),
    );
    assert.deepEqual(
      sids.filter((s) => !stored.has(s)),
      [],
      'every session that login answered 200 for is stored',
    );
    {
      const ids = detections.results.filter((r) => r.status === 200).map((r) => r.extra);
      const listed = await call(cluster.nginx.apiUrl, `/logs?limit=100`, { token });
      const have = new Set(listed.body.items.map((p) => p.id));
      assert.deepEqual(
        ids.filter((id) => !have.has(id)),
        [],
        'every detection answered 200 is listed',
      );
    }
  });

  test('Redis stopped and started: no 500, rate limiting goes on from memory, then from Redis again', async () => {
    const [one] = cluster.auth;
    const health = async () => (await call(one.url, '/api/health')).body;
    assert.equal((await health()).redis, 'ok');
    const { email } = await signUp(cluster.nginx.apiUrl, cluster.smtp);
    const wrong = (base, ip) =>
      call(base, '/api/auth/login', { method: 'POST', ip, body: { email, password: 'not the password 1' } });
    const logins = loop('login', () =>
      timedCall(cluster.nginx.authUrl, '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
        body: JSON.stringify({ email, password: PASSWORD }),
      }),
    );
    try {
      await sleep(500);
      stopRedis();
      await until('Redis down', () => !redisIsUp(), 5_000);
      await until('/api/health redis: down', async () => (await health()).redis === 'down', 10_000);
      assert.equal((await call(one.url, '/api/health')).status, 200, 'Redis down is no 503');
      const ip = randomIp();
      for (let i = 0; i < 10; i++) assert.equal((await wrong(one.url, ip)).status, 401);
      const limited = await wrong(one.url, ip);
      assert.equal(limited.status, 429, 'the limit holds from memory');
      assert.equal(limited.body.code, 'rate_limited');
    } finally {
      startRedis();
    }
    try {
      await until('Redis up', redisIsUp, 10_000);
      await until(
        '/api/health redis: ok on every instance',
        async () => {
          const states = await Promise.all(
            cluster.auth.map(async (s) => (await call(s.url, '/api/health')).body.redis),
          );
          return states.every((s) => s === 'ok');
        },
        15_000,
      );
      const ip = randomIp();
      for (let i = 0; i < 10; i++) assert.equal((await wrong(cluster.nginx.authUrl, ip)).status, 401);
      const limited = await wrong(cluster.nginx.authUrl, ip);
      assert.equal(limited.status, 429, 'counted across instances in Redis again');
    } finally {
      await logins.stop();
    }
    console.log(`login during the Redis outage: ${summary(logins.results)}`);
    for (const r of logins.results) assert.equal(r.status, 200, `login answered ${r.status} ${r.code ?? ''}`);
  });
});
