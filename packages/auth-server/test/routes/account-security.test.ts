import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { JwtService } from '../../src/tokens/jwt.js';
import {
  bearer,
  latestToken,
  login,
  outbox,
  PASSWORD,
  post,
  problem,
  register,
  signUp,
  startApp,
  TEST_SERVICE_KEY,
} from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const NEW_PASSWORD = 'another fine passphrase';

/** POST /api/auth/introspect as a service (with the service key). */
function introspect(app: FastifyInstance, token: string) {
  return post(app, '/api/auth/introspect', { token }, bearer(TEST_SERVICE_KEY));
}

for (const dialect of dialects()) {
  describe(`account security on ${dialect.name}`, () => {
    test('register of an existing email answers byte-identically and mails "you already have an account"', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'taken@example.com');
      const fresh = await register(app, 'fresh@example.com');
      const again = await register(app, 'taken@example.com');
      assert.equal(again.statusCode, fresh.statusCode);
      assert.equal(again.body, fresh.body);
      assert.equal(again.headers['content-type'], fresh.headers['content-type']);
      const [notice] = await outbox(app, 'taken@example.com');
      assert.equal(notice?.subject, 'You already have an account');
    });

    test('register of an existing, not yet verified email also mails "you already have an account" with a fresh verification link', async (t) => {
      const { app } = await startApp(t, dialect);
      const first = await register(app, 'pending@example.com');
      const again = await register(app, 'Pending@Example.com');
      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 201);
      assert.equal(again.body, first.body);
      const [notice, original] = await outbox(app, 'pending@example.com');
      assert.equal(original?.subject, 'Verify your email address');
      assert.equal(notice?.subject, 'You already have an account');
      assert.match(notice?.text ?? '', /Someone tried to register/);
      const link = notice?.links[0] ?? '';
      assert.equal(new URL(link).pathname, '/verify-email');
      const verify = await post(app, '/api/auth/verify', { token: new URL(link).searchParams.get('token') });
      assert.equal(verify.statusCode, 200);
      assert.equal(verify.json().user.emailVerified, true);
    });

    test('forgot-password answers byte-identically for known and unknown addresses', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'known@example.com');
      const known = await post(app, '/api/auth/forgot-password', { email: 'known@example.com' });
      const unknown = await post(app, '/api/auth/forgot-password', { email: 'unknown@example.com' });
      assert.equal(known.statusCode, 202);
      assert.equal(unknown.statusCode, 202);
      assert.equal(known.body, unknown.body);
      assert.equal((await outbox(app, 'unknown@example.com')).length, 0);
    });

    test('login verifies the dummy hash once for an unknown email, and not for a known one (same work either way)', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'known-login@example.com');
      const dummy = t.mock.method(app.ctx.hasher, 'verifyDummy');
      const verify = t.mock.method(app.ctx.hasher, 'verify');
      const unknown = await login(app, 'nobody@example.com', 'wrong password');
      assert.equal(problem(unknown).code, 'invalid_credentials');
      assert.equal(dummy.mock.callCount(), 1);
      assert.equal(dummy.mock.calls[0]?.arguments[0], 'wrong password');
      const known = await login(app, 'known-login@example.com', 'wrong password');
      assert.equal(problem(known).code, 'invalid_credentials');
      assert.equal(dummy.mock.callCount(), 1, 'a known email verifies its real hash instead');
      assert.equal(unknown.body, known.body);
      assert.ok(verify.mock.callCount() >= 2, 'both paths run an argon2 verification');
    });

    test('the password policy refuses 7 and 129 characters, accepts 128, and never truncates at 72', async (t) => {
      const { app } = await startApp(t, dialect);
      const short = await register(app, 'p1@example.com', 'abcdefg');
      assert.equal(short.statusCode, 400);
      const shortBody = problem(short);
      assert.equal(shortBody.code, 'weak_password');
      assert.equal(shortBody.rule, 'too_short');
      assert.match(String(shortBody.detail), /too_short/);
      assert.equal((shortBody.errors as { path: string }[])[0]?.path, 'password');
      const long = await register(app, 'p2@example.com', `${'x9'.repeat(64)}z`);
      assert.equal(problem(long).rule, 'too_long');
      const max = 'Qw9!'.repeat(32);
      assert.equal(max.length, 128);
      assert.equal((await register(app, 'p3@example.com', max)).statusCode, 201);
      const token = await latestToken(app, 'p3@example.com', '/verify-email');
      assert.equal((await post(app, '/api/auth/verify', { token })).statusCode, 200);
      assert.equal((await login(app, 'p3@example.com', max)).statusCode, 200);
      assert.equal(
        (await login(app, 'p3@example.com', max.slice(0, 72))).statusCode,
        401,
        'no truncation at 72',
      );
    });

    test('the password policy refuses common passwords case-insensitively and the email local part', async (t) => {
      const { app } = await startApp(t, dialect);
      assert.equal(problem(await register(app, 'c1@example.com', 'PassWord123')).rule, 'common');
      assert.equal(
        problem(await register(app, 'jonathan.smith@example.com', 'xxjonathan.smithxx')).rule,
        'contains_email',
      );
    });

    test('reset-password sets the new password with a 1 h single-use link and revokes every session', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const first = await signUp(app, 'reset@example.com');
      const second = (await login(app, 'reset@example.com')).json();
      await post(app, '/api/auth/forgot-password', { email: 'Reset@Example.com' });
      await app.ctx.mailWorker.settled(); // the reset mail is queued after the answer
      const [mail] = await outbox(app, 'reset@example.com');
      assert.equal(mail?.subject, 'Reset your password');
      assert.match(
        mail?.links[0] ?? '',
        /^http:\/\/localhost:5000\/reset-password\?token=[A-Za-z0-9_-]{43}$/,
      );
      const row = await testDb.db
        .selectFrom('one_time_tokens')
        .selectAll()
        .where('kind', '=', 'reset')
        .executeTakeFirstOrThrow();
      const ttl = new Date(row.expires_at).getTime() - new Date(row.created_at).getTime();
      assert.ok(Math.abs(ttl - 3600_000) < 5000);
      const token = await latestToken(app, 'reset@example.com', '/reset-password');

      const weak = await post(app, '/api/auth/reset-password', { token, password: 'short' });
      assert.equal(problem(weak).code, 'weak_password');
      const res = await post(app, '/api/auth/reset-password', { token, password: NEW_PASSWORD });
      assert.equal(res.statusCode, 204, 'a refused weak password does not burn the link');
      for (const s of [first, second]) {
        assert.equal(
          (await post(app, '/api/auth/refresh', { refreshToken: s.refreshToken })).statusCode,
          401,
        );
        assert.equal(
          (await app.inject({ url: '/api/users/me', headers: bearer(s.accessToken) })).statusCode,
          401,
        );
      }
      assert.equal((await login(app, 'reset@example.com')).statusCode, 401);
      assert.equal((await login(app, 'reset@example.com', NEW_PASSWORD)).statusCode, 200);
      const reuse = await post(app, '/api/auth/reset-password', {
        token,
        password: 'yet another passphrase',
      });
      assert.equal(problem(reuse).code, 'invalid_or_expired_token');
    });

    test('an expired reset link answers 400 invalid_or_expired_token', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await signUp(app, 'expired@example.com');
      await post(app, '/api/auth/forgot-password', { email: 'expired@example.com' });
      await app.ctx.mailWorker.settled();
      const token = await latestToken(app, 'expired@example.com', '/reset-password');
      await testDb.db
        .updateTable('one_time_tokens')
        .set({ expires_at: new Date(Date.now() - 1) })
        .where('kind', '=', 'reset')
        .execute();
      const res = await post(app, '/api/auth/reset-password', { token, password: NEW_PASSWORD });
      assert.equal(problem(res).code, 'invalid_or_expired_token');
    });

    test('a verification token is not accepted as a reset token', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'kinds@example.com');
      const token = await latestToken(app, 'kinds@example.com', '/verify-email');
      const res = await post(app, '/api/auth/reset-password', { token, password: NEW_PASSWORD });
      assert.equal(problem(res).code, 'invalid_or_expired_token');
    });

    test('POST /me/password refuses a weak new password with weak_password', async (t) => {
      const { app } = await startApp(t, dialect);
      const s = await signUp(app, 'weak@example.com');
      const res = await post(
        app,
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: 'password' },
        bearer(s.accessToken),
      );
      assert.equal(problem(res).code, 'weak_password');
      assert.deepEqual(
        (problem(res).errors as { path: string }[]).map((e) => e.path),
        ['newPassword'],
      );
    });

    test('logout scope global revokes every session; scope others keeps only the current one', async (t) => {
      const { app } = await startApp(t, dialect);
      const a = await signUp(app, 'scopes@example.com');
      const b = (await login(app, 'scopes@example.com')).json();
      const c = (await login(app, 'scopes@example.com')).json();
      const others = await post(app, '/api/auth/logout', { scope: 'others' }, bearer(a.accessToken));
      assert.equal(others.statusCode, 204);
      assert.equal(
        (await app.inject({ url: '/api/users/me', headers: bearer(a.accessToken) })).statusCode,
        200,
      );
      assert.equal(
        (await app.inject({ url: '/api/users/me', headers: bearer(b.accessToken) })).statusCode,
        401,
      );
      assert.equal(
        (await app.inject({ url: '/api/users/me', headers: bearer(c.accessToken) })).statusCode,
        401,
      );

      const d = (await login(app, 'scopes@example.com')).json();
      const global = await app.inject({
        method: 'POST',
        url: '/api/auth/logout?scope=global',
        headers: bearer(d.accessToken),
      });
      assert.equal(global.statusCode, 204);
      for (const s of [a, d]) {
        assert.equal(
          (await post(app, '/api/auth/refresh', { refreshToken: s.refreshToken })).statusCode,
          401,
        );
      }
      const badScope = await app.inject({ method: 'POST', url: '/api/auth/logout?scope=everything' });
      assert.equal(problem(badScope).code, 'validation_failed');
    });

    test('introspect answers active with claims for a live token and { active: false } otherwise', async (t) => {
      const { app } = await startApp(t, dialect);
      const s = await signUp(app, 'intro@example.com');
      const live = await introspect(app, s.accessToken);
      assert.equal(live.statusCode, 200);
      const body = live.json();
      assert.equal(body.active, true);
      assert.equal(body.sub, s.user.id);
      assert.equal(body.email, 'intro@example.com');
      assert.equal(body.role, 'user');
      assert.equal(typeof body.sid, 'string');
      assert.equal(body.exp, s.expiresAt);
      const [h, p] = s.accessToken.split('.');
      for (const token of ['garbage', `${h}.${p}.AAAA`]) {
        assert.deepEqual((await introspect(app, token)).json(), { active: false });
      }
      await post(app, '/api/auth/logout', {}, bearer(s.accessToken));
      assert.deepEqual((await introspect(app, s.accessToken)).json(), { active: false });
    });

    test('introspect answers 401 invalid_token without the service key, with a wrong one or with a user access token', async (t) => {
      const { app } = await startApp(t, dialect);
      const s = await signUp(app, 'intro-auth@example.com');
      for (const headers of [
        {},
        bearer(`${TEST_SERVICE_KEY}x`),
        bearer(TEST_SERVICE_KEY.slice(0, -1)),
        bearer(s.accessToken),
        { authorization: `Basic ${Buffer.from(`svc:${TEST_SERVICE_KEY}`).toString('base64')}` },
      ]) {
        const res = await post(app, '/api/auth/introspect', { token: s.accessToken }, headers);
        assert.equal(res.statusCode, 401, JSON.stringify(headers));
        assert.equal(problem(res).code, 'invalid_token');
        assert.ok(!res.body.includes(s.user.id), 'nothing about the token leaks');
      }
      assert.equal((await introspect(app, s.accessToken)).json().active, true);
    });

    test('introspect answers { active: false } for an expired token', async (t) => {
      const { app, config } = await startApp(t, dialect);
      const s = await signUp(app, 'short@example.com');
      const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1] ?? '', 'base64url').toString());
      // The same session, in a token signed an hour ago (long past exp and any clock tolerance).
      const expired = new JwtService(config.jwt, () => Date.now() - 3600_000).sign({
        userId: claims.sub,
        sessionId: claims.sid,
        email: claims.email,
        role: claims.role,
      }).accessToken;
      assert.deepEqual((await introspect(app, expired)).json(), { active: false });
      const me = await app.inject({ url: '/api/users/me', headers: bearer(expired) });
      assert.equal(problem(me).code, 'token_expired');
    });

    test('auth events record logins, failures, password changes, revocations and throttle hits without secrets', async (t) => {
      const lines: string[] = [];
      const stream = { write: (line: string) => lines.push(line) };
      const { app, testDb } = await startApp(t, dialect, {
        env: { RATE_LIMIT_LOGIN_ACCOUNT_IP: '2/900' },
        build: { logger: { level: 'info', stream } },
      });
      const s = await signUp(app, 'events@example.com');
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'events@example.com', password: 'wrong password one' },
        headers: { 'user-agent': 'EventsAgent/2' },
      });
      await login(app, 'events@example.com', 'wrong password two');
      const throttled = await login(app, 'events@example.com', 'wrong password three');
      assert.equal(throttled.statusCode, 429);
      await post(
        app,
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        bearer(s.accessToken),
      );
      const fromElsewhere = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'events@example.com', password: NEW_PASSWORD },
        remoteAddress: '192.0.2.7',
      });
      assert.equal(fromElsewhere.statusCode, 200, 'the account+IP limit does not block another IP');
      const other = fromElsewhere.json();
      const list = (
        await app.inject({ url: '/api/users/me/sessions', headers: bearer(s.accessToken) })
      ).json();
      const target = list.sessions.find((x: { current: boolean }) => !x.current);
      await app.inject({
        method: 'DELETE',
        url: `/api/users/me/sessions/${target.id}`,
        headers: bearer(s.accessToken),
      });

      const events = await testDb.db.selectFrom('auth_events').selectAll().orderBy('id').execute();
      const types = events.map((e) => e.type);
      for (const type of [
        'login_failure',
        'throttled',
        'password_changed',
        'login_success',
        'session_revoked',
      ]) {
        assert.ok(types.includes(type), `${type} in ${types.join(',')}`);
      }
      const failure = events.find((e) => e.type === 'login_failure');
      assert.equal(failure?.ip, '127.0.0.1');
      assert.equal(failure?.user_agent, 'EventsAgent/2');
      assert.equal(failure?.user_id, s.user.id);
      assert.ok(failure?.created_at);
      const everything = JSON.stringify(events) + lines.join('\n');
      for (const secret of [
        PASSWORD,
        NEW_PASSWORD,
        'wrong password one',
        s.accessToken,
        s.refreshToken,
        other.refreshToken,
      ]) {
        assert.ok(!everything.includes(secret), 'no password or token in events or logs');
      }
      const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.authEvent);
      assert.ok(logged.some((l) => l.authEvent === 'throttled' && l.detail?.rule === 'loginAccountIp'));
    });
  });
}
