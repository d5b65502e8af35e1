import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthClient } from '@emotion-app/auth-client';
import type { TestAuthServer } from '@emotion-app/auth-server/testing';
import type { TestEmotionApi } from '@emotion-app/emotion-api/testing';
import {
  createUser,
  eventually,
  type Login,
  login,
  revocationsStatus,
  startEs256AuthServer,
  startJwksApi,
  useToken,
  waitUntilRevoked,
} from '../helpers/jwks.js';
import { PASSWORD } from '../helpers/servers.js';

const REVOKED = { status: 401, code: 'session_revoked' };
const OK = { status: 200 };

/**
 * Each revocation auth-server makes reaches emotion-api through the feed: the affected access
 * tokens answer 401 session_revoked within 2 s (polled), an unaffected session of another user
 * keeps working.
 */
describe('emotion-api honours auth-server revocations within 2 s (ES256, JWKS, feed)', () => {
  let auth: TestAuthServer;
  let api: TestEmotionApi;
  let client: AuthClient;
  let bystander: Login;

  before(async () => {
    auth = await startEs256AuthServer();
    api = await startJwksApi(auth);
    client = new AuthClient({ baseUrl: auth.url });
    await eventually(
      async () => (await revocationsStatus(api.url)) === 'live',
      20_000,
      'the feed to be live',
    );
    bystander = await login(api.url, await createUser(api.url, auth, 'bystander'));
  });
  after(async () => {
    await api?.close();
    await auth?.close();
  });

  /** The bystander (another user) is never affected. */
  async function bystanderStillWorks(): Promise<void> {
    assert.deepEqual(await useToken(api.url, bystander.accessToken), OK);
  }

  it('/health says revocations: live', async () => {
    const body = (await (await fetch(`${api.url}/health`)).json()) as Record<string, unknown>;
    assert.equal(body.revocations, 'live');
    assert.equal(body.authServer, 'ok');
  });

  it('logout through emotion-api', async () => {
    const email = await createUser(api.url, auth, 'logout');
    const session = await login(api.url, email);
    const other = await login(api.url, email);
    assert.deepEqual(await useToken(api.url, session.accessToken), OK);
    const res = await fetch(`${api.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    assert.equal(res.status, 204);
    assert.deepEqual(await waitUntilRevoked(api.url, session.accessToken), REVOKED);
    assert.deepEqual(await useToken(api.url, other.accessToken), OK, "the user's other session stays");
    await bystanderStillWorks();
  });

  it('session delete (DELETE /api/users/me/sessions/:id)', async () => {
    const email = await createUser(api.url, auth, 'session-delete');
    const keeper = await login(api.url, email);
    const victim = await login(api.url, email);
    assert.deepEqual(await useToken(api.url, victim.accessToken), OK);
    await client.revokeSession(keeper.accessToken, victim.sessionId);
    assert.deepEqual(await waitUntilRevoked(api.url, victim.accessToken), REVOKED);
    assert.deepEqual(await useToken(api.url, keeper.accessToken), OK);
    await bystanderStillWorks();
  });

  it('password change revokes the other sessions', async () => {
    const email = await createUser(api.url, auth, 'password-change');
    const current = await login(api.url, email);
    const other = await login(api.url, email);
    assert.deepEqual(await useToken(api.url, other.accessToken), OK);
    await client.changePassword(current.accessToken, {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase 77',
    });
    assert.deepEqual(await waitUntilRevoked(api.url, other.accessToken), REVOKED);
    assert.deepEqual(await useToken(api.url, current.accessToken), OK, 'the session that changed it stays');
    await bystanderStillWorks();
  });

  it('password reset revokes every session of the user', async () => {
    const email = await createUser(api.url, auth, 'password-reset');
    const first = await login(api.url, email);
    const second = await login(api.url, email);
    await client.forgotPassword(email);
    const token = await auth.mailToken(email, '/reset-password');
    await client.resetPassword(token, 'another long passphrase 88');
    const since = Date.now();
    assert.deepEqual(await waitUntilRevoked(api.url, first.accessToken, since), REVOKED);
    assert.deepEqual(await waitUntilRevoked(api.url, second.accessToken, since), REVOKED);
    await bystanderStillWorks();
  });

  it('refresh-token reuse revokes the session (its newest access token too)', async () => {
    const email = await createUser(api.url, auth, 'refresh-reuse');
    const session = await login(api.url, email);
    const second = await client.refreshToken(session.refreshToken);
    const third = await client.refreshToken(second.refreshToken);
    assert.deepEqual(await useToken(api.url, third.accessToken), OK);
    // The first token again, after its successor was itself rotated: reuse, the session dies.
    await assert.rejects(client.refreshToken(session.refreshToken), { code: 'refresh_token_reused' });
    const since = Date.now();
    assert.deepEqual(await waitUntilRevoked(api.url, third.accessToken, since), REVOKED);
    assert.deepEqual(await waitUntilRevoked(api.url, session.accessToken, since), REVOKED);
    await bystanderStillWorks();
  });
});
