import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { TestAuthServer } from '@emotion-app/auth-server/testing';
import { startTestEmotionApi, type TestEmotionApi } from '@emotion-app/emotion-api/testing';
import {
  createUser,
  eventually,
  idleDetector,
  login,
  revocationsStatus,
  startEs256AuthServer,
  useToken,
} from '../helpers/jwks.js';
import { tempDir } from '../helpers/servers.js';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `npm start` with no configuration, emotion-api first: it starts without auth-server, without
 * a secret and before `DATA_DIR/dev-service-key` exists; once auth-server is up on the same
 * DATA_DIR it reads the key, follows the feed and verifies through the JWKS.
 */
describe('emotion-api started before auth-server (no secret, no service key yet)', () => {
  const dataDir = tempDir('startup-order');
  let api: TestEmotionApi | undefined;
  let auth: TestAuthServer | undefined;
  after(async () => {
    await api?.close();
    await auth?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts at once, says stale, and goes live when auth-server writes the key and answers', async () => {
    const port = await freePort();
    const authUrl = `http://127.0.0.1:${port}`;
    const running = await startTestEmotionApi(
      { AUTH_URL: authUrl, DATA_DIR: dataDir },
      { detector: idleDetector },
    );
    api = running;
    assert.equal(api.config.jwtSecret, null);
    assert.equal(api.config.serviceKey, null);
    assert.equal(api.config.serviceKeyFile, path.join(dataDir, 'dev-service-key'));
    assert.equal(existsSync(path.join(dataDir, 'dev-service-key')), false);
    assert.equal(await revocationsStatus(api.url), 'stale');

    auth = await startEs256AuthServer({ DATA_DIR: dataDir, PORT: String(port), SERVICE_KEY: '' });
    assert.ok(existsSync(path.join(dataDir, 'dev-service-key')));
    await eventually(
      async () => (await revocationsStatus(running.url)) === 'live',
      30_000,
      'the feed to be live',
    );
    const session = await login(api.url, await createUser(api.url, auth, 'startup'));
    assert.deepEqual(await useToken(api.url, session.accessToken), { status: 200 });
  });
});
