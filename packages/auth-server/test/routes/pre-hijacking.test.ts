/**
 * Issue 10 finding 1: account pre-hijacking. Someone who cannot read a mailbox registers its
 * address first; the owner's later registration and verification must leave them locked out.
 * A verification link sets the password of the registration that sent it; verifying signs in only
 * the browser that registered (PKCE); a contested address (sign-ups with other passwords) verified
 * outside the registering browser keeps no password and mails a "choose your password" link.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { latestToken, login, outbox, post, problem, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const OWNER_PASSWORD = 'owner chose this passphrase';
const ATTACKER_PASSWORD = 'attacker knows this passphrase';
const VICTIM = 'victim@example.com';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function registerAs(
  app: FastifyInstance,
  name: string,
  password: string,
  extra: Record<string, string> = {},
) {
  return post(app, '/api/auth/register', { name, email: VICTIM, password, ...extra });
}

const verify = (app: FastifyInstance, body: Record<string, string>) => post(app, '/api/auth/verify', body);

for (const dialect of dialects()) {
  describe(`account pre-hijacking on ${dialect.name}`, () => {
    test('attacker registers first, the owner second and verifies from the newest mail in the browser that registered: the owner’s password works, the attacker’s is refused', async (t) => {
      const { app } = await startApp(t, dialect);
      const browser = pkce();
      assert.equal((await registerAs(app, 'Mallory', ATTACKER_PASSWORD)).statusCode, 201);
      assert.equal(
        (await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge })).statusCode,
        201,
      );
      const token = await latestToken(app, VICTIM, '/verify-email');
      const res = await verify(app, { token, codeVerifier: browser.verifier });
      assert.equal(res.statusCode, 200);
      assert.ok('accessToken' in res.json());
      assert.equal(res.json().user.name, 'Ada', 'the newest registration’s name too');
      assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
      const attacker = await login(app, VICTIM, ATTACKER_PASSWORD);
      assert.equal(attacker.statusCode, 401);
      assert.equal(problem(attacker).code, 'invalid_credentials');
    });

    test('the owner registers first, the attacker second: the owner’s own link in the registering browser still works, and the attacker’s is void afterwards', async (t) => {
      const { app } = await startApp(t, dialect);
      const browser = pkce();
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge });
      const ownersLink = await latestToken(app, VICTIM, '/verify-email');
      await registerAs(app, 'Mallory', ATTACKER_PASSWORD);
      const attackersLink = await latestToken(app, VICTIM, '/verify-email');
      assert.notEqual(ownersLink, attackersLink);

      const own = await verify(app, { token: ownersLink, codeVerifier: browser.verifier });
      assert.equal(own.statusCode, 200);
      assert.ok('accessToken' in own.json());
      const late = await verify(app, { token: attackersLink });
      assert.equal(problem(late).code, 'invalid_or_expired_token');
      assert.equal((await login(app, VICTIM, ATTACKER_PASSWORD)).statusCode, 401);
      assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
    });

    for (const order of ['attacker first', 'owner first'] as const) {
      test(`${order}: a link opened outside the registering browser keeps neither password, signs nobody in, and mails the owner a "choose your password" link`, async (t) => {
        const { app, testDb } = await startApp(t, dialect);
        const browser = pkce();
        const registrations = [
          () => registerAs(app, 'Mallory', ATTACKER_PASSWORD),
          () => registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge }),
        ];
        if (order === 'owner first') registrations.reverse();
        for (const registration of registrations) await registration();
        // The newest link, opened in the owner's browser: when the attacker registered last it is
        // theirs (no challenge); else it is the owner's, opened in another browser.
        const token = await latestToken(app, VICTIM, '/verify-email');
        const res = await verify(
          app,
          order === 'owner first' ? { token, codeVerifier: browser.verifier } : { token },
        );
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()), ['user']);
        assert.equal(res.json().user.emailVerified, true);
        assert.equal((await testDb.db.selectFrom('sessions').select('id').execute()).length, 0);
        assert.equal((await login(app, VICTIM, ATTACKER_PASSWORD)).statusCode, 401);
        assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 401);

        const [mail] = await outbox(app, VICTIM);
        assert.equal(mail?.subject, 'Choose your password');
        const reset = await post(app, '/api/auth/reset-password', {
          token: await latestToken(app, VICTIM, '/reset-password'),
          password: OWNER_PASSWORD,
        });
        assert.equal(reset.statusCode, 204);
        assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
        assert.equal((await login(app, VICTIM, ATTACKER_PASSWORD)).statusCode, 401);
      });
    }

    test('the notice to an unverified address carries the newest link, bound to the newest password', async (t) => {
      const { app } = await startApp(t, dialect);
      const browser = pkce();
      await registerAs(app, 'Mallory', ATTACKER_PASSWORD);
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge });
      const [notice] = await outbox(app, VICTIM);
      assert.equal(notice?.subject, 'You already have an account');
      const link = notice?.links[0] ?? '';
      assert.equal(new URL(link).pathname, '/verify-email');
      const token = new URL(link).searchParams.get('token') ?? '';
      assert.equal((await verify(app, { token, codeVerifier: browser.verifier })).statusCode, 200);
      assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
    });

    test('resend-verification binds the new link to the current password (an uncontested sign-up signs in)', async (t) => {
      const { app } = await startApp(t, dialect);
      await registerAs(app, 'Ada', OWNER_PASSWORD);
      const first = await latestToken(app, VICTIM, '/verify-email');
      assert.equal((await post(app, '/api/auth/resend-verification', { email: VICTIM })).statusCode, 202);
      const resent = await latestToken(app, VICTIM, '/verify-email');
      assert.notEqual(resent, first);
      const res = await verify(app, { token: resent });
      assert.equal(res.statusCode, 200);
      assert.ok('accessToken' in res.json());
      assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
    });

    test('a resent link keeps the registration’s code challenge: it signs in only the browser that registered', async (t) => {
      const { app } = await startApp(t, dialect);
      const browser = pkce();
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge });
      await post(app, '/api/auth/resend-verification', { email: VICTIM });
      const elsewhere = await verify(app, { token: await latestToken(app, VICTIM, '/verify-email') });
      assert.equal(elsewhere.statusCode, 200);
      assert.deepEqual(Object.keys(elsewhere.json()), ['user'], 'another browser gets no session');
      await post(app, '/api/auth/register', {
        name: 'Ada',
        email: 'second@example.com',
        password: OWNER_PASSWORD,
        codeChallenge: browser.challenge,
      });
      await post(app, '/api/auth/resend-verification', { email: 'second@example.com' });
      const resent = await latestToken(app, 'second@example.com', '/verify-email');
      const here = await verify(app, { token: resent, codeVerifier: browser.verifier });
      assert.equal(here.statusCode, 200);
      assert.ok('accessToken' in here.json(), 'the registering browser is signed in');
    });

    test('registering a verified address changes nothing: same answer, password and name stay', async (t) => {
      const { app } = await startApp(t, dialect);
      await registerAs(app, 'Ada', OWNER_PASSWORD);
      await verify(app, { token: await latestToken(app, VICTIM, '/verify-email') });
      const again = await registerAs(app, 'Mallory', ATTACKER_PASSWORD);
      assert.equal(again.statusCode, 201);
      const [notice] = await outbox(app, VICTIM);
      assert.equal(notice?.subject, 'You already have an account');
      assert.equal(
        notice?.links.some((l) => new URL(l).pathname === '/verify-email'),
        false,
      );
      const ok = await login(app, VICTIM, OWNER_PASSWORD);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().user.name, 'Ada');
      assert.equal((await login(app, VICTIM, ATTACKER_PASSWORD)).statusCode, 401);
    });

    test('verifying with the registering browser’s codeVerifier signs in', async (t) => {
      const { app } = await startApp(t, dialect);
      const browser = pkce();
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge });
      const token = await latestToken(app, VICTIM, '/verify-email');
      const res = await verify(app, { token, codeVerifier: browser.verifier });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), [
        'accessToken',
        'expiresAt',
        'expiresIn',
        'refreshToken',
        'tokenType',
        'user',
      ]);
      assert.equal(body.user.emailVerified, true);
    });

    test('verifying without the codeVerifier (another browser) verifies the email and sets the password, but answers { user } only and creates no session', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      const browser = pkce();
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: browser.challenge });
      const token = await latestToken(app, VICTIM, '/verify-email');
      const res = await verify(app, { token });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['user']);
      assert.equal(body.user.email, VICTIM);
      assert.equal(body.user.emailVerified, true);
      const sessions = await testDb.db.selectFrom('sessions').select('id').execute();
      assert.equal(sessions.length, 0, 'no session row');
      const again = await verify(app, { token, codeVerifier: browser.verifier });
      assert.equal(problem(again).code, 'invalid_or_expired_token', 'the token was consumed');
      assert.equal((await login(app, VICTIM, OWNER_PASSWORD)).statusCode, 200);
    });

    test('a wrong codeVerifier is another browser: { user } only, no session', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: pkce().challenge });
      const token = await latestToken(app, VICTIM, '/verify-email');
      const res = await verify(app, { token, codeVerifier: pkce().verifier });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(Object.keys(res.json()), ['user']);
      assert.equal((await testDb.db.selectFrom('sessions').select('id').execute()).length, 0);
    });

    test('a malformed codeChallenge or codeVerifier is refused with 400 validation_failed', async (t) => {
      const { app } = await startApp(t, dialect);
      for (const codeChallenge of ['short', `${pkce().challenge}=`, `${pkce().challenge.slice(0, 42)}+`]) {
        const res = await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge });
        assert.equal(problem(res).code, 'validation_failed', codeChallenge);
      }
      await registerAs(app, 'Ada', OWNER_PASSWORD, { codeChallenge: pkce().challenge });
      const token = await latestToken(app, VICTIM, '/verify-email');
      for (const codeVerifier of ['x'.repeat(42), 'x'.repeat(129), `${'x'.repeat(42)}/`]) {
        const res = await verify(app, { token, codeVerifier });
        assert.equal(problem(res).code, 'validation_failed', codeVerifier);
      }
    });
  });
}
