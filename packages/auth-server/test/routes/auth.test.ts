import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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
} from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`auth routes on ${dialect.name}`, () => {
    test('register answers 201 and mails a 24 h single-use verification link to the web app', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const res = await register(app, 'new@example.com');
      assert.equal(res.statusCode, 201);
      assert.deepEqual(Object.keys(res.json()).sort(), ['message', 'status']);
      const [mail] = await outbox(app, 'new@example.com');
      assert.ok(mail);
      assert.equal(mail.subject, 'Verify your email address');
      assert.match(mail.links[0] ?? '', /^http:\/\/localhost:5000\/verify-email\?token=[A-Za-z0-9_-]{43}$/);
      assert.ok(mail.text.includes(mail.links[0] ?? '-'));
      assert.ok(mail.html.includes('/verify-email?token='));
      const token = await latestToken(app, 'new@example.com', '/verify-email');
      const row = await testDb.db.selectFrom('one_time_tokens').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.kind, 'verification');
      assert.notEqual(row.token_hash, token, 'only the hash is stored');
      assert.match(row.token_hash, /^[0-9a-f]{64}$/);
      const ttl = new Date(row.expires_at).getTime() - new Date(row.created_at).getTime();
      assert.ok(Math.abs(ttl - 24 * 3600_000) < 5000);
    });

    test('verify returns the user and a token pair, and the token cannot be used twice', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'v@example.com');
      const token = await latestToken(app, 'v@example.com', '/verify-email');
      const res = await post(app, '/api/auth/verify', { token });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.tokenType, 'Bearer');
      assert.equal(body.expiresIn, 900);
      assert.equal(body.user.emailVerified, true);
      assert.ok(body.refreshToken && body.accessToken);
      const again = await post(app, '/api/auth/verify', { token });
      assert.equal(again.statusCode, 400);
      assert.equal(problem(again).code, 'invalid_or_expired_token');
      const unknown = await post(app, '/api/auth/verify', { token: 'x'.repeat(43) });
      assert.equal(problem(unknown).code, 'invalid_or_expired_token');
    });

    test('verify rejects an expired verification token with invalid_or_expired_token', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await register(app, 'late@example.com');
      const token = await latestToken(app, 'late@example.com', '/verify-email');
      await testDb.db
        .updateTable('one_time_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .execute();
      const res = await post(app, '/api/auth/verify', { token });
      assert.equal(res.statusCode, 400);
      assert.equal(problem(res).code, 'invalid_or_expired_token');
    });

    test('login of an unverified account with the right password answers 403 email_not_verified', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'unverified@example.com');
      const res = await login(app, 'unverified@example.com');
      assert.equal(res.statusCode, 403);
      assert.equal(problem(res).code, 'email_not_verified');
      const wrong = await login(app, 'unverified@example.com', 'wrong password!!');
      assert.equal(problem(wrong).code, 'invalid_credentials');
    });

    test('login answers 401 invalid_credentials for a wrong password and for an unknown email alike', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'known@example.com');
      const wrong = await login(app, 'known@example.com', 'not the password');
      const unknown = await login(app, 'nobody@example.com', 'not the password');
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.body, unknown.body);
      assert.equal(problem(wrong).code, 'invalid_credentials');
    });

    test('login returns a Bearer token pair with expiresAt in Unix seconds and a device token', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'pair@example.com');
      const res = await login(app, 'pair@example.com');
      assert.equal(res.statusCode, 200);
      const body = res.json();
      const now = Math.floor(Date.now() / 1000);
      assert.ok(Math.abs(body.expiresAt - (now + 900)) <= 2);
      assert.match(body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(Object.keys(body).sort(), [
        'accessToken',
        'expiresAt',
        'expiresIn',
        'refreshToken',
        'tokenType',
        'user',
      ]);
      assert.match(String(res.headers['device-token']), /^[A-Za-z0-9_.-]{20,}$/);
      const me = await app.inject({ url: '/api/users/me', headers: bearer(body.accessToken) });
      assert.equal(me.json().user.email, 'pair@example.com');
    });

    test('resend-verification answers 202 identically for known, verified and unknown addresses', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'pending@example.com');
      await signUp(app, 'done@example.com');
      const answers = await Promise.all(
        ['pending@example.com', 'done@example.com', 'ghost@example.com'].map((email) =>
          post(app, '/api/auth/resend-verification', { email }),
        ),
      );
      for (const res of answers) {
        assert.equal(res.statusCode, 202);
        assert.equal(res.body, answers[0]?.body);
      }
      assert.equal((await outbox(app, 'pending@example.com')).length, 2);
      assert.equal((await outbox(app, 'ghost@example.com')).length, 0);
      // the newest link works
      const token = await latestToken(app, 'pending@example.com', '/verify-email');
      assert.equal((await post(app, '/api/auth/verify', { token })).statusCode, 200);
    });

    test('refresh rotates the refresh token and returns a new pair', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'rot@example.com');
      const res = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(res.statusCode, 200);
      const next = res.json();
      assert.notEqual(next.refreshToken, session.refreshToken);
      assert.equal(next.user.email, 'rot@example.com');
      const again = await post(app, '/api/auth/refresh', { refreshToken: next.refreshToken });
      assert.equal(again.statusCode, 200);
      const unknown = await post(app, '/api/auth/refresh', { refreshToken: 'nope' });
      assert.equal(unknown.statusCode, 401);
      assert.equal(problem(unknown).code, 'invalid_token');
    });

    test('logout (scope local) by Bearer revokes the session so its refresh token stops working', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'out@example.com');
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: bearer(session.accessToken),
      });
      assert.equal(res.statusCode, 204);
      const refresh = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(refresh.statusCode, 401);
      const me = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
      assert.equal(me.statusCode, 401);
    });

    test('logout by refresh token alone revokes that session; an unknown one still answers 204', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'out2@example.com');
      const res = await post(app, '/api/auth/logout', { refreshToken: session.refreshToken });
      assert.equal(res.statusCode, 204);
      const me = await app.inject({ url: '/api/users/me', headers: bearer(session.accessToken) });
      assert.equal(me.statusCode, 401);
      assert.equal((await post(app, '/api/auth/logout', { refreshToken: 'unknown' })).statusCode, 204);
    });

    test('logout with an expired access token and the refresh token still revokes the session', async (t) => {
      const { app, config } = await startApp(t, dialect);
      const session = await signUp(app, 'late@example.com');
      const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString());
      // An access token of this session signed an hour ago: past exp and any clock tolerance.
      const expired = new JwtService(config.jwt, () => Date.now() - 3600_000).sign({
        userId: claims.sub,
        sessionId: claims.sid,
        email: claims.email,
        role: claims.role,
      }).accessToken;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: bearer(expired),
        payload: { refreshToken: session.refreshToken },
      });
      assert.equal(res.statusCode, 204);
      const refresh = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(refresh.statusCode, 401);
      // Without a refresh token, the expired Bearer is still refused.
      const bare = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(expired) });
      assert.equal(problem(bare).code, 'token_expired');
    });

    test('logout without any credential answers 401 invalid_token', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({ method: 'POST', url: '/api/auth/logout' });
      assert.equal(res.statusCode, 401);
      assert.equal(problem(res).code, 'invalid_token');
    });

    test('GET /api/users/me without a token answers 401 invalid_token (a code of DESIGN §3)', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({ url: '/api/users/me' });
      assert.equal(res.statusCode, 401);
      assert.equal(problem(res).code, 'invalid_token');
    });

    test('register with mismatching passwordConfirm answers 400 validation_failed naming the field', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await post(app, '/api/auth/register', {
        name: 'A',
        email: 'a@example.com',
        password: PASSWORD,
        passwordConfirm: `${PASSWORD}x`,
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(problem(res).errors, [{ path: 'passwordConfirm', message: 'must match password' }]);
    });
  });
}
