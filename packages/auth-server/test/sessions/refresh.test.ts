import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, post, problem, signUp, startApp, TEST_SECRET } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`refresh token rotation on ${dialect.name}`, () => {
    test('returns 401 session_expired once SESSION_MAX_DAYS have passed since sign-in, however recently refreshed', async (t) => {
      const { app, testDb } = await startApp(t, dialect, { env: { SESSION_MAX_DAYS: '90' } });
      const session = await signUp(app, 'aged@example.com');
      const age = (days: number) =>
        testDb.db
          .updateTable('sessions')
          .set({ created_at: sql`now() - make_interval(days => ${days})` })
          .execute();
      await age(89);
      const young = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(young.statusCode, 200, 'an 89-day-old session still refreshes');
      await age(91);
      const old = await post(app, '/api/auth/refresh', { refreshToken: young.json().refreshToken });
      assert.equal(old.statusCode, 401);
      const body = problem(old);
      assert.equal(body.code, 'session_expired');
      assert.match(String(body.detail), /90 days/);
      const again = await post(app, '/api/auth/refresh', { refreshToken: young.json().refreshToken });
      assert.equal(again.statusCode, 401, 'the session stays ended');
      const me = await app.inject({ url: '/api/users/me', headers: bearer(young.json().accessToken) });
      assert.equal(me.statusCode, 401, 'its access tokens stop working too');
    });

    test('a refresh token never outlives its session (SESSION_MAX_DAYS shorter than REFRESH_TOKEN_DAYS)', async (t) => {
      const { app, testDb } = await startApp(t, dialect, {
        env: { SESSION_MAX_DAYS: '2', REFRESH_TOKEN_DAYS: '30' },
      });
      const session = await signUp(app, 'short-session@example.com');
      await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      const rows = await testDb.db
        .selectFrom('refresh_tokens')
        .select(['created_at', 'expires_at'])
        .execute();
      for (const row of rows) {
        const lifetime = new Date(row.expires_at).getTime() - new Date(row.created_at).getTime();
        assert.ok(lifetime <= 2 * 86_400_000 + 5000, `refresh token lives ${lifetime} ms`);
      }
    });

    test('stores refresh tokens only as SHA-256 hashes chained parent to child', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const session = await signUp(app, 'chain@example.com');
      const next = (await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken })).json();
      const rows = await testDb.db.selectFrom('refresh_tokens').selectAll().orderBy('created_at').execute();
      assert.equal(rows.length, 2);
      const [first, second] = rows as [(typeof rows)[0], (typeof rows)[0]];
      for (const row of rows) {
        assert.match(row.token_hash, /^[0-9a-f]{64}$/);
        assert.ok(row.token_hash !== session.refreshToken && row.token_hash !== next.refreshToken);
      }
      assert.equal(second.parent_id, first.id);
      assert.ok(first.rotated_at);
      assert.equal(second.rotated_at, null);
    });

    test('the token just rotated out, presented again within 10 s, returns the same successor', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'grace@example.com');
      const a = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      const b = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(a.statusCode, 200);
      assert.equal(b.statusCode, 200);
      assert.equal(b.json().refreshToken, a.json().refreshToken);
      const me = await app.inject({ url: '/api/users/me', headers: bearer(b.json().accessToken) });
      assert.equal(me.statusCode, 200, 'the session stays alive');
    });

    test('ten concurrent refreshes of one token all succeed with one successor and the session stays alive', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'ten@example.com');
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          post(app, '/api/auth/refresh', { refreshToken: session.refreshToken }),
        ),
      );
      for (const res of results) assert.equal(res.statusCode, 200, res.body);
      const successors = new Set(results.map((r) => r.json().refreshToken));
      assert.equal(successors.size, 1);
      const [successor] = [...successors];
      const next = await post(app, '/api/auth/refresh', { refreshToken: successor });
      assert.equal(next.statusCode, 200);
    });

    test('returns 401 refresh_token_reused and revokes the session when a rotated token is replayed after 10 s', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const session = await signUp(app, 'late@example.com');
      const next = (await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken })).json();
      await sql`UPDATE refresh_tokens SET rotated_at = now() - interval '11 seconds' WHERE rotated_at IS NOT NULL`.execute(
        testDb.db,
      );
      const replay = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(replay.statusCode, 401);
      assert.equal(problem(replay).code, 'refresh_token_reused');
      const legit = await post(app, '/api/auth/refresh', { refreshToken: next.refreshToken });
      assert.equal(legit.statusCode, 401, 'the whole session is revoked');
      const me = await app.inject({ url: '/api/users/me', headers: bearer(next.accessToken) });
      assert.equal(me.statusCode, 401);
      const event = await testDb.db
        .selectFrom('auth_events')
        .selectAll()
        .where('type', '=', 'refresh_token_reused')
        .executeTakeFirst();
      assert.ok(event, 'reuse is an auth event');
    });

    test('returns 401 refresh_token_reused when an old token is replayed, even within 10 s', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'old@example.com');
      const second = (await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken })).json();
      const third = (await post(app, '/api/auth/refresh', { refreshToken: second.refreshToken })).json();
      const replay = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(replay.statusCode, 401);
      assert.equal(problem(replay).code, 'refresh_token_reused');
      assert.equal(
        (await post(app, '/api/auth/refresh', { refreshToken: third.refreshToken })).statusCode,
        401,
      );
    });

    test('an expired refresh token answers 401 invalid_token', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const session = await signUp(app, 'exp@example.com');
      await testDb.db
        .updateTable('refresh_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      const res = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(res.statusCode, 401);
      assert.equal(problem(res).code, 'invalid_token');
    });
  });
}

describe('forged access tokens on GET /api/users/me', () => {
  const [dialect] = dialects();
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const sign = (header: unknown, claims: unknown, key = TEST_SECRET) => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  };

  test('rejects alg none, tampered, wrong key, wrong audience, expired (token_expired) and garbage', async (t) => {
    assert.ok(dialect);
    const { app } = await startApp(t, dialect);
    const session = await signUp(app, 'forge@example.com');
    const [h, p, s] = session.accessToken.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, string][] = [
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`, 'invalid_token'],
      ['tampered', `${h}.${b64({ ...claims, role: 'admin' })}.${s}`, 'invalid_token'],
      ['wrong key', sign(header, claims, 'x'.repeat(40)), 'invalid_token'],
      ['wrong audience', sign(header, { ...claims, aud: 'other' }), 'invalid_token'],
      ['expired', sign(header, { ...claims, iat: now - 1000, exp: now - 10 }), 'token_expired'],
      ['garbage', 'not-a-jwt', 'invalid_token'],
    ];
    for (const [name, token, code] of cases) {
      const res = await app.inject({ url: '/api/users/me', headers: bearer(token) });
      assert.equal(res.statusCode, 401, name);
      assert.equal(problem(res).code, code, name);
    }
    const none = await app.inject({ url: '/api/users/me' });
    assert.equal(none.statusCode, 401);
    assert.equal(problem(none).code, 'invalid_token');
    const ok = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
    assert.equal(ok.statusCode, 200);
  });
});
