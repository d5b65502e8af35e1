import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { PredictionStore } from '../../src/predictions/predictions.store.js';
import { idleDetector } from '../helpers/jwks.js';
import { startApi, type TestApi } from '../helpers/servers.js';
import { storeDialects, type TestStore } from '../predictions/stores.js';

/** A stand-in auth-server that counts its health probes. */
async function countingAuthServer(): Promise<{ url: string; probes: () => number; close(): Promise<void> }> {
  let probes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/api/health') probes++;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    probes: () => probes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('GET /health', () => {
  let auth: Awaited<ReturnType<typeof countingAuthServer>>;
  let t: TestStore;
  let api: TestApi;
  let downApi: TestApi;

  before(async () => {
    auth = await countingAuthServer();
    t = await (storeDialects()[0] as ReturnType<typeof storeDialects>[number]).open();
    api = await startApi(auth.url, {}, { detector: idleDetector });
    // The store, except that the database does not answer.
    const down: PredictionStore = Object.assign(Object.create(t.store) as PredictionStore, {
      ping: () => Promise.reject(new Error('Connection terminated unexpectedly')),
      close: async () => {},
    });
    downApi = await startApi(auth.url, {}, { detector: idleDetector, store: down });
  });
  after(async () => {
    await api.close();
    await downApi.close();
    await t.cleanup();
    await auth.close();
  });

  it('asks auth-server at most once every ~2 s, with one probe in flight for concurrent checks', async () => {
    const before = auth.probes();
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => api.app.inject({ method: 'GET', url: '/health' })),
    );
    for (const res of answers) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().authServer, 'ok');
    }
    await api.app.inject({ method: 'GET', url: '/health' });
    assert.equal(auth.probes() - before, 1);
  });

  it('says db "ok" while the database answers', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.json().db, 'ok');
    assert.equal(res.json().status, 'ok');
  });

  it('answers 503 with the same body, db "down", while the database does not answer', async () => {
    const res = await downApi.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(Object.keys(res.json()).sort(), ['authServer', 'db', 'model', 'revocations', 'status']);
    assert.equal(res.json().db, 'down');
    assert.equal(res.json().status, 'error');
  });
});
