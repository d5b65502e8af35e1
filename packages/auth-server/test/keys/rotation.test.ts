/**
 * Rotation (DESIGN §7): the next key is published at once and signs after
 * KEY_ROTATION_DELAY_SECONDS (or at once with immediate), tokens of the previous key keep
 * verifying until they expire, and every instance on the same database follows.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, type TestContext, test } from 'node:test';
import type { SigningKeyInfo } from '@emotion-app/protocol';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { deriveStatuses, KeyRing } from '../../src/keys/ring.js';
import {
  bearer,
  login,
  post,
  problem,
  signUp,
  startApp,
  TEST_SECRET,
  TEST_SERVICE_KEY,
  testConfig,
} from '../helpers/app.js';
import type { TestDb } from '../helpers/db.js';
import { dialects } from '../helpers/db.js';
import { decodeSegment } from '../helpers/jws.js';

const service = bearer(TEST_SERVICE_KEY);
const kidOf = (token: string) => decodeSegment(token, 0).kid as string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function keys(app: FastifyInstance): Promise<SigningKeyInfo[]> {
  const res = await app.inject({ url: '/api/admin/keys', headers: service });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().keys;
}

async function jwksKids(app: FastifyInstance): Promise<string[]> {
  return (await app.inject({ url: '/.well-known/jwks.json' })).json().keys.map((k: { kid: string }) => k.kid);
}

async function rotate(app: FastifyInstance, body?: unknown): Promise<SigningKeyInfo[]> {
  const res = await post(app, '/api/admin/keys/rotate', body, service);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().keys;
}

/** A second auth-server on the same database, as another instance behind a load balancer. */
async function secondInstance(t: TestContext, testDb: TestDb, env: Record<string, string>) {
  const config = testConfig(env);
  const app = await buildApp(config, { logger: false, db: testDb.db });
  t.after(async () => {
    await app.close();
    rmSync(config.dataDir, { recursive: true, force: true });
  });
  return app;
}

describe('deriveStatuses', () => {
  const at = (s: number) => ({ activates_at: new Date(s * 1000) });
  const activation = (k: { activates_at: Date }) => k.activates_at;
  const statuses = (rows: { activates_at: Date }[], now: number) =>
    deriveStatuses(rows, activation, now * 1000, 100_000);

  test('the latest active key is current, later ones next, earlier ones previous until retention ends', () => {
    const rows = [at(0), at(100), at(200), at(1000)];
    const status = (now: number) => {
      const { live, expired } = statuses(rows, now);
      return { live: live.map((s) => s.status), expired: expired.map((r) => rows.indexOf(r)) };
    };
    assert.deepEqual(status(150), { live: ['previous', 'current', 'next', 'next'], expired: [] });
    // row 0's successor activated at 100: it is kept until 100 + retention (100 s).
    assert.deepEqual(status(250), { live: ['previous', 'current', 'next'], expired: [0] });
    assert.deepEqual(status(301), { live: ['current', 'next'], expired: [0, 1] });
    assert.deepEqual(status(-1), { live: ['next', 'next', 'next', 'next'], expired: [] });
  });
});

for (const dialect of dialects()) {
  describe(`signing-key rotation on ${dialect.name}`, () => {
    test('delayed: the next key is published at once, signs after KEY_ROTATION_DELAY_SECONDS, old tokens keep verifying', async (t) => {
      const { app } = await startApp(t, dialect, {
        env: { JWT_ALG: 'ES256', KEY_ROTATION_DELAY_SECONDS: '2' },
      });
      const first = await signUp(app, 'rotate@example.com');
      const [k1] = await keys(app);
      assert.equal(k1?.status, 'current');
      assert.equal(kidOf(first.accessToken), k1?.kid);

      const rotated = await rotate(app, {});
      assert.deepEqual(
        rotated.map((k) => k.status),
        ['next', 'current'],
      );
      const k2 = rotated[0]?.kid as string;
      assert.deepEqual((await jwksKids(app)).sort(), [k1?.kid, k2].sort());
      assert.equal(kidOf((await login(app, 'rotate@example.com')).json().accessToken), k1?.kid);

      await sleep(2100);
      assert.deepEqual(
        (await keys(app)).map((k) => [k.kid, k.status]),
        [
          [k2, 'current'],
          [k1?.kid, 'previous'],
        ],
      );
      const second = (await login(app, 'rotate@example.com')).json();
      assert.equal(kidOf(second.accessToken), k2);
      for (const token of [first.accessToken, second.accessToken]) {
        assert.equal((await app.inject({ url: '/api/users/me', headers: bearer(token) })).statusCode, 200);
      }
      assert.equal((await jwksKids(app)).length, 2);
    });

    test('immediate: the new key signs at once; a pending next key is replaced, not stacked', async (t) => {
      const { app } = await startApp(t, dialect, { env: { JWT_ALG: 'EdDSA' } });
      const first = await signUp(app, 'now@example.com');
      const [pending] = await rotate(app); // no body: delayed by the default 600 s
      assert.equal(pending?.status, 'next');
      const rotated = await rotate(app, { immediate: true });
      assert.deepEqual(
        rotated.map((k) => k.status),
        ['current', 'previous'],
      );
      assert.ok(!rotated.some((k) => k.kid === pending?.kid), 'the pending key was replaced');
      const second = (await login(app, 'now@example.com')).json();
      assert.equal(kidOf(second.accessToken), rotated[0]?.kid);
      assert.equal(
        (await app.inject({ url: '/api/users/me', headers: bearer(first.accessToken) })).statusCode,
        200,
      );
    });

    test('a previous key leaves the JWKS and the table once its tokens have expired', async (t) => {
      const { app, testDb } = await startApp(t, dialect, { env: { JWT_ALG: 'RS256' } });
      let now = Date.now();
      const ring = await KeyRing.open(testDb.db, {
        alg: 'RS256',
        secret: TEST_SECRET,
        accessTtlSeconds: 900,
        rotationDelaySeconds: 600,
        log: app.log,
        now: () => now,
      });
      t.after(() => ring.close());
      const [current] = ring.list();
      await ring.rotate(true);
      assert.equal(ring.jwks().keys.length, 2);
      now += 900_000 + 59_000;
      await ring.reload();
      assert.equal(ring.jwks().keys.length, 2, 'kept for JWT_MAXAGE + 60 s');
      now += 2_000;
      await ring.reload();
      assert.deepEqual(
        ring.jwks().keys.map((k) => k.kid),
        ring.list().map((k) => k.kid),
      );
      assert.equal(ring.jwks().keys.length, 1);
      const { rows } = await sql<{ kid: string }>`SELECT kid FROM signing_keys`.execute(testDb.db);
      assert.ok(!rows.some((r) => r.kid === current?.kid), 'deleted from the table');
    });

    test('a failing re-read is logged once, not every interval, and its end once; the loaded keys keep working', async (t) => {
      const { app, testDb } = await startApp(t, dialect, { env: { JWT_ALG: 'ES256' } });
      const lines: { level: string; msg: string }[] = [];
      const record =
        (level: string) =>
        (...args: unknown[]) => {
          lines.push({ level, msg: String(args.find((a) => typeof a === 'string') ?? '') });
        };
      const log = Object.assign(Object.create(app.log), {
        error: record('error'),
        warn: record('warn'),
        info: record('info'),
      }) as typeof app.log;
      const ring = await KeyRing.open(testDb.db, {
        alg: 'ES256',
        secret: TEST_SECRET,
        accessTtlSeconds: 900,
        rotationDelaySeconds: 600,
        log,
        reloadMs: 10,
      });
      t.after(() => ring.close());
      const kid = ring.signingKey().kid;
      await sql`ALTER TABLE signing_keys RENAME TO signing_keys_away`.execute(testDb.db);
      try {
        await sleep(200);
        assert.equal(ring.signingKey().kid, kid, 'still signs with the loaded key');
      } finally {
        await sql`ALTER TABLE signing_keys_away RENAME TO signing_keys`.execute(testDb.db);
      }
      for (let i = 0; i < 100 && !lines.some((l) => l.level === 'info'); i++) await sleep(20);
      assert.deepEqual(
        lines.map((l) => l.level),
        ['error', 'info'],
        JSON.stringify(lines),
      );
      assert.match(lines[0]?.msg ?? '', /reload failed/);
      assert.match(lines[1]?.msg ?? '', /works again/);
    });

    test('another instance on the same database picks up a rotation: an unknown kid at once, the JWKS within 5 s', async (t) => {
      const env = { JWT_ALG: 'ES256' };
      const { app, testDb } = await startApp(t, dialect, { env });
      const other = await secondInstance(t, testDb, env);
      assert.deepEqual(await jwksKids(other), await jwksKids(app), 'one key for both instances');
      await signUp(app, 'multi@example.com');
      const [fresh] = await rotate(app, { immediate: true });
      const token = (await login(app, 'multi@example.com')).json().accessToken;
      assert.equal(kidOf(token), fresh?.kid);
      // `other` has not re-read the table yet: the unknown kid makes it do so.
      assert.equal((await other.inject({ url: '/api/users/me', headers: bearer(token) })).statusCode, 200);
      const [next] = await rotate(app);
      const deadline = Date.now() + 6000;
      while (!(await jwksKids(other)).includes(next?.kid as string)) {
        assert.ok(Date.now() < deadline, 'the other instance publishes the next key within 5 s');
        await sleep(200);
      }
    });

    test('admin routes: 401 without credentials, 403 for a user, 200 for the service key and an admin', async (t) => {
      const { app, testDb } = await startApp(t, dialect, { env: { JWT_ALG: 'ES256' } });
      const user = await signUp(app, 'plain@example.com');
      for (const [method, url] of [
        ['GET', '/api/admin/keys'],
        ['POST', '/api/admin/keys/rotate'],
      ] as const) {
        const none = await app.inject({ method, url });
        assert.equal(none.statusCode, 401);
        assert.equal(problem(none).code, 'invalid_token');
        const wrong = await app.inject({ method, url, headers: bearer('x'.repeat(43)) });
        assert.equal(problem(wrong).code, 'invalid_token');
        const forbidden = await app.inject({ method, url, headers: bearer(user.accessToken) });
        assert.equal(forbidden.statusCode, 403);
        assert.equal(problem(forbidden).code, 'forbidden');
      }
      await sql`UPDATE users SET role = 'admin' WHERE id = ${user.user.id}`.execute(testDb.db);
      const admin = (await login(app, 'plain@example.com')).json();
      const listed = await app.inject({ url: '/api/admin/keys', headers: bearer(admin.accessToken) });
      assert.equal(listed.statusCode, 200);
      const rotated = await post(
        app,
        '/api/admin/keys/rotate',
        { immediate: true },
        bearer(admin.accessToken),
      );
      assert.equal(rotated.statusCode, 200);
      assert.equal(rotated.json().keys.length, 2);
      const bad = await post(app, '/api/admin/keys/rotate', { immediate: 'yes' }, service);
      assert.equal(problem(bad).code, 'validation_failed');
    });

    test('HS256: GET lists the secret as the current key, rotate answers 409 conflict', async (t) => {
      const { app } = await startApp(t, dialect, { env: { JWT_ALG: 'HS256' } });
      const listed = await keys(app);
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.alg, 'HS256');
      assert.equal(listed[0]?.status, 'current');
      const res = await post(app, '/api/admin/keys/rotate', { immediate: true }, service);
      assert.equal(res.statusCode, 409);
      assert.equal(problem(res).code, 'conflict');
    });
  });
}
