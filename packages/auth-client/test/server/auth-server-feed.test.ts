/**
 * The JWKS verifier and the revocation feed against a real auth-server (embedded PGlite, started
 * in the test with JWT_ALG set): no stand-ins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestAuthServer, type TestAuthServer } from '@emotion-app/auth-server/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { AuthClient } from '../../src/client.js';
import type { Session } from '../../src/contract.js';
import { isAuthError } from '../../src/errors.js';
import { fastifyRequireAuth } from '../../src/server/fastify.js';
import { createRevocationFeed, type RevocationFeed } from '../../src/server/revocation-feed.js';
import { createTokenVerifier } from '../../src/server/verifier.js';
import { waitFor } from '../helpers/feed-stand-in.js';

const PASSWORD = 'correct horse battery staple';
let n = 0;

async function signUp(
  server: TestAuthServer,
  auth: AuthClient,
): Promise<{ email: string; session: Session }> {
  const email = `feed-${++n}-${Date.now()}@example.com`;
  await auth.register({ name: 'Ada Lovelace', email, password: PASSWORD });
  const answer = await auth.verifyEmail(await server.mailToken(email, '/verify-email'));
  assert.ok('accessToken' in answer);
  return { email, session: answer };
}

function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8'));
}

for (const alg of ['ES256', 'RS256', 'EdDSA'] as const) {
  describe(`JWKS verifier against a real auth-server, JWT_ALG=${alg}`, () => {
    let server: TestAuthServer;
    let auth: AuthClient;
    before(async () => {
      server = await startTestAuthServer({ JWT_ALG: alg });
      auth = new AuthClient({ baseUrl: server.url });
    });
    after(() => server.close());

    it('verifies its access tokens from the JWKS; a secret verifier refuses them', async () => {
      const { session } = await signUp(server, auth);
      assert.equal(headerOf(session.accessToken).alg, alg);
      const verifier = createTokenVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json` });
      const claims = await verifier.verify(session.accessToken);
      assert.equal(claims.sub, session.user.id);
      assert.deepEqual(
        verifier.jwks.keys().map((k) => k.alg),
        [alg],
      );
      const hs = createTokenVerifier({ secret: server.secret });
      assert.throws(
        () => hs.verifySync(session.accessToken),
        (err: unknown) => isAuthError(err) && err.code === 'invalid_token',
      );
    });

    it('serves a JWKS without private or symmetric members', async () => {
      const res = await fetch(`${server.url}/.well-known/jwks.json`);
      assert.match(res.headers.get('cache-control') ?? '', /max-age=300/);
      const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
      assert.ok(keys.length >= 1);
      for (const k of keys) {
        assert.equal(k.d, undefined);
        assert.equal(k.k, undefined);
        assert.equal(k.use, 'sig');
      }
    });
  });
}

describe('revocation feed against a real auth-server (ES256)', () => {
  let server: TestAuthServer;
  let auth: AuthClient;
  let feed: RevocationFeed;
  let app: FastifyInstance;
  const seen: string[] = [];

  before(
    async () => {
      server = await startTestAuthServer({ JWT_ALG: 'ES256', REVOCATION_HEARTBEAT_SECONDS: '1' });
      auth = new AuthClient({ baseUrl: server.url });
      feed = createRevocationFeed({
        url: server.url,
        serviceKey: server.serviceKey,
        onEvent: (e) => {
          seen.push(e.type);
        },
      });
      app = Fastify();
      await app.register(fastifyRequireAuth, {
        jwksUrl: `${server.url}/.well-known/jwks.json`,
        revocations: feed,
      });
      app.get('/me', { preHandler: app.requireAuth() }, async (request) => ({ sid: request.user.sessionId }));
      await feed.ready;
    },
    { timeout: 20_000 },
  );
  after(async () => {
    feed.close();
    await app.close();
    await server.close();
  });

  const get = (token: string) => app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } });

  it('is live once ready', () => {
    assert.equal(feed.status, 'live');
  });

  it('answers 401 session_revoked within 2 s of a logout, and not for another session', async () => {
    const { email, session } = await signUp(server, auth);
    const second = await auth.login({ email, password: PASSWORD });
    assert.equal((await get(session.accessToken)).statusCode, 200);
    const loggedOutAt = Date.now();
    await auth.logout(session.refreshToken);
    let res = await get(session.accessToken);
    while (res.statusCode === 200 && Date.now() - loggedOutAt < 2000) {
      await new Promise((r) => setTimeout(r, 20));
      res = await get(session.accessToken);
    }
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'session_revoked');
    assert.ok(Date.now() - loggedOutAt < 2000);
    assert.equal((await get(second.accessToken)).statusCode, 200, 'the other session is untouched');
    assert.ok(seen.includes('session_revoked'));
  });

  it('revokes the other sessions on a password change', async () => {
    const { email, session } = await signUp(server, auth);
    const other = await auth.login({ email, password: PASSWORD });
    await auth.changePassword(session.accessToken, {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase 9',
    });
    await waitFor(() => feed.isRevoked(claimsOf(other.accessToken)), 'the revocation', 2000);
    assert.equal((await get(other.accessToken)).json().code, 'session_revoked');
    assert.equal((await get(session.accessToken)).statusCode, 200);
  });

  it('verifies tokens of a key rotated in immediately (one unknown-kid refetch)', async () => {
    const { email, session } = await signUp(server, auth);
    assert.equal((await get(session.accessToken)).statusCode, 200);
    const rotated = await fetch(`${server.url}/api/admin/keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.serviceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ immediate: true }),
    });
    assert.equal(rotated.status, 200);
    const fresh = await auth.login({ email, password: PASSWORD });
    assert.notEqual(headerOf(fresh.accessToken).kid, headerOf(session.accessToken).kid);
    assert.equal((await get(fresh.accessToken)).statusCode, 200);
    assert.equal((await get(session.accessToken)).statusCode, 200, 'the previous key still verifies');
  });
});

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}
