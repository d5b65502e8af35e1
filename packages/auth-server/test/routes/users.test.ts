import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearer, login, PASSWORD, post, problem, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const NEW_PASSWORD = 'a brand new passphrase';

for (const dialect of dialects()) {
  describe(`/api/users/me on ${dialect.name}`, () => {
    test('GET returns the user of the Bearer token', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'me@example.com');
      const res = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
      assert.equal(res.statusCode, 200);
      const { user } = res.json();
      assert.deepEqual(Object.keys(user).sort(), [
        'createdAt',
        'email',
        'emailVerified',
        'id',
        'name',
        'role',
        'updatedAt',
      ]);
      assert.equal(user.role, 'user');
    });

    test('PATCH changes the name and validates it', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'patch@example.com');
      const res = await app.inject({
        method: 'PATCH',
        url: '/api/users/me',
        headers: bearer(session.accessToken),
        payload: { name: 'Renamed' },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().user.name, 'Renamed');
      const empty = await app.inject({
        method: 'PATCH',
        url: '/api/users/me',
        headers: bearer(session.accessToken),
        payload: { name: '' },
      });
      assert.equal(problem(empty).code, 'validation_failed');
      const anon = await app.inject({ method: 'PATCH', url: '/api/users/me', payload: { name: 'x' } });
      assert.equal(anon.statusCode, 401);
    });

    test('POST /me/password needs the current password, revokes the other sessions and keeps this one', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const first = await signUp(app, 'change@example.com');
      const other = (await login(app, 'change@example.com')).json();
      const wrong = await post(
        app,
        '/api/users/me/password',
        { currentPassword: 'nope nope nope', newPassword: NEW_PASSWORD },
        bearer(first.accessToken),
      );
      assert.equal(wrong.statusCode, 400);
      assert.equal(problem(wrong).code, 'invalid_credentials');
      const res = await post(
        app,
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        bearer(first.accessToken),
      );
      assert.equal(res.statusCode, 204);
      assert.equal(
        (await app.inject({ url: '/api/users/me', headers: bearer(first.accessToken) })).statusCode,
        200,
      );
      assert.equal(
        (await post(app, '/api/auth/refresh', { refreshToken: first.refreshToken })).statusCode,
        200,
      );
      assert.equal(
        (await post(app, '/api/auth/refresh', { refreshToken: other.refreshToken })).statusCode,
        401,
      );
      assert.equal((await login(app, 'change@example.com')).statusCode, 401);
      assert.equal((await login(app, 'change@example.com', NEW_PASSWORD)).statusCode, 200);
      const event = await testDb.db
        .selectFrom('auth_events')
        .selectAll()
        .where('type', '=', 'password_changed')
        .executeTakeFirst();
      assert.ok(event);
    });

    test('GET /me/sessions lists live sessions with user agent, IP, times and the current flag', async (t) => {
      const { app } = await startApp(t, dialect);
      const first = await signUp(app, 'list@example.com');
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'list@example.com', password: PASSWORD },
        headers: { 'user-agent': 'SecondBrowser/1.0' },
      });
      const res = await app.inject({ url: '/api/users/me/sessions', headers: bearer(first.accessToken) });
      assert.equal(res.statusCode, 200);
      const { sessions } = res.json();
      assert.equal(sessions.length, 2);
      const current = sessions.filter((s: { current: boolean }) => s.current);
      assert.equal(current.length, 1);
      const second = sessions.find((s: { userAgent: string | null }) => s.userAgent === 'SecondBrowser/1.0');
      assert.ok(second);
      assert.equal(second.ip, '127.0.0.1');
      assert.ok(Date.parse(second.createdAt) && Date.parse(second.lastUsedAt));
    });

    test('DELETE /me/sessions/:id revokes that session so it can no longer refresh; others answer 404', async (t) => {
      const { app } = await startApp(t, dialect);
      const first = await signUp(app, 'del@example.com');
      const second = (await login(app, 'del@example.com')).json();
      const intruder = await signUp(app, 'intruder@example.com');
      const list = (
        await app.inject({ url: '/api/users/me/sessions', headers: bearer(first.accessToken) })
      ).json();
      const target = list.sessions.find((s: { current: boolean }) => !s.current);
      const foreign = await app.inject({
        method: 'DELETE',
        url: `/api/users/me/sessions/${target.id}`,
        headers: bearer(intruder.accessToken),
      });
      assert.equal(foreign.statusCode, 404, "another user's session is not found");
      const res = await app.inject({
        method: 'DELETE',
        url: `/api/users/me/sessions/${target.id}`,
        headers: bearer(first.accessToken),
      });
      assert.equal(res.statusCode, 204);
      assert.equal(
        (await post(app, '/api/auth/refresh', { refreshToken: second.refreshToken })).statusCode,
        401,
      );
      const again = await app.inject({
        method: 'DELETE',
        url: `/api/users/me/sessions/${target.id}`,
        headers: bearer(first.accessToken),
      });
      assert.equal(problem(again).code, 'not_found');
      const junk = await app.inject({
        method: 'DELETE',
        url: '/api/users/me/sessions/not-a-uuid',
        headers: bearer(first.accessToken),
      });
      assert.equal(junk.statusCode, 404);
    });
  });
}
