import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'x'.repeat(40);
const dirs: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'emotion-config-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('applies the documented defaults', async () => {
    const config = await loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: 'none' });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 5000);
    assert.equal(config.authUrl, 'http://localhost:8000');
    assert.equal(config.jwtIssuer, 'auth-server');
    assert.equal(config.jwtAudience, 'authenticated');
    assert.equal(config.maxUploadBytes, 5 * 1024 * 1024);
    assert.equal(config.minConfidence, 0);
    assert.equal(config.detectRateLimit, 30);
    assert.equal(config.detectQueueMax, 32);
    assert.deepEqual(config.corsOrigins, ['http://localhost:5173']);
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.production, false);
    assert.equal(config.webDist, null);
    assert.ok(Object.isFrozen(config));
  });

  it('accepts the seed aliases RUST_AUTH_URL and RUST_JWT_SECRET', async () => {
    const config = await loadConfig({ RUST_AUTH_URL: 'http://auth.internal:9000/', RUST_JWT_SECRET: SECRET });
    assert.equal(config.authUrl, 'http://auth.internal:9000');
    assert.equal(config.jwtSecret, SECRET);
  });

  it('prefers AUTH_URL and AUTH_JWT_SECRET over the aliases', async () => {
    const config = await loadConfig({
      AUTH_URL: 'http://a:1',
      RUST_AUTH_URL: 'http://b:2',
      AUTH_JWT_SECRET: SECRET,
      RUST_JWT_SECRET: 'y'.repeat(40),
    });
    assert.equal(config.authUrl, 'http://a:1');
    assert.equal(config.jwtSecret, SECRET);
  });

  it('reports every bad variable at once in one ConfigError', async () => {
    await assert.rejects(
      loadConfig({
        AUTH_JWT_SECRET: SECRET,
        PORT: 'eighty',
        MAX_UPLOAD_MB: '-1',
        MIN_CONFIDENCE: '1.5',
        CORS_ORIGINS: 'not a url',
        AUTH_URL: 'ftp://x',
        DETECT_RATE_LIMIT: '0',
        DETECT_QUEUE_MAX: '-1',
      }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of [
          'PORT',
          'MAX_UPLOAD_MB',
          'MIN_CONFIDENCE',
          'CORS_ORIGINS',
          'AUTH_URL',
          'DETECT_RATE_LIMIT',
          'DETECT_QUEUE_MAX',
        ]) {
          assert.ok(
            err.problems.some((p) => p.startsWith(name)),
            `${name} missing in ${err.message}`,
          );
        }
        return true;
      },
    );
  });

  it('requires a secret in production, and one of at least 32 bytes always (as auth-server does)', async () => {
    await assert.rejects(loadConfig({ NODE_ENV: 'production' }), /AUTH_JWT_SECRET.*required/);
    await assert.rejects(
      loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'short' }),
      /at least 32 bytes/,
    );
    await assert.rejects(
      loadConfig({ AUTH_JWT_SECRET: 'short' }),
      /AUTH_JWT_SECRET must be at least 32 bytes/,
    );
    await assert.rejects(
      loadConfig({ RUST_JWT_SECRET: 'short' }),
      /RUST_JWT_SECRET must be at least 32 bytes/,
    );
    const config = await loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET });
    assert.equal(config.production, true);
  });

  it('reads the development secret written by auth-server into DATA_DIR', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'dev-jwt-secret'), `${SECRET}\n`);
    const config = await loadConfig({ DATA_DIR: dir });
    assert.equal(config.jwtSecret, SECRET);
    assert.equal(config.dataDir, dir);
  });

  it('waits for the development secret to appear', async () => {
    const dir = tmp();
    setTimeout(() => writeFileSync(path.join(dir, 'dev-jwt-secret'), SECRET), 300);
    const config = await loadConfig({ DATA_DIR: dir }, { secretWaitMs: 5000 });
    assert.equal(config.jwtSecret, SECRET);
  });

  it('fails with a clear message when no secret appears', async () => {
    const dir = tmp();
    await assert.rejects(loadConfig({ DATA_DIR: dir }, { secretWaitMs: 50 }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /AUTH_JWT_SECRET is not set/);
      assert.match(err.message, /dev-jwt-secret/);
      return true;
    });
  });

  it('refuses a WEB_DIST without index.html', async () => {
    await assert.rejects(loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: tmp() }), /WEB_DIST/);
  });
});
