/**
 * Issue 10 findings 6 and 7: one-time links that outlive their purpose. Verifying consumes every
 * verification link of the user; a password change or reset consumes every outstanding reset link.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
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
  tokenFromLink,
} from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const NEW_PASSWORD = 'a brand new passphrase';

/** Every token of the mails to `to` whose link path is `path`, newest first. */
async function tokens(app: FastifyInstance, to: string, path: string): Promise<string[]> {
  const messages = await outbox(app, to);
  return messages.flatMap((m) => m.links.filter((l) => new URL(l).pathname === path).map(tokenFromLink));
}

async function forgot(app: FastifyInstance, email: string): Promise<void> {
  assert.equal((await post(app, '/api/auth/forgot-password', { email })).statusCode, 202);
  await app.ctx.mailWorker.settled();
}

for (const dialect of dialects()) {
  describe(`one-time token hygiene on ${dialect.name}`, () => {
    test('verifying consumes every verification link of the user: an older one then answers 400 invalid_or_expired_token', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'two-links@example.com');
      await post(app, '/api/auth/resend-verification', { email: 'two-links@example.com' });
      const [newest, older] = await tokens(app, 'two-links@example.com', '/verify-email');
      assert.ok(newest && older && newest !== older);
      assert.equal((await post(app, '/api/auth/verify', { token: newest })).statusCode, 200);
      const leftover = await post(app, '/api/auth/verify', { token: older });
      assert.equal(leftover.statusCode, 400);
      assert.equal(problem(leftover).code, 'invalid_or_expired_token');
    });

    test('a verification link of an account verified through a password reset answers 400 invalid_or_expired_token', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'reset-first@example.com');
      const verification = await latestToken(app, 'reset-first@example.com', '/verify-email');
      await forgot(app, 'reset-first@example.com');
      const reset = await latestToken(app, 'reset-first@example.com', '/reset-password');
      const done = await post(app, '/api/auth/reset-password', { token: reset, password: NEW_PASSWORD });
      assert.equal(done.statusCode, 204);
      const leftover = await post(app, '/api/auth/verify', { token: verification });
      assert.equal(problem(leftover).code, 'invalid_or_expired_token');
      assert.equal((await login(app, 'reset-first@example.com', NEW_PASSWORD)).statusCode, 200);
      assert.equal((await login(app, 'reset-first@example.com', PASSWORD)).statusCode, 401);
    });

    test('a verification link of an already verified account answers 400 even when it was never consumed', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await signUp(app, 'verified@example.com');
      // A link left over from before this fix: unused, unexpired, of a verified user.
      await post(app, '/api/auth/resend-verification', { email: 'verified@example.com' });
      const user = await testDb.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'verified@example.com')
        .executeTakeFirstOrThrow();
      const [used] = await tokens(app, 'verified@example.com', '/verify-email');
      assert.ok(used);
      await testDb.db
        .updateTable('one_time_tokens')
        .set({ used_at: null })
        .where('user_id', '=', user.id)
        .execute();
      const res = await post(app, '/api/auth/verify', { token: used });
      assert.equal(problem(res).code, 'invalid_or_expired_token');
    });

    test('a password change consumes every outstanding reset link', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'change@example.com');
      await forgot(app, 'change@example.com');
      await forgot(app, 'change@example.com');
      const links = await tokens(app, 'change@example.com', '/reset-password');
      assert.equal(links.length, 2);
      const changed = await post(
        app,
        '/api/users/me/password',
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        bearer(session.accessToken),
      );
      assert.equal(changed.statusCode, 204);
      for (const token of links) {
        const res = await post(app, '/api/auth/reset-password', {
          token,
          password: 'the attacker’s passphrase',
        });
        assert.equal(problem(res).code, 'invalid_or_expired_token');
      }
      assert.equal((await login(app, 'change@example.com', NEW_PASSWORD)).statusCode, 200);
    });

    test('a password reset consumes every other outstanding reset link', async (t) => {
      const { app } = await startApp(t, dialect);
      await signUp(app, 'resets@example.com');
      await forgot(app, 'resets@example.com');
      await forgot(app, 'resets@example.com');
      const [newest, older] = await tokens(app, 'resets@example.com', '/reset-password');
      assert.ok(newest && older);
      const done = await post(app, '/api/auth/reset-password', { token: newest, password: NEW_PASSWORD });
      assert.equal(done.statusCode, 204);
      const res = await post(app, '/api/auth/reset-password', {
        token: older,
        password: 'yet another passphrase',
      });
      assert.equal(problem(res).code, 'invalid_or_expired_token');
      assert.equal((await login(app, 'resets@example.com', NEW_PASSWORD)).statusCode, 200);
    });
  });
}
