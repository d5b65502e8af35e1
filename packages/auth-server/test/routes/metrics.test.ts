import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MailTransport } from '../../src/mail/transport.js';
import { bearer, login, post, register, signUp, startApp } from '../helpers/app.js';
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

    test('auth_refresh_total counts a replayed refresh token as reused', async (t) => {
      const { app } = await startApp(t, dialect);
      const session = await signUp(app, 'reused-metric@example.com');
      const second = (await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken })).json();
      await post(app, '/api/auth/refresh', { refreshToken: second.refreshToken });
      const replay = await post(app, '/api/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(replay.statusCode, 401);
      const lines = samples((await app.inject({ url: '/metrics' })).body);
      assert.ok(lines.includes('auth_refresh_total{result="reused"} 1'), lines.join('\n'));
    });

    test('auth_mail_outbox_pending counts undelivered mail at scrape time and falls when it is delivered', async (t) => {
      let smtpUp = false;
      const transport: MailTransport = {
        kind: 'smtp',
        async send() {
          if (!smtpUp) throw new Error('connect ECONNREFUSED');
        },
        close() {},
      };
      const { app } = await startApp(t, dialect, { build: { mailTransport: transport } });
      const pending = async () => {
        const lines = samples((await app.inject({ url: '/metrics' })).body);
        const line = lines.find((l) => l.startsWith('auth_mail_outbox_pending '));
        assert.ok(line, 'auth_mail_outbox_pending is exported');
        return Number(line.split(' ')[1]);
      };
      assert.equal(await pending(), 0);
      assert.equal((await register(app, 'pending-1@example.com')).statusCode, 201);
      assert.equal((await register(app, 'pending-2@example.com')).statusCode, 201);
      assert.equal(await pending(), 2);
      smtpUp = true;
      const deadline = Date.now() + 10_000;
      while ((await pending()) !== 0) {
        assert.ok(Date.now() < deadline, 'the gauge falls to 0 once the mails are delivered');
        await sleep(50);
      }
    });

    test('is not in the OpenAPI document', async (t) => {
      const { app } = await startApp(t, dialect);
      const doc = (await app.inject({ url: '/docs/json' })).json();
      assert.ok(doc.paths['/api/auth/login']);
      assert.equal(doc.paths['/metrics'], undefined);
    });
  });
}
