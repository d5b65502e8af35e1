import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { EmotionDetector } from '../../src/model/index.js';
import { startApi, type TestApi, tempDir } from '../helpers/servers.js';

const idleDetector: EmotionDetector = {
  model: 'idle',
  loaded: false,
  load: async () => {},
  detect: async () => [],
  close: async () => {},
};

/** The CSP as a map of directive → sources. */
function csp(res: LightMyRequestResponse): Map<string, string> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name = '', ...sources] = part.split(/\s+/);
        return [name, sources.join(' ')] as const;
      }),
  );
}

function assertSecurityHeaders(res: LightMyRequestResponse, label: string): void {
  const policy = csp(res);
  assert.equal(policy.get('default-src'), "'self'", label);
  assert.equal(policy.get('script-src'), "'self'", `${label}: scripts only from this origin, none inline`);
  assert.equal(policy.get('script-src-attr'), "'none'", label);
  assert.equal(policy.get('style-src'), "'self' 'unsafe-inline'", label);
  assert.equal(policy.get('img-src'), "'self' blob: data:", label);
  assert.equal(policy.get('frame-ancestors'), "'none'", label);
  assert.equal(policy.get('object-src'), "'none'", label);
  assert.equal(policy.get('base-uri'), "'self'", label);
  assert.equal(policy.get('form-action'), "'self'", label);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', label);
  assert.equal(res.headers['x-frame-options'], 'DENY', label);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', label);
}

describe('browser security headers (helmet)', () => {
  let api: TestApi;
  let production: TestApi;
  let web: string;

  before(async () => {
    web = tempDir('web');
    mkdirSync(path.join(web, 'assets'));
    writeFileSync(
      path.join(web, 'index.html'),
      '<!doctype html><title>Emotion</title><div id="root"></div><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log(1)');
    // auth-server is not running here: nothing in these tests calls it.
    api = await startApi('http://127.0.0.1:9', { WEB_DIST: web }, { detector: idleDetector });
    production = await startApi(
      'http://127.0.0.1:9',
      { WEB_DIST: web, NODE_ENV: 'production' },
      { detector: idleDetector },
    );
  });
  after(async () => {
    await production?.close();
    await api?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('sends the CSP, frame, nosniff and referrer headers on the web app, its assets and client-side routes', async () => {
    for (const url of ['/', '/assets/app.js', '/verify-email?token=x']) {
      const res = await api.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 200, url);
      assertSecurityHeaders(res, url);
    }
  });

  it('sends them on API answers and problem+json errors too', async () => {
    const health = await api.app.inject({ method: 'GET', url: '/health' });
    assertSecurityHeaders(health, 'GET /health');
    const unauthorized = await api.app.inject({ method: 'GET', url: '/logs' });
    assert.equal(unauthorized.statusCode, 401);
    assertSecurityHeaders(unauthorized, 'GET /logs without a token');
    const missing = await api.app.inject({ method: 'GET', url: '/nothing-here' });
    assert.equal(missing.statusCode, 404);
    assertSecurityHeaders(missing, 'GET /nothing-here');
  });

  it('keeps /docs working under the same policy: its page loads only external scripts from this origin', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assertSecurityHeaders(page, 'GET /docs/');
    const html = page.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes = '', body = ''] of scripts) {
      assert.match(attributes, /\bsrc="\.\/static\//, 'every script is a file of /docs/static');
      assert.equal(body.trim(), '', 'no inline script');
    }
    for (const [, src] of html.matchAll(/\bsrc="\.\/([^"]+)"/g)) {
      const asset = await api.app.inject({ method: 'GET', url: `/docs/${src}` });
      assert.equal(asset.statusCode, 200, `/docs/${src}`);
    }
    const spec = await api.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(spec.statusCode, 200);
    assertSecurityHeaders(spec, 'GET /docs/json');
  });

  it('sends Strict-Transport-Security and upgrade-insecure-requests only in production', async () => {
    const dev = await api.app.inject({ method: 'GET', url: '/health' });
    assert.equal(dev.headers['strict-transport-security'], undefined);
    assert.equal(csp(dev).has('upgrade-insecure-requests'), false);
    const prod = await production.app.inject({ method: 'GET', url: '/' });
    assertSecurityHeaders(prod, 'production GET /');
    assert.equal(prod.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(csp(prod).has('upgrade-insecure-requests'), true);
  });
});
