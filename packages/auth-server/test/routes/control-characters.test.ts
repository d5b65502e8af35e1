/**
 * Issue 10 finding 8 (validation half): control characters (Unicode Cc: C0, DEL, C1) in any
 * free-text field of the contract are refused with 400 validation_failed before they reach the
 * database (a NUL in `name` used to end in a 500 from PostgreSQL). Passwords may hold any
 * character: only their argon2 hash is stored.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearer, latestToken, login, post, problem, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const CONTROLS = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f'];
const show = (c: string) => `U+${c.codePointAt(0)?.toString(16).padStart(4, '0')}`;

for (const dialect of dialects()) {
  describe(`control characters on ${dialect.name}`, () => {
    test('register refuses a NUL or any other control character in name with 400 validation_failed', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      for (const c of CONTROLS) {
        const res = await post(app, '/api/auth/register', {
          name: `Ada${c}Lovelace`,
          email: 'ada@example.com',
          password: 'correct horse battery staple',
        });
        assert.equal(res.statusCode, 400, show(c));
        const body = problem(res);
        assert.equal(body.code, 'validation_failed', show(c));
        assert.ok(
          (body.errors as { path: string }[]).some((e) => e.path.includes('name')),
          `${show(c)}: the error names the field`,
        );
      }
      assert.equal((await testDb.db.selectFrom('users').select('id').execute()).length, 0);
    });

    test('names in any script, with spaces and emoji, are still accepted', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await post(app, '/api/auth/register', {
        name: 'Zoë Ångström-Łukasz 李小龍 🦊',
        email: 'zoe@example.com',
        password: 'correct horse battery staple',
      });
      assert.equal(res.statusCode, 201);
    });

    test('PATCH /api/users/me refuses a control character in name with 400 validation_failed', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'rename@example.com');
      for (const c of ['\u0000', '\u0085']) {
        const res = await app.inject({
          method: 'PATCH',
          url: '/api/users/me',
          payload: { name: `Eve${c}` },
          headers: bearer(session.accessToken),
        });
        assert.equal(problem(res).code, 'validation_failed', show(c));
      }
    });

    test('one-time, refresh and device tokens with a control character are refused with 400 validation_failed', async (t) => {
      const { app } = await startApp(t, dialect);
      const bad = `${'x'.repeat(43)}\u0000`;
      const calls: [string, Record<string, string>][] = [
        ['/api/auth/verify', { token: bad }],
        ['/api/auth/reset-password', { token: bad, password: 'a brand new passphrase' }],
        ['/api/auth/refresh', { refreshToken: bad }],
        ['/api/auth/logout', { refreshToken: bad }],
        ['/api/auth/login', { email: 'a@example.com', password: 'whatever it is', deviceToken: bad }],
      ];
      for (const [url, body] of calls) {
        assert.equal(problem(await post(app, url, body)).code, 'validation_failed', url);
      }
    });

    test('a password may contain a NUL: it is only hashed, and signing in with it works', async (t) => {
      const { app } = await startApp(t, dialect);
      const password = 'nul\u0000inside a long passphrase';
      const res = await post(app, '/api/auth/register', {
        name: 'Nul',
        email: 'zero-byte@example.com',
        password,
      });
      assert.equal(res.statusCode, 201);
      const token = await latestToken(app, 'zero-byte@example.com', '/verify-email');
      assert.equal((await post(app, '/api/auth/verify', { token })).statusCode, 200);
      assert.equal((await login(app, 'zero-byte@example.com', password)).statusCode, 200);
      assert.equal((await login(app, 'zero-byte@example.com', 'nul')).statusCode, 401);
    });
  });
}
