/**
 * Every revocation writes its feed event in the same statement or transaction (DESIGN §7):
 * logout (each scope), session delete, refresh-token reuse, session expiry, password change and
 * password reset (which also writes user_tokens_revoked).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.js';
import { bearer, latestToken, login, post, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

interface Row {
  type: string;
  sid: string | null;
  sub: string | null;
  not_before: string | null;
}

async function events(db: Db): Promise<Row[]> {
  const { rows } =
    await sql<Row>`SELECT type, sid, sub, not_before FROM revocation_events ORDER BY id`.execute(db);
  return rows;
}

const sidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid as string;

async function sessions(app: FastifyInstance, email: string, n: number) {
  const first = await signUp(app, email);
  const more = [];
  for (let i = 1; i < n; i++) more.push((await login(app, email)).json());
  return [first, ...more];
}

for (const dialect of dialects()) {
  describe(`revocation events on ${dialect.name}`, () => {
    test('logout local, others and global each write one session_revoked per revoked session', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const [a, b, c, d] = await sessions(app, 'scopes@example.com', 4);
      assert.ok(a && b && c && d);
      const sub = a.user.id;
      assert.equal((await post(app, '/api/auth/logout', {}, bearer(a.accessToken))).statusCode, 204);
      assert.deepEqual(await events(testDb.db), [
        { type: 'session_revoked', sid: sidOf(a.accessToken), sub, not_before: null },
      ]);
      await post(app, '/api/auth/logout', { scope: 'others' }, bearer(b.accessToken));
      const afterOthers = (await events(testDb.db)).slice(1);
      assert.deepEqual(
        afterOthers.map((e) => e.sid).sort(),
        [sidOf(c.accessToken), sidOf(d.accessToken)].sort(),
      );
      await post(app, '/api/auth/logout', { scope: 'global' }, bearer(b.accessToken));
      const all = await events(testDb.db);
      assert.equal(all.length, 4);
      assert.equal(all[3]?.sid, sidOf(b.accessToken));
      // Nothing left to revoke: no event.
      await post(app, '/api/auth/logout', { refreshToken: b.refreshToken });
      assert.equal((await events(testDb.db)).length, 4);
    });

    test('deleting a session writes its event; deleting an unknown one writes none', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const [a, b] = await sessions(app, 'delete@example.com', 2);
      assert.ok(a && b);
      const del = (id: string) =>
        app.inject({ method: 'DELETE', url: `/api/users/me/sessions/${id}`, headers: bearer(a.accessToken) });
      assert.equal((await del(sidOf(b.accessToken))).statusCode, 204);
      assert.equal((await del('00000000-0000-4000-8000-000000000000')).statusCode, 404);
      assert.deepEqual(await events(testDb.db), [
        { type: 'session_revoked', sid: sidOf(b.accessToken), sub: a.user.id, not_before: null },
      ]);
    });

    test('refresh-token reuse and session expiry write the event of the session they end', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const [a, b] = await sessions(app, 'reuse@example.com', 2);
      assert.ok(a && b);
      const r1 = (await post(app, '/api/auth/refresh', { refreshToken: a.refreshToken })).json();
      await post(app, '/api/auth/refresh', { refreshToken: r1.refreshToken });
      const reused = await post(app, '/api/auth/refresh', { refreshToken: a.refreshToken });
      assert.equal(reused.json().code, 'refresh_token_reused');
      await testDb.db
        .updateTable('sessions')
        .set({ created_at: sql`now() - make_interval(days => 91)` })
        .where('id', '=', sidOf(b.accessToken))
        .execute();
      const expired = await post(app, '/api/auth/refresh', { refreshToken: b.refreshToken });
      assert.equal(expired.json().code, 'session_expired');
      assert.deepEqual(
        (await events(testDb.db)).map((e) => [e.type, e.sid]),
        [
          ['session_revoked', sidOf(a.accessToken)],
          ['session_revoked', sidOf(b.accessToken)],
        ],
      );
    });

    test('a password change revokes the other sessions with their events, not the current one', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const [a, b] = await sessions(app, 'change@example.com', 2);
      assert.ok(a && b);
      const res = await post(
        app,
        '/api/users/me/password',
        { currentPassword: 'correct horse battery staple', newPassword: 'a brand new passphrase' },
        bearer(a.accessToken),
      );
      assert.equal(res.statusCode, 204);
      assert.deepEqual(
        (await events(testDb.db)).map((e) => [e.type, e.sid]),
        [['session_revoked', sidOf(b.accessToken)]],
      );
    });

    test('a password reset writes session_revoked for every session and user_tokens_revoked with notBefore = now', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const [a, b] = await sessions(app, 'reset@example.com', 2);
      assert.ok(a && b);
      await post(app, '/api/auth/forgot-password', { email: 'reset@example.com' });
      let token: string | undefined;
      for (let i = 0; i < 100 && !token; i++) {
        token = await latestToken(app, 'reset@example.com', '/reset-password').catch(() => undefined);
        if (!token) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(token);
      const before = Math.floor(Date.now() / 1000);
      const res = await post(app, '/api/auth/reset-password', { token, password: 'a brand new passphrase' });
      assert.equal(res.statusCode, 204);
      const after = Math.floor(Date.now() / 1000);
      const rows = await events(testDb.db);
      const userEvent = rows.find((e) => e.type === 'user_tokens_revoked');
      assert.equal(userEvent?.sub, a.user.id);
      assert.equal(userEvent?.sid, null);
      const notBefore = Number(userEvent?.not_before);
      assert.ok(notBefore >= before && notBefore <= after, `${notBefore} in [${before}, ${after}]`);
      assert.deepEqual(
        rows
          .filter((e) => e.type === 'session_revoked')
          .map((e) => e.sid)
          .sort(),
        [sidOf(a.accessToken), sidOf(b.accessToken)].sort(),
      );
    });
  });
}
