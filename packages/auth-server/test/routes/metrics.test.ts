import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bearer, login, post, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [^ ]+$/;
const METRICS_TOKEN = 'metrics-token-for-tests';

/** The sample lines of a Prometheus text, each checked against the exposition format. */
function samples(text: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) assert.match(line, SAMPLE_LINE);
  return lines;
}

for (const dialect of dialects()) {
  describe(`GET /metrics on ${dialect.name}`, () => {
    test('counts logins and refreshes by result, behind METRICS_TOKEN', async (t) => {
      const { app } = await startApp(t, dialect, { env: { METRICS_TOKEN } });
      await signUp(app, 'metrics@example.com');
      assert.equal((await login(app, 'metrics@example.com', 'not the password')).statusCode, 401);
      const good = await login(app, 'metrics@example.com');
      assert.equal(good.statusCode, 200);
      const refreshToken = good.json().refreshToken;
      assert.equal((await post(app, '/api/auth/refresh', { refreshToken })).statusCode, 200);
      assert.equal((await post(app, '/api/auth/refresh', { refreshToken: 'nope' })).statusCode, 401);

      assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401);
      const res = await app.inject({ url: '/metrics', headers: bearer(METRICS_TOKEN) });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const lines = samples(res.body);
      assert.ok(lines.includes('auth_logins_total{result="invalid_credentials"} 1'), res.body);
      assert.ok(lines.includes('auth_logins_total{result="success"} 1'));
      assert.ok(lines.includes('auth_refresh_total{result="success"} 1'));
      assert.ok(lines.includes('auth_refresh_total{result="invalid"} 1'));
      assert.ok(
        lines.includes(
          'http_request_duration_seconds_count{method="POST",route="/api/auth/login",status_code="200"} 1',
        ),
      );
    });

    test('is not in the OpenAPI document', async (t) => {
      const { app } = await startApp(t, dialect);
      const doc = (await app.inject({ url: '/docs/json' })).json();
      assert.ok(doc.paths['/api/auth/login']);
      assert.equal(doc.paths['/metrics'], undefined);
    });
  });
}
