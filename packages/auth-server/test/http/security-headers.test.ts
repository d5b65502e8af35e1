/**
 * Browser security headers (issue 10, finding 4): a CSP that allows nothing on the JSON API,
 * one that lets swagger-ui run on /docs, nosniff, no referrer, no framing, HSTS in production.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ARGON2_PRODUCTION_COST } from '../../src/config.js';
import { startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

/** The CSP as a map of directive → sources. */
function csp(res: LightMyRequestResponse): Map<string, string> {
  return new Map(
    String(res.headers['content-security-policy'] ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => {
        const [name = '', ...sources] = part.split(/\s+/);
        return [name, sources.join(' ')] as const;
      }),
  );
}

function assertCommonHeaders(res: LightMyRequestResponse, label: string): void {
  assert.equal(res.headers['x-content-type-options'], 'nosniff', label);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', label);
  assert.equal(res.headers['x-frame-options'], 'DENY', label);
  assert.equal(csp(res).get('frame-ancestors'), "'none'", label);
}

const [dialect] = dialects();

describe('browser security headers (helmet)', () => {
  assert.ok(dialect);

  test("JSON routes and errors carry CSP default-src 'none', nosniff, no-referrer and DENY framing, and no HSTS outside production", async (t) => {
    const { app } = await startApp(t, dialect);
    const responses = {
      'GET /api/health': await app.inject({ url: '/api/health' }),
      'POST /api/auth/login (401)': await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.com', password: 'wrong password' },
      }),
      'GET /nowhere (404)': await app.inject({ url: '/nowhere' }),
    };
    for (const [label, res] of Object.entries(responses)) {
      assertCommonHeaders(res, label);
      assert.deepEqual(
        Object.fromEntries(csp(res)),
        {
          'default-src': "'none'",
          'base-uri': "'none'",
          'form-action': "'none'",
          'frame-ancestors': "'none'",
        },
        label,
      );
      assert.equal(res.headers['strict-transport-security'], undefined, label);
    }
  });

  test('/docs gets a CSP that lets swagger-ui load its own scripts, styles and the OpenAPI document, and nothing inline', async (t) => {
    const { app } = await startApp(t, dialect);
    const page = await app.inject({ url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assertCommonHeaders(page, '/docs/');
    const policy = csp(page);
    assert.equal(policy.get('default-src'), "'self'");
    assert.equal(policy.get('script-src'), "'self'");
    assert.equal(policy.get('script-src-attr'), "'none'");
    assert.equal(policy.get('connect-src'), "'self'");
    assert.equal(policy.get('style-src'), "'self' 'unsafe-inline'", 'swagger-ui injects a <style> element');
    assert.equal(policy.get('object-src'), "'none'");
    assert.equal(policy.get('upgrade-insecure-requests'), undefined, 'not over plain HTTP in development');
    assert.doesNotMatch(
      page.body,
      /<script>|<script [^>]*>[^<\s]/,
      'every script is a file from this origin',
    );
    for (const url of [
      '/docs/static/swagger-ui-bundle.js',
      '/docs/static/swagger-initializer.js',
      '/docs/json',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(csp(res).get('script-src'), "'self'", url);
    }
  });

  test('HSTS is sent in production only, and /docs then upgrades insecure requests', async (t) => {
    const { app } = await startApp(t, dialect, {
      env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' },
      overrides: { argon2: { ...ARGON2_PRODUCTION_COST } },
    });
    const res = await app.inject({ url: '/api/health' });
    assert.match(String(res.headers['strict-transport-security']), /^max-age=31536000; includeSubDomains$/);
    assertCommonHeaders(res, 'production /api/health');
    const docs = await app.inject({ url: '/docs/' });
    assert.equal(csp(docs).get('upgrade-insecure-requests'), '');
  });
});
