import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { DEV_JWT_SECRET_FILE } from '../../src/env/dev-secret.js';
import { ConfigError } from '../../src/env/env-field.js';
import { number, oneOf, text, url } from '../../src/env/fields.js';
import { loadEnv, loadEnvAsync } from '../../src/env/load-env.js';
import {
  CorsOrigins,
  DataDir,
  Host,
  LogLevel,
  Port,
  Secret,
  TrustProxy,
} from '../../src/env/shared-fields.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'service-kit-env-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const schema = {
  host: Host,
  port: Port(8000),
  dataDir: DataDir,
  logLevel: LogLevel(),
  corsOrigins: CorsOrigins,
  trustProxy: TrustProxy,
  authUrl: url(['AUTH_URL', 'RUST_AUTH_URL'], {
    protocols: ['http:', 'https:'],
    fallback: 'http://localhost:8000',
    stripTrailingSlash: true,
  }),
  ratio: number('RATIO', 0.5, 'a number between 0 and 1', (n) => n >= 0 && n <= 1),
  mode: oneOf('MODE', ['a', 'b'] as const, 'a'),
  name: text('NAME', 'default'),
};

describe('loadEnv', () => {
  test('applies defaults and freezes the result deeply', () => {
    const env = loadEnv(schema, {});
    assert.equal(env.host, '127.0.0.1');
    assert.equal(env.port, 8000);
    assert.equal(env.dataDir, resolve('./data'));
    assert.equal(env.logLevel, 'info');
    assert.deepEqual(env.corsOrigins, ['http://localhost:5173']);
    assert.deepEqual(env.trustProxy, []);
    assert.equal(env.authUrl, 'http://localhost:8000');
    assert.equal(env.mode, 'a');
    assert.ok(Object.isFrozen(env) && Object.isFrozen(env.corsOrigins));
  });

  test('converts values, trims them, treats blank as unset and accepts aliases', () => {
    const env = loadEnv(schema, {
      PORT: ' 0 ',
      NAME: '   ',
      RUST_AUTH_URL: 'https://auth.example.com/',
      CORS_ORIGINS: 'http://a.test/, *',
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, loopback',
      RATIO: '0.25',
    });
    assert.equal(env.port, 0);
    assert.equal(env.name, 'default');
    assert.equal(env.authUrl, 'https://auth.example.com');
    assert.deepEqual(env.corsOrigins, ['http://a.test', '*']);
    assert.deepEqual(env.trustProxy, ['127.0.0.1', '10.0.0.0/8', 'loopback']);
    assert.equal(env.ratio, 0.25);
  });

  test('reports every bad variable at once in one ConfigError, each problem starting with its name', () => {
    assert.throws(
      () =>
        loadEnv(schema, {
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
          CORS_ORIGINS: 'not a url',
          TRUST_PROXY: 'nonsense',
          RUST_AUTH_URL: 'ftp://x',
          RATIO: '2',
          MODE: 'c',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(
          err.problems.map((p) => p.split(' ')[0]),
          ['PORT', 'LOG_LEVEL', 'CORS_ORIGINS', 'TRUST_PROXY', 'RUST_AUTH_URL', 'RATIO', 'MODE'],
        );
        assert.match(
          err.message,
          /^Invalid configuration:\n {2}- PORT must be a port number 0-65535 \(got "eighty"\)/,
        );
        return true;
      },
    );
  });

  test('runs cross-field checks and finish steps only on a valid environment', (t) => {
    const dir = tempDir(t);
    const secrets = { secret: Secret('SECRET', { devFile: DEV_JWT_SECRET_FILE }), port: Port(1) };
    assert.throws(() => loadEnv(secrets, { DATA_DIR: dir, PORT: 'x' }), ConfigError);
    assert.deepEqual(readdirSync(dir), []);
    assert.throws(
      () => loadEnv(secrets, { DATA_DIR: dir }, { check: () => ['SECRET must differ from OTHER'] }),
      /SECRET must differ/,
    );
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(loadEnv(secrets, { DATA_DIR: dir }).secret.fromDevFile, true);
  });

  test('refuses an asynchronous finish step; loadEnvAsync awaits it', async (t) => {
    const dir = tempDir(t);
    const waiting = { secret: Secret('SECRET', { devFile: 'never', waitMs: 20, missingHint: 'start it' }) };
    assert.throws(() => loadEnv(waiting, { DATA_DIR: dir }), /use loadEnvAsync/);
    await assert.rejects(loadEnvAsync(waiting, { DATA_DIR: dir }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /SECRET is not set and .*never did not appear: start it/);
      return true;
    });
  });
});
