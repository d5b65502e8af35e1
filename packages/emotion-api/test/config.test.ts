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

  it('verifies through the JWKS by default: no secret needed, AUTH_JWKS_URL defaults to AUTH_URL', async () => {
    const config = await loadConfig({ AUTH_URL: 'http://auth.internal:9000/', DATA_DIR: tmp() });
    assert.equal(config.jwtSecret, null);
    assert.equal(config.jwksUrl, 'http://auth.internal:9000/.well-known/jwks.json');
    const custom = await loadConfig({ AUTH_JWKS_URL: 'https://keys.example.com/jwks.json' });
    assert.equal(custom.jwksUrl, 'https://keys.example.com/jwks.json');
    await assert.rejects(
      loadConfig({ AUTH_JWKS_URL: 'ftp://x/jwks' }),
      /AUTH_JWKS_URL must be a http: or https: URL/,
    );
  });

  it('no longer reads DATA_DIR/dev-jwt-secret: only an explicit secret selects HS256', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'dev-jwt-secret'), `${SECRET}\n`);
    assert.equal((await loadConfig({ DATA_DIR: dir })).jwtSecret, null);
    assert.equal((await loadConfig({ DATA_DIR: dir, AUTH_JWT_SECRET: SECRET })).jwtSecret, SECRET);
  });

  it('refuses a secret shorter than 32 bytes, under either name; production needs none', async () => {
    await assert.rejects(
      loadConfig({ AUTH_JWT_SECRET: 'short' }),
      /AUTH_JWT_SECRET must be at least 32 bytes/,
    );
    await assert.rejects(
      loadConfig({ RUST_JWT_SECRET: 'short' }),
      /RUST_JWT_SECRET must be at least 32 bytes/,
    );
    const jwks = await loadConfig({ NODE_ENV: 'production' });
    assert.equal(jwks.production, true);
    assert.equal(jwks.jwtSecret, null);
    const hs256 = await loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET });
    assert.equal(hs256.jwtSecret, SECRET);
  });

  it('takes AUTH_SERVICE_KEY (at least 32 bytes), else DATA_DIR/dev-service-key outside production', async () => {
    const dir = tmp();
    const dev = await loadConfig({ DATA_DIR: dir });
    assert.equal(dev.serviceKey, null);
    assert.equal(dev.serviceKeyFile, path.join(dir, 'dev-service-key'));
    const set = await loadConfig({ DATA_DIR: dir, AUTH_SERVICE_KEY: 'k'.repeat(32) });
    assert.equal(set.serviceKey, 'k'.repeat(32));
    assert.equal(set.serviceKeyFile, null);
    const prod = await loadConfig({ NODE_ENV: 'production', DATA_DIR: dir });
    assert.equal(prod.serviceKey, null);
    assert.equal(prod.serviceKeyFile, null);
    await assert.rejects(
      loadConfig({ AUTH_SERVICE_KEY: 'short' }),
      /AUTH_SERVICE_KEY must be at least 32 bytes/,
    );
  });

  it('refuses a WEB_DIST without index.html', async () => {
    await assert.rejects(loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: tmp() }), /WEB_DIST/);
  });

  it('takes DATABASE_URL as postgres:// or postgresql:// only; unset keeps SQLite', async () => {
    assert.equal((await loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: 'none' })).databaseUrl, undefined);
    for (const url of ['postgres://u:p@db:5432/emotion', 'postgresql://db/emotion?sslmode=require']) {
      const config = await loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: 'none', DATABASE_URL: url });
      assert.equal(config.databaseUrl, url);
    }
    for (const url of ['mysql://db/emotion', 'sqlite:///data/emotion.db', 'not a url']) {
      await assert.rejects(
        loadConfig({ AUTH_JWT_SECRET: SECRET, WEB_DIST: 'none', DATABASE_URL: url }),
        (err: unknown) => err instanceof ConfigError && /DATABASE_URL/.test(err.message),
        url,
      );
    }
  });
});
