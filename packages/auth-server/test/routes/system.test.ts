import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARGON2_PRODUCTION_COST } from '../../src/config.js';
import { outbox, register, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

for (const dialect of dialects()) {
  describe(`health, outbox and docs on ${dialect.name}`, () => {
    test('GET /api/health answers 200 {status ok, db ok}', async (t) => {
      const { app } = await startApp(t, dialect);
      const res = await app.inject({ url: '/api/health' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', db: 'ok' });
    });

    test('GET /api/health answers 503 when the database is unreachable', async (t) => {
      const { app } = await startApp(t, dialect);
      t.mock.method(app.ctx.db, 'getExecutor', () => {
        throw new Error('connect ECONNREFUSED');
      });
      const res = await app.inject({ url: '/api/health' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), { status: 'error', db: 'down' });
    });

    test('GET /api/dev/outbox lists messages newest first with links, filtered by ?to=', async (t) => {
      const { app } = await startApp(t, dialect);
      await register(app, 'one@example.com');
      await register(app, 'two@example.com');
      await register(app, 'one@example.com');
      const all = (await app.inject({ url: '/api/dev/outbox' })).json().messages;
      assert.equal(all.length, 3);
      const mine = await outbox(app, 'One@Example.com');
      assert.equal(mine.length, 2);
      assert.ok(Date.parse(mine[0]?.createdAt ?? '') >= Date.parse(mine[1]?.createdAt ?? ''));
      for (const m of mine) {
        assert.deepEqual(Object.keys(m).sort(), [
          'createdAt',
          'html',
          'id',
          'links',
          'subject',
          'text',
          'to',
        ]);
        assert.equal(m.links.length, 1);
      }
    });

    test('the development outbox is absent (404) in production', async (t) => {
      const { app } = await startApp(t, dialect, {
        env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' },
        overrides: { argon2: { ...ARGON2_PRODUCTION_COST } },
      });
      assert.equal((await app.inject({ url: '/api/dev/outbox' })).statusCode, 404);
    });

    test('serves the OpenAPI document and a browsable UI at /docs', async (t) => {
      const { app } = await startApp(t, dialect);
      const doc = await app.inject({ url: '/docs/json' });
      assert.equal(doc.statusCode, 200);
      const paths = Object.keys(doc.json().paths);
      for (const p of [
        '/api/auth/register',
        '/api/auth/login',
        '/api/auth/refresh',
        '/api/users/me',
        '/api/health',
      ]) {
        assert.ok(paths.includes(p), p);
      }
      const ui = await app.inject({ url: '/docs/' });
      assert.equal(ui.statusCode, 200);
      assert.match(ui.headers['content-type'] as string, /text\/html/);
    });

    test('CORS preflight from CORS_ORIGINS allows PATCH and DELETE, and Retry-After is exposed', async (t) => {
      const { app } = await startApp(t, dialect);
      const origin = 'http://localhost:5173';
      for (const [method, url] of [
        ['PATCH', '/api/users/me'],
        ['DELETE', '/api/users/me/sessions/00000000-0000-4000-8000-000000000000'],
        ['POST', '/api/auth/login'],
      ] as const) {
        const res = await app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        assert.equal(res.statusCode, 204, `${method} ${url}`);
        assert.equal(res.headers['access-control-allow-origin'], origin);
        const allowed = String(res.headers['access-control-allow-methods']).split(/,\s*/);
        assert.ok(allowed.includes(method), `${method} in ${allowed.join(',')}`);
      }
      const res = await app.inject({ url: '/api/health', headers: { origin } });
      assert.match(String(res.headers['access-control-expose-headers']), /retry-after/i);
    });
  });
}
