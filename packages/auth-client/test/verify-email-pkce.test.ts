/**
 * Issue 10 finding 1 in the SDK: register with a PKCE code challenge, and verifyEmail signs in
 * only with the matching verifier; otherwise it resolves to `{ user }`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthClient } from '../src/client.js';
import { codeChallengeOf, createCodeVerifier } from '../src/pkce.js';
import { AuthError } from '../src/errors.js';
import { startTestAuthServer, type TestAuthServer } from '@emotion-app/auth-server/testing';

const PASSWORD = 'correct horse battery staple';

describe('PKCE helpers', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    assert.equal(
      await codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('createCodeVerifier gives a fresh 43-character verifier and its challenge', async () => {
    const a = await createCodeVerifier();
    const b = await createCodeVerifier();
    assert.match(a.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.match(a.challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(a.challenge, await codeChallengeOf(a.verifier));
    assert.notEqual(a.verifier, b.verifier);
  });
});

describe('verifyEmail with a code verifier against a real auth-server', () => {
  let server: TestAuthServer;
  let auth: AuthClient;
  let n = 0;
  const email = () => `pkce-${++n}@example.com`;

  before(async () => {
    server = await startTestAuthServer();
    auth = new AuthClient({ baseUrl: server.url, timeoutMs: 10_000 });
  });
  after(() => server.close());

  it('signs in with the verifier of the registration’s challenge', async () => {
    const address = email();
    const { verifier, challenge } = await createCodeVerifier();
    await auth.register({ name: 'Ada', email: address, password: PASSWORD, codeChallenge: challenge });
    const answer = await auth.verifyEmail(await server.mailToken(address, '/verify-email'), {
      codeVerifier: verifier,
      headers: { 'user-agent': 'pkce-test' },
    });
    assert.ok('accessToken' in answer, 'a session');
    assert.equal(answer.user.emailVerified, true);
  });

  it('resolves to { user } only without the verifier, and the password then signs in', async () => {
    const address = email();
    const { challenge } = await createCodeVerifier();
    await auth.register({ name: 'Ada', email: address, password: PASSWORD, codeChallenge: challenge });
    const answer = await auth.verifyEmail(await server.mailToken(address, '/verify-email'));
    assert.deepEqual(Object.keys(answer), ['user']);
    assert.equal(answer.user.emailVerified, true);
    assert.equal((await auth.login({ email: address, password: PASSWORD })).user.email, address);
  });

  it('refuses a malformed challenge with validation_failed', async () => {
    const err = await auth
      .register({ name: 'Ada', email: email(), password: PASSWORD, codeChallenge: 'too-short' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof AuthError);
    assert.equal(err.code, 'validation_failed');
  });
});
