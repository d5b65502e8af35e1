import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEV_SERVICE_KEY_FILE } from '../../src/env/dev-secret.js';
import { loadEnv, loadEnvAsync } from '../../src/env/load-env.js';
import { LogLevel, MetricsToken, NodeEnv, Secret } from '../../src/env/shared-fields.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'service-kit-secret-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const owner = { key: Secret('SERVICE_KEY', { devFile: DEV_SERVICE_KEY_FILE }) };
const reader = {
  key: Secret(['AUTH_SERVICE_KEY', 'RUST_SERVICE_KEY'], { devFile: DEV_SERVICE_KEY_FILE, waitMs: 5000 }),
};

describe('Secret', () => {
  test('requires 32 bytes, naming the variable that was set', () => {
    assert.throws(() => loadEnv(owner, { SERVICE_KEY: 'short' }), /SERVICE_KEY must be at least 32 bytes/);
    assert.throws(
      () => loadEnv(reader, { RUST_SERVICE_KEY: 'short' }),
      /RUST_SERVICE_KEY must be at least 32/,
    );
    assert.equal(loadEnv(owner, { SERVICE_KEY: 'k'.repeat(32) }).key.value, 'k'.repeat(32));
  });

  test('is required in production, aliases named', () => {
    assert.throws(
      () => loadEnv(owner, { NODE_ENV: 'production' }),
      /SERVICE_KEY is required when NODE_ENV=production/,
    );
    assert.throws(
      () => loadEnv(reader, { NODE_ENV: 'production' }),
      /AUTH_SERVICE_KEY \(or RUST_SERVICE_KEY\) is required/,
    );
  });

  test('outside production creates the development file once (mode 0600) and reuses it', (t) => {
    const dir = tempDir(t);
    const first = loadEnv(owner, { DATA_DIR: dir }).key;
    const content = readFileSync(join(dir, DEV_SERVICE_KEY_FILE), 'utf8');
    assert.match(content, /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal(statSync(join(dir, DEV_SERVICE_KEY_FILE)).mode & 0o777, 0o600);
    assert.deepEqual(first, { value: content.trim(), fromDevFile: true });
    assert.equal(loadEnv(owner, { DATA_DIR: dir }).key.value, first.value);
  });

  test('with waitMs waits for another service to write the file', async (t) => {
    const dir = tempDir(t);
    setTimeout(() => writeFileSync(join(dir, DEV_SERVICE_KEY_FILE), `${'s'.repeat(43)}\n`), 200);
    const { key } = await loadEnvAsync(reader, { DATA_DIR: dir });
    assert.deepEqual(key, { value: 's'.repeat(43), fromDevFile: true });
  });
});

describe('NodeEnv and LogLevel', () => {
  test('accept development, production and test; LOG_LEVEL may default by NODE_ENV', () => {
    const schema = {
      nodeEnv: NodeEnv,
      logLevel: LogLevel((env) => (env.nodeEnv === 'test' ? 'silent' : 'info')),
    };
    assert.deepEqual(loadEnv(schema, {}), { nodeEnv: 'development', logLevel: 'info' });
    assert.deepEqual(loadEnv(schema, { NODE_ENV: 'test' }), { nodeEnv: 'test', logLevel: 'silent' });
    assert.throws(
      () => loadEnv(schema, { NODE_ENV: 'staging' }),
      /NODE_ENV must be one of development, production, test/,
    );
  });
});

describe('MetricsToken', () => {
  const schema = { token: MetricsToken };
  test('is optional, and at least 16 characters when set', () => {
    assert.equal(loadEnv(schema, {}).token, undefined);
    assert.equal(loadEnv(schema, { METRICS_TOKEN: '  ' }).token, undefined);
    assert.equal(loadEnv(schema, { METRICS_TOKEN: 'm'.repeat(16) }).token, 'm'.repeat(16));
    assert.throws(() => loadEnv(schema, { METRICS_TOKEN: 'short' }), /METRICS_TOKEN must be at least 16/);
  });
});
