/**
 * Two auth-server instances on one PostgreSQL (DESIGN §7, §8): an event written through instance A
 * is delivered by instance B's stream. Each instance has its own connection pool and notifier,
 * as two processes would. Needs TEST_DATABASE_URL: without it the test is skipped with a reason;
 * `.ci/run` runs it against PostgreSQL, and fails when PostgreSQL is missing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { RevocationEvent } from '@emotion-app/protocol';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { openDb } from '../../src/db/connect.js';
import { bearer, login, post, signUp, TEST_SERVICE_KEY, testConfig } from '../helpers/app.js';
import { openSse } from '../helpers/sse.js';

const url = process.env.TEST_DATABASE_URL;

/** Cleanups, run last-in first-out by one `after` hook. */
type Cleanups = (() => Promise<void> | void)[];

async function instance(cleanups: Cleanups, schema: string) {
  const config = testConfig({ JWT_ALG: 'ES256' });
  const db = await openDb({ databaseUrl: url, schema, poolSize: 3 });
  const app = await buildApp(config, { logger: false, db });
  cleanups.push(async () => {
    await app.close();
    await db.destroy();
    rmSync(config.dataDir, { recursive: true, force: true });
  });
  return { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
}

describe('two auth-server instances on one PostgreSQL', () => {
  if (!url) {
    // The embedded run of `npm test` has no PostgreSQL; `.ci/run` runs this suite again with
    // TEST_DATABASE_URL set, and that run fails when PostgreSQL is missing.
    test('an event written through A is delivered by B', {
      skip: 'needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test), as .ci/run does',
    });
    return;
  }

  test('an event written through A is delivered by B within 2 s, and B signs-in tokens verify on A', async (t) => {
    const cleanups: Cleanups = [];
    t.after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });
    const a = await instance(cleanups, schema);
    const b = await instance(cleanups, schema);

    const conn = await openSse(`${b.url}/api/auth/revocations/stream`, bearer(TEST_SERVICE_KEY));
    cleanups.push(() => conn.close());
    assert.equal(conn.status, 200);
    await conn.line((l) => l === ': connected');

    const session = await signUp(a.app, 'two@example.com');
    const sid = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString()).sid;
    await post(a.app, '/api/auth/logout', {}, bearer(session.accessToken));
    const message = await conn.next((m) => (JSON.parse(m.data) as RevocationEvent).sid === sid, 2000);
    assert.equal(JSON.parse(message.data).type, 'session_revoked');

    // One key ring for both: a token signed by B verifies on A.
    const other = (await login(b.app, 'two@example.com')).json();
    const me = await a.app.inject({ url: '/api/users/me', headers: bearer(other.accessToken) });
    assert.equal(me.statusCode, 200);
  });
});
