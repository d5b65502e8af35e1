/**
 * PostgreSQL lost and back while emotion-api runs: the real server behind a TCP proxy that the
 * test cuts (every connection dropped, new ones refused) and restores. Needs TEST_DATABASE_URL:
 * without it the test is skipped with that reason (the embedded pass); the PostgreSQL pass of CI
 * sets it, and there an unreachable server fails the test.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openPredictionStore } from '../../src/predictions/predictions.open.js';
import { idleDetector } from '../helpers/jwks.js';
import { signAccessToken, startApi, type TestApi } from '../helpers/servers.js';
import { jpegOf, prediction } from '../predictions/fixtures.js';
import { freshSchema, withSearchPath } from '../predictions/stores.js';

const url = process.env.TEST_DATABASE_URL;

/** A TCP proxy to `target` that can be cut and restored on the same port. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function bearer(userId: string): string {
  const now = Math.floor(Date.now() / 1000);
  return `Bearer ${signAccessToken({
    iss: 'auth-server',
    aud: 'authenticated',
    sub: userId,
    sid: randomUUID(),
    email: 'outage@example.com',
    role: 'user',
    iat: now,
    exp: now + 600,
  })}`;
}

describe('PostgreSQL down and back (DATABASE_URL through a cuttable proxy)', {
  skip: url ? false : 'needs TEST_DATABASE_URL',
}, () => {
  let proxy: CuttableProxy;
  let api: TestApi;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  const userId = randomUUID();
  const get = (path: string) =>
    api.app.inject({ method: 'GET', url: path, headers: { authorization: bearer(userId) } });

  before(async () => {
    const real = new URL(url as string);
    schema = await freshSchema(url as string);
    proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(withSearchPath(url as string, schema.schema));
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    api = await startApi(
      'http://127.0.0.1:9',
      { DATABASE_URL: viaProxy.toString() },
      { detector: idleDetector },
    );
  });
  after(async () => {
    await api?.close();
    await proxy?.cut();
    await schema?.drop();
  });

  it('answers 503 service_unavailable while it is down, never 500, and recovers by itself', async () => {
    const direct = await openPredictionStore({
      databaseUrl: withSearchPath(url as string, schema.schema),
      dataDir: '',
    });
    const p = prediction(userId, '2026-05-01T10:00:00.000Z', 'happy', 0.9);
    await direct.insert(p, jpegOf(p.id));
    await direct.close();

    assert.equal((await get('/logs?limit=1')).json().total, 1);
    assert.equal((await api.app.inject({ url: '/health' })).statusCode, 200);

    await proxy.cut();
    for (const path of [
      '/logs?limit=1',
      '/stats',
      `/images/${p.id}`,
      '/logs/export?format=csv',
      '/logs?limit=1',
    ]) {
      const res = await get(path);
      assert.equal(res.statusCode, 503, `${path}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().code, 'service_unavailable');
    }
    const del = await api.app.inject({
      method: 'DELETE',
      url: `/logs/${p.id}`,
      headers: { authorization: bearer(userId) },
    });
    assert.equal(del.statusCode, 503);
    const health = await api.app.inject({ url: '/health' });
    assert.equal(health.statusCode, 503);
    assert.equal(health.json().db, 'down');

    await proxy.start();
    const started = Date.now();
    let res = await get('/logs?limit=1');
    while (res.statusCode !== 200 && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await get('/logs?limit=1');
    }
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().total, 1, 'no row lost');
    assert.equal((await get(`/images/${p.id}`)).statusCode, 200);
    assert.equal((await api.app.inject({ url: '/health' })).json().db, 'ok');
  });
});
