import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EmotionDetector } from '../src/model/index.js';
import { signAccessToken, startApi, type TestApi, tempDir } from './helpers/servers.js';

const idleDetector: EmotionDetector = {
  model: 'idle',
  loaded: false,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

describe('emotion-api app: docs, 404s, CORS and the web app', () => {
  let api: TestApi;
  let web: string;

  before(async () => {
    web = tempDir('web');
    mkdirSync(path.join(web, 'assets'));
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Emotion</title><div id="root"></div>');
    writeFileSync(path.join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
    // auth-server is not running here: nothing in these tests calls it.
    api = await startApi('http://127.0.0.1:9', { WEB_DIST: web }, { detector: idleDetector });
  });
  after(async () => {
    await api?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves the OpenAPI document with every route and the UI at /docs', async () => {
    const ui = await api.app.inject({ method: 'GET', url: '/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
    const doc = await api.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(doc.statusCode, 200);
    const paths = Object.keys(doc.json().paths).sort();
    for (const p of [
      '/auth/register',
      '/auth/login',
      '/auth/verify',
      '/auth/refresh',
      '/auth/logout',
      '/auth/forgot-password',
      '/auth/reset-password',
      '/auth/resend-verification',
      '/auth/me',
      '/auth/password',
      '/auth/sessions',
      '/auth/sessions/{id}',
      '/detect',
      '/logs',
      '/logs/{id}',
      '/images/{id}',
      '/stats',
      '/health',
    ]) {
      assert.ok(paths.includes(p), `${p} documented`);
    }
    assert.ok(doc.json().paths['/detect'].post.responses['200']);
  });

  it('answers 404 not_found problem+json for unknown API routes', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['POST', '/nope'],
      ['GET', '/logs/x/y'],
    ] as const) {
      const res = await api.app.inject({ method, url, headers: { accept: 'application/json' } });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().code, 'not_found');
    }
  });

  it('serves the web app at / with index.html for client-side routes that accept HTML', async () => {
    const index = await api.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /<div id="root">/);
    const route = await api.app.inject({
      method: 'GET',
      url: '/verify-email?token=abc',
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    assert.equal(route.statusCode, 200);
    assert.match(String(route.headers['content-type']), /text\/html/);
    assert.match(route.body, /<div id="root">/);
    // A link from a mail, or the GET /auth/verify redirect followed by a client that accepts anything.
    for (const url of ['/verify-email?token=abc', '/reset-password?token=abc']) {
      const followed = await api.app.inject({ method: 'GET', url, headers: { accept: '*/*' } });
      assert.equal(followed.statusCode, 200, url);
      assert.match(followed.body, /<div id="root">/);
    }
    const asset = await api.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    const missingAsset = await api.app.inject({
      method: 'GET',
      url: '/assets/missing.js',
      headers: { accept: '*/*' },
    });
    assert.equal(missingAsset.statusCode, 404);
  });

  it('answers CORS preflights for the configured origins only', async () => {
    const allowed = await api.app.inject({
      method: 'OPTIONS',
      url: '/detect',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-csrf-token',
      },
    });
    assert.equal(allowed.statusCode, 204);
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
    const foreign = await api.app.inject({
      method: 'OPTIONS',
      url: '/detect',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  });

  it('reports an unreachable auth-server, the model state and a stale revocation feed in /health', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      status: 'ok',
      model: { loaded: false, name: 'idle' },
      authServer: 'unreachable',
      revocations: 'stale',
      db: 'ok',
    });
  });

  it('answers 503 auth_unavailable on /auth/* when auth-server cannot be reached', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'a@example.com', password: 'whatever-long-enough' },
    });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'auth_unavailable');
  });

  it('answers 400 validation_failed listing every invalid field, not just the first', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/auth/register', payload: {} });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = res.json();
    assert.equal(body.code, 'validation_failed');
    assert.deepEqual(body.errors.map((e: { path: string }) => e.path).sort(), ['email', 'name', 'password']);
    const bad = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'not-an-email', password: 'whatever-long-enough' },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().errors, [{ path: 'email', message: 'must be a valid email address' }]);
  });

  it('accepts the email addresses auth-server accepts (Unicode ones too) and passes them on', async () => {
    for (const email of ['Jörg.Ünï@Exämple.com', 'åsa@example.com', 'Mixed.Case@Example.COM']) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email, password: 'whatever-long-enough' },
      });
      // Past validation: the call reached for auth-server, which is not running here.
      assert.equal(res.statusCode, 503, `${email}: ${res.body}`);
      assert.equal(res.json().code, 'auth_unavailable');
    }
  });

  it('answers 404 not_found (not 400) for an image or log id that is not even a UUID', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signAccessToken({
      iss: 'auth-server',
      aud: 'authenticated',
      sub: '00000000-0000-4000-8000-000000000001',
      sid: '00000000-0000-4000-8000-000000000002',
      email: 'someone@example.com',
      role: 'user',
      iat: now,
      exp: now + 300,
    });
    const headers = { authorization: `Bearer ${token}` };
    for (const [method, url] of [
      ['GET', '/images/does-not-exist'],
      ['DELETE', '/logs/does-not-exist'],
      ['GET', '/images/12345'],
    ] as const) {
      const res = await api.app.inject({ method, url, headers });
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().code, 'not_found');
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    }
  });

  it('answers 413 payload_too_large for a JSON body over 1 MB', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().code, 'payload_too_large');
  });
});
