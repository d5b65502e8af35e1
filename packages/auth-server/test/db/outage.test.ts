/**
 * PostgreSQL going away: /api/health answers 503 `db: "down"`, requests that need the database
 * 503 `service_unavailable` (never a 500), the process keeps running, and everything works again
 * within 5 s of the database coming back. The real outage runs against TEST_DATABASE_URL through
 * a TCP proxy the test cuts (test/helpers/tcp-proxy.ts); the shared server is never stopped.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { openDb } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { isDatabaseUnavailable } from '@emotion-app/service-kit';
import {
  bearer,
  login,
  PASSWORD,
  post,
  problem,
  register,
  signUp,
  startApp,
  testConfig,
} from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const NO_LIMITS = { RATE_LIMIT_LOGIN_IP: '100000/60', RATE_LIMIT_REGISTER: '100000/60' };

describe('isDatabaseUnavailable', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  test('recognizes lost and refused connections, shutdowns and pool connect timeouts', () => {
    for (const err of [
      coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      coded('ECONNRESET', 'read ECONNRESET'),
      coded('57P01', 'terminating connection due to administrator command'),
      coded('57P02'),
      coded('57P03', 'the database system is starting up'),
      coded('08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([coded('ECONNREFUSED')], 'connect failed'),
      new Error('wrapped', { cause: coded('ECONNRESET') }),
    ]) {
      assert.ok(isDatabaseUnavailable(err), String(err));
    }
  });

  test('leaves query errors and everything else alone (those stay 500s or their own problems)', () => {
    for (const err of [
      coded('23505', 'duplicate key value violates unique constraint'),
      coded('42P01', 'relation "users" does not exist'),
      new Error('boom'),
      'ECONNREFUSED',
      undefined,
    ]) {
      assert.equal(isDatabaseUnavailable(err), false, String(err));
    }
  });
});

for (const dialect of dialects()) {
  describe(`database unreachable on ${dialect.name}`, () => {
    test('requests needing the database answer 503 service_unavailable, /metrics still answers', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'outage@example.com');
      // Every query and transaction of the app asks this executor for a connection.
      t.mock.method(app.ctx.db.getExecutor(), 'provideConnection', async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      });
      const health = await app.inject({ url: '/api/health' });
      assert.equal(health.statusCode, 503);
      assert.deepEqual(health.json(), { status: 'error', db: 'down' });
      for (const res of [
        await login(app, 'outage@example.com'),
        await register(app, 'new@example.com'),
        await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken }),
        await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) }),
      ]) {
        assert.equal(res.statusCode, 503, res.body);
        assert.equal(problem(res).code, 'service_unavailable');
        assert.equal(res.headers['retry-after'], '5');
      }
      assert.equal((await app.inject({ url: '/metrics' })).statusCode, 200);
    });
  });
}

const url = process.env.TEST_DATABASE_URL;

describe('PostgreSQL outage through a TCP proxy', () => {
  test('no 500 while it is cut, 503s during the outage only, recovery within 5 s of its return', {
    skip: url ? false : 'needs TEST_DATABASE_URL',
  }, async (t) => {
    const target = new URL(url ?? '');
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(target);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const db = await openDb({ databaseUrl: proxied.toString(), schema, poolSize: 5, connectTimeoutMs: 2000 });
    await migrateToLatest(db);
    const config = testConfig(NO_LIMITS);
    const app = await buildApp(config, { db, logger: false });
    t.after(async () => {
      await app.close();
      await db.destroy();
      await proxy.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      rmSync(config.dataDir, { recursive: true, force: true });
    });

    const session = await signUp(app, 'pg-outage@example.com');
    const statuses = new Map<number, number>();
    let looping = true;
    const loop = (async () => {
      for (let i = 0; looping; i++) {
        const res = await login(app, 'pg-outage@example.com', i % 3 === 0 ? 'wrong password' : PASSWORD);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 503) assert.equal(problem(res).code, 'service_unavailable');
        await sleep(10);
      }
    })();

    await sleep(300);
    await proxy.cut();
    const health = await app.inject({ url: '/api/health' });
    assert.equal(health.statusCode, 503);
    assert.deepEqual(health.json(), { status: 'error', db: 'down' });
    for (const res of [
      await register(app, 'during@example.com'),
      await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken }),
      await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) }),
    ]) {
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(problem(res).code, 'service_unavailable');
    }
    await sleep(1000);

    await proxy.restore();
    const restoredAt = Date.now();
    const deadline = restoredAt + 5000;
    while ((await app.inject({ url: '/api/health' })).statusCode !== 200) {
      assert.ok(Date.now() < deadline, 'health is 200 again within 5 s');
      await sleep(100);
    }
    t.diagnostic(`health 200 again ${Date.now() - restoredAt} ms after the proxy was restored`);
    assert.equal((await login(app, 'pg-outage@example.com')).statusCode, 200);
    const me = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
    assert.equal(me.statusCode, 200);
    await sleep(300);
    looping = false;
    await loop;

    t.diagnostic(`login statuses over the outage: ${JSON.stringify(Object.fromEntries(statuses))}`);
    const seen = [...statuses.keys()].sort();
    assert.ok(
      seen.every((s) => s === 200 || s === 401 || s === 429 || s === 503),
      `login statuses ${JSON.stringify([...statuses])}`,
    );
    assert.ok(statuses.get(503), 'the outage was seen');
    assert.ok(statuses.get(200), 'logins succeeded around it');
    const rows = await db.selectFrom('users').select('email').execute();
    assert.deepEqual(
      rows.map((r) => r.email),
      ['pg-outage@example.com'],
      'nothing lost, nothing half-written',
    );
  });
});
