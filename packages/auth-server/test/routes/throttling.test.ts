import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bearer, PASSWORD, post, problem, signUp, startApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

function loginFrom(app: FastifyInstance, ip: string, email: string, password: string, deviceToken?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password, ...(deviceToken ? { deviceToken } : {}) },
    remoteAddress: ip,
  });
}

function assertRateLimited(
  res: { statusCode: number; headers: Record<string, unknown> } & Parameters<typeof problem>[0],
) {
  assert.equal(res.statusCode, 429);
  assert.equal(problem(res).code, 'rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${res.headers['retry-after']}`);
}

const [dialect] = dialects();

describe('throttling (memory store)', () => {
  assert.ok(dialect);

  test('failed logins per account and IP answer 429 rate_limited with Retry-After once over the limit', async (t) => {
    const { app } = await startApp(t, dialect, { env: { RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/900' } });
    await signUp(app, 'victim@example.com');
    for (let i = 0; i < 3; i++) {
      assert.equal((await loginFrom(app, '198.51.100.1', 'victim@example.com', 'bad guess')).statusCode, 401);
    }
    assertRateLimited(await loginFrom(app, '198.51.100.1', 'victim@example.com', PASSWORD));
    assert.equal((await loginFrom(app, '198.51.100.2', 'victim@example.com', PASSWORD)).statusCode, 200);
  });

  test('a device that signed in before is not locked out by failures from all IPs', async (t) => {
    const { app } = await startApp(t, dialect, { env: { RATE_LIMIT_LOGIN_ACCOUNT: '3/3600' } });
    await signUp(app, 'owner@example.com');
    const first = await loginFrom(app, '192.0.2.10', 'owner@example.com', PASSWORD);
    const deviceToken = String(first.headers['device-token'] ?? '');
    assert.ok(deviceToken);
    for (let i = 1; i <= 3; i++) {
      await loginFrom(app, `203.0.113.${i}`, 'owner@example.com', 'attacker guess');
    }
    assertRateLimited(await loginFrom(app, '203.0.113.50', 'owner@example.com', PASSWORD));
    const owner = await loginFrom(app, '192.0.2.10', 'owner@example.com', PASSWORD, deviceToken);
    assert.equal(owner.statusCode, 200, 'the known device still gets in');
    const forged = await loginFrom(
      app,
      '192.0.2.11',
      'owner@example.com',
      PASSWORD,
      `${deviceToken.slice(0, -2)}AA`,
    );
    assertRateLimited(forged);
  });

  test('register is limited per IP', async (t) => {
    const { app } = await startApp(t, dialect, { env: { RATE_LIMIT_REGISTER: '2/300' } });
    for (let i = 0; i < 2; i++) {
      const res = await post(app, '/api/auth/register', {
        name: 'n',
        email: `r${i}@example.com`,
        password: PASSWORD,
      });
      assert.equal(res.statusCode, 201);
    }
    assertRateLimited(
      await post(app, '/api/auth/register', { name: 'n', email: 'r9@example.com', password: PASSWORD }),
    );
  });

  test('forgot-password and resend-verification are limited per address, known or not', async (t) => {
    const { app } = await startApp(t, dialect, {
      env: { RATE_LIMIT_FORGOT_EMAIL: '2/3600', RATE_LIMIT_RESEND_EMAIL: '2/3600' },
    });
    for (const path of ['/api/auth/forgot-password', '/api/auth/resend-verification']) {
      for (let i = 0; i < 2; i++)
        assert.equal((await post(app, path, { email: 'Someone@example.com' })).statusCode, 202);
      assertRateLimited(await post(app, path, { email: 'someone@example.com' }));
      assert.equal((await post(app, path, { email: 'other@example.com' })).statusCode, 202);
    }
  });

  test('verify, reset and refresh are limited per IP', async (t) => {
    const { app } = await startApp(t, dialect, {
      env: { RATE_LIMIT_VERIFY: '1/300', RATE_LIMIT_RESET: '1/300', RATE_LIMIT_REFRESH: '1/300' },
    });
    const cases: [string, Record<string, string>][] = [
      ['/api/auth/verify', { token: 'x' }],
      ['/api/auth/reset-password', { token: 'x', password: 'whatever passphrase' }],
      ['/api/auth/refresh', { refreshToken: 'x' }],
    ];
    for (const [path, body] of cases) {
      assert.notEqual((await post(app, path, body)).statusCode, 429);
      assertRateLimited(await post(app, path, body));
    }
  });

  test('verify counts refused tokens only: many real sign-ups from one IP all verify', async (t) => {
    const { app } = await startApp(t, dialect, { env: { RATE_LIMIT_VERIFY: '2/300' } });
    for (let i = 0; i < 4; i++) await signUp(app, `user${i}@example.com`);
    for (let i = 0; i < 2; i++) {
      assert.equal((await post(app, '/api/auth/verify', { token: `guess-${i}` })).statusCode, 400);
    }
    assertRateLimited(await post(app, '/api/auth/verify', { token: 'guess-3' }));
  });

  test('concurrent token guesses on verify and reset: at most the limit are checked, the rest 429', async (t) => {
    const { app } = await startApp(t, dialect, {
      env: { RATE_LIMIT_VERIFY: '3/300', RATE_LIMIT_RESET: '3/300' },
    });
    for (const [path, body] of [
      ['/api/auth/verify', (i: number) => ({ token: `guess-${i}` })],
      [
        '/api/auth/reset-password',
        (i: number) => ({ token: `guess-${i}`, password: 'Vivid-Sunset-Harbor-2049' }),
      ],
    ] as const) {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(app, path, body(i))));
      const codes = answers.map((res) => res.statusCode);
      assert.equal(codes.filter((c) => c === 400).length, 3, `${path}: ${codes.join(',')}`);
      assert.equal(codes.filter((c) => c === 429).length, 9, `${path}: ${codes.join(',')}`);
    }
  });

  test('two IPv6 clients in one /64 share the login-IP budget; a client in another /64 does not', async (t) => {
    const { app } = await startApp(t, dialect, { env: { RATE_LIMIT_LOGIN_IP: '3/300' } });
    for (let i = 1; i <= 3; i++) {
      const res = await loginFrom(app, `2001:db8:1:2::${i}`, `nobody${i}@example.com`, 'wrong password');
      assert.equal(res.statusCode, 401);
    }
    assertRateLimited(await loginFrom(app, '2001:db8:1:2:ffff:ffff:ffff:ffff', 'nobody4@example.com', 'x'));
    assert.equal(
      (await loginFrom(app, '2001:db8:1:3::1', 'nobody5@example.com', 'wrong password')).statusCode,
      401,
    );
    assert.equal(
      (await loginFrom(app, '::ffff:192.0.2.9', 'nobody6@example.com', 'wrong password')).statusCode,
      401,
    );
  });

  test('X-Forwarded-For is ignored unless TRUST_PROXY names the proxy', async (t) => {
    const spoofed = { 'x-forwarded-for': '6.6.6.6' };
    const direct = await startApp(t, dialect);
    const s1 = await signUp(direct.app, 'direct@example.com');
    await direct.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'direct@example.com', password: PASSWORD },
      headers: spoofed,
    });
    const list1 = (
      await direct.app.inject({ url: '/api/users/me/sessions', headers: bearer(s1.accessToken) })
    ).json();
    assert.ok(list1.sessions.every((s: { ip: string }) => s.ip === '127.0.0.1'));

    const proxied = await startApp(t, dialect, { env: { TRUST_PROXY: '127.0.0.1' } });
    const s2 = await signUp(proxied.app, 'proxied@example.com');
    await proxied.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'proxied@example.com', password: PASSWORD },
      headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.77' },
    });
    const list2 = (
      await proxied.app.inject({ url: '/api/users/me/sessions', headers: bearer(s2.accessToken) })
    ).json();
    const ips = list2.sessions.map((s: { ip: string }) => s.ip);
    assert.ok(ips.includes('203.0.113.77'), `the address the trusted proxy saw, not the leftmost: ${ips}`);
    assert.ok(!ips.includes('6.6.6.6'));
  });
});

// Runs when REDIS_URL is set (.ci/run sets it).
if (process.env.REDIS_URL)
  describe('throttling (Redis store)', () => {
    test('two instances share one budget through Redis', async (t) => {
      assert.ok(dialect);
      const env = { REDIS_URL: process.env.REDIS_URL ?? '', RATE_LIMIT_REGISTER: '2/60' };
      const a = await startApp(t, dialect, { env });
      const b = await startApp(t, dialect, { env });
      const ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;
      const reg = (app: FastifyInstance, i: number) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/register',
          payload: { name: 'n', email: `redis${i}-${ip}@example.com`, password: PASSWORD },
          remoteAddress: ip,
        });
      assert.equal((await reg(a.app, 1)).statusCode, 201);
      assert.equal((await reg(b.app, 2)).statusCode, 201);
      assertRateLimited(await reg(a.app, 3));
      assertRateLimited(await reg(b.app, 4));
    });
  });
