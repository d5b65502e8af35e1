import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!!';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'auth-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('loadConfig', () => {
  test('applies the defaults of DESIGN §2 and freezes the result', (t) => {
    const config = loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: tempDir(t) });
    assert.equal(config.port, 8000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.jwt.accessTtlSeconds, 900);
    assert.equal(config.jwt.issuer, 'auth-server');
    assert.equal(config.jwt.audience, 'authenticated');
    assert.equal(config.refreshTokenDays, 30);
    assert.equal(config.publicAppUrl, 'http://localhost:5000');
    assert.deepEqual(config.corsOrigins, ['http://localhost:5173']);
    assert.deepEqual(config.trustProxy, []);
    assert.equal(config.databaseUrl, undefined);
    assert.deepEqual(config.argon2, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    assert.equal(config.throttle.loginAccountIp.max, 10);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.jwt));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    });
  });

  test('defers forgot-password work by a random delay of up to 1 s (a request right after pays nothing for it)', (t) => {
    const config = loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: tempDir(t) });
    assert.equal(config.mail.deferJitterMs, 1000);
  });

  test('accepts a fractional JWT_MAXAGE in minutes', (t) => {
    const config = loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: tempDir(t), JWT_MAXAGE: '0.05' });
    assert.equal(config.jwt.accessTtlSeconds, 3);
  });

  test('reports every bad variable by name in one ConfigError', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        JWT_MAXAGE: '-1',
        DATABASE_URL: 'mysql://x',
        PUBLIC_APP_URL: 'not a url',
        TRUST_PROXY: '10.0.0.0/8, nonsense',
        RATE_LIMIT_LOGIN_IP: 'lots',
        JWT_SECRET_KEY: 'short',
      });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      for (const name of [
        'PORT',
        'JWT_MAXAGE',
        'DATABASE_URL',
        'PUBLIC_APP_URL',
        'TRUST_PROXY',
        'RATE_LIMIT_LOGIN_IP',
        'JWT_SECRET_KEY',
      ]) {
        assert.match(err.message, new RegExp(name), `${name} should be named`);
      }
      assert.equal(err.problems.length, 7);
    }
  });

  test('refuses to start in production without a JWT_SECRET_KEY of at least 32 bytes', (t) => {
    const dir = tempDir(t);
    const prod = {
      NODE_ENV: 'production',
      DATA_DIR: dir,
      SMTP_URL: 'smtp://mail.example.com:587',
      SERVICE_KEY: 'k'.repeat(32),
    };
    assert.throws(() => loadConfig(prod), /JWT_SECRET_KEY is required/);
    assert.throws(() => loadConfig({ ...prod, JWT_SECRET_KEY: 'x'.repeat(31) }), /at least 32 bytes/);
    assert.equal(loadConfig({ ...prod, JWT_SECRET_KEY: 'x'.repeat(32) }).isProduction, true);
  });

  test('refuses to start in production without a SERVICE_KEY of at least 32 bytes', (t) => {
    const prod = { NODE_ENV: 'production', DATA_DIR: tempDir(t), JWT_SECRET_KEY: 'x'.repeat(32) };
    assert.throws(() => loadConfig(prod), /SERVICE_KEY is required when NODE_ENV=production/);
    assert.throws(
      () => loadConfig({ ...prod, SERVICE_KEY: 'k'.repeat(31) }),
      /SERVICE_KEY must be at least 32 bytes/,
    );
    assert.equal(loadConfig({ ...prod, SERVICE_KEY: 'k'.repeat(32) }).serviceKey, 'k'.repeat(32));
    assert.throws(
      () => loadConfig({ ...prod, SERVICE_KEY: 'x'.repeat(32) }),
      /SERVICE_KEY must differ from JWT_SECRET_KEY/,
    );
  });

  test('outside production creates DATA_DIR/dev-service-key once (mode 0600), apart from the JWT secret, and reuses it', (t) => {
    const dir = tempDir(t);
    const first = loadConfig({ DATA_DIR: dir, JWT_SECRET_KEY: SECRET });
    const file = join(dir, 'dev-service-key');
    const content = readFileSync(file, 'utf8');
    assert.match(content, /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(first.serviceKey, content.trim());
    assert.equal(first.generatedServiceKey, true);
    assert.notEqual(first.serviceKey, SECRET);
    assert.equal(loadConfig({ DATA_DIR: dir, JWT_SECRET_KEY: SECRET }).serviceKey, first.serviceKey);
    const given = loadConfig({ DATA_DIR: dir, JWT_SECRET_KEY: SECRET, SERVICE_KEY: 'k'.repeat(40) });
    assert.equal(given.serviceKey, 'k'.repeat(40));
    assert.equal(given.generatedServiceKey, false);
  });

  test('writes no development secret when another variable is invalid', (t) => {
    const dir = tempDir(t);
    assert.throws(() => loadConfig({ DATA_DIR: dir, PORT: 'eighty' }), ConfigError);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('SESSION_MAX_DAYS defaults to 90 and must be a positive number of days', (t) => {
    const dir = tempDir(t);
    assert.equal(loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: dir }).sessionMaxDays, 90);
    assert.equal(
      loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: dir, SESSION_MAX_DAYS: '7' }).sessionMaxDays,
      7,
    );
    assert.throws(
      () => loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: dir, SESSION_MAX_DAYS: '0' }),
      /SESSION_MAX_DAYS/,
    );
  });

  test('MAIL_RETRY_BASE_SECONDS, MAIL_RETRY_MAX_SECONDS and MAIL_MAX_ATTEMPTS set the outbox retries', (t) => {
    const dir = tempDir(t);
    const defaults = loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: dir }).mail;
    assert.deepEqual(
      [defaults.retryBaseMs, defaults.retryMaxMs, defaults.maxAttempts],
      [2000, 3_600_000, 10],
    );
    const fast = loadConfig({
      JWT_SECRET_KEY: SECRET,
      DATA_DIR: dir,
      MAIL_RETRY_BASE_SECONDS: '0.5',
      MAIL_RETRY_MAX_SECONDS: '5',
      MAIL_MAX_ATTEMPTS: '3',
    }).mail;
    assert.deepEqual([fast.retryBaseMs, fast.retryMaxMs, fast.maxAttempts], [500, 5000, 3]);
    for (const [name, value] of [
      ['MAIL_RETRY_BASE_SECONDS', '0'],
      ['MAIL_RETRY_MAX_SECONDS', '-1'],
      ['MAIL_MAX_ATTEMPTS', '0'],
    ] as const) {
      assert.throws(
        () => loadConfig({ JWT_SECRET_KEY: SECRET, DATA_DIR: dir, [name]: value }),
        new RegExp(name),
      );
    }
  });

  test('starts in production without SMTP_URL (mails wait in the outbox table)', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET_KEY: 'x'.repeat(32),
      SERVICE_KEY: 'k'.repeat(32),
      DATA_DIR: '/tmp/unused',
    });
    assert.equal(config.smtpUrl, undefined);
  });

  test('outside production creates DATA_DIR/dev-jwt-secret once (mode 0600) and reuses it', (t) => {
    const dir = tempDir(t);
    const first = loadConfig({ DATA_DIR: dir });
    const file = join(dir, 'dev-jwt-secret');
    const content = readFileSync(file, 'utf8');
    assert.match(content, /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal(Buffer.from(content.trim(), 'base64url').length, 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(first.jwt.secret, content.trim());
    assert.equal(first.jwt.generatedSecret, true);
    const second = loadConfig({ DATA_DIR: dir });
    assert.equal(second.jwt.secret, first.jwt.secret);
  });

  test('parses TRUST_PROXY, CORS_ORIGINS and strips a trailing slash from PUBLIC_APP_URL', (t) => {
    const config = loadConfig({
      JWT_SECRET_KEY: SECRET,
      DATA_DIR: tempDir(t),
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
      CORS_ORIGINS: 'http://a.test,http://b.test',
      PUBLIC_APP_URL: 'https://app.example.com/',
    });
    assert.deepEqual(config.trustProxy, ['127.0.0.1', '10.0.0.0/8']);
    assert.deepEqual(config.corsOrigins, ['http://a.test', 'http://b.test']);
    assert.equal(config.publicAppUrl, 'https://app.example.com');
  });
});
