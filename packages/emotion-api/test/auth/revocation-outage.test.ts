import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
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
import { tempDir } from '../helpers/servers.js';

const OUTAGE_WARNING = 'revocation feed unreachable';

/**
 * auth-server goes away and comes back on the same DATA_DIR and port: emotion-api says `stale`,
 * keeps accepting valid tokens by expiry alone and warns once per outage; back, it says `live`
 * and applies the event written while it could not see the feed.
 */
describe('revocation feed down and back', () => {
  const dataDir = tempDir('auth-outage');
  // Fixed, so every auth-server on this DATA_DIR decrypts the same signing keys and accepts the key.
  const env = {
    DATA_DIR: dataDir,
    JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
    SERVICE_KEY: randomBytes(32).toString('base64url'),
  };
  let auth: TestAuthServer;
  let api: TestEmotionApi;
  let port: string;
  const logLines: string[] = [];
  const warnings = () => logLines.filter((line) => line.includes(OUTAGE_WARNING)).length;

  before(async () => {
    auth = await startEs256AuthServer(env);
    port = new URL(auth.url).port;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    api = await startJwksApi(auth, {}, { logger: { level: 'warn', stream } });
    await eventually(
      async () => (await revocationsStatus(api.url)) === 'live',
      20_000,
      'the feed to be live',
    );
  });
  after(async () => {
    await api?.close();
    await auth?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stale while auth-server is down (tokens still accepted), live again with missed events applied', async () => {
    const email = await createUser(api.url, auth, 'outage');
    const doomed: Login = await login(api.url, email);
    const survivor: Login = await login(api.url, email);
    assert.deepEqual(await useToken(api.url, doomed.accessToken), { status: 200 });
    assert.equal(warnings(), 0);

    await auth.close();
    await eventually(async () => (await revocationsStatus(api.url)) === 'stale', 10_000, 'stale');
    assert.deepEqual(
      await useToken(api.url, survivor.accessToken),
      { status: 200 },
      'verified by expiry alone',
    );
    await eventually(async () => warnings() === 1, 10_000, 'the outage warning');

    // A logout emotion-api cannot hear of: made through another auth-server on the same data,
    // on another port, closed again before the original port comes back.
    const side = await startEs256AuthServer(env);
    await new AuthClient({ baseUrl: side.url }).logout(doomed.refreshToken);
    await side.close();
    assert.deepEqual(await useToken(api.url, doomed.accessToken), { status: 200 }, 'not known yet');

    auth = await startEs256AuthServer({ ...env, PORT: port });
    await eventually(async () => (await revocationsStatus(api.url)) === 'live', 45_000, 'live again');
    assert.deepEqual(await waitUntilRevoked(api.url, doomed.accessToken), {
      status: 401,
      code: 'session_revoked',
    });
    assert.deepEqual(await useToken(api.url, survivor.accessToken), { status: 200 });
    assert.equal(warnings(), 1, 'one warning for the whole outage, however many reconnects');

    // A second outage warns again, once.
    await auth.close();
    await eventually(async () => warnings() === 2, 10_000, 'the second outage warning');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a few reconnect attempts
    assert.equal(warnings(), 2);
  });
});
