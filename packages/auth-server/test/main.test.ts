import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildApp } from '../src/app.js';
import { testConfig } from './helpers/app.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => {
    output += c;
  });
  child.stderr.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('main', () => {
  test('exits 1 with a message naming the bad variable', async () => {
    const run = runMain({ PORT: 'eighty', DATA_DIR: '/nonexistent/never-created' });
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /PORT must be a port number/);
  });

  test('listens on HOST:PORT, prints the URL, answers health and stops cleanly on SIGTERM', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth-main-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = runMain({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    t.after(() => run.child.kill('SIGKILL'));
    let url: string | undefined;
    for (let i = 0; i < 600 && !url; i++) {
      url = /auth-server: (http:\/\/\S+)/.exec(run.output())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(url, run.output());
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(run.output(), /development secret/, 'warns about the generated secret');
    const res = await fetch(`${url}/api/health`);
    assert.deepEqual(await res.json(), { status: 'ok', db: 'ok' });
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  test('buildApp refuses a lowered argon2 cost in production', async () => {
    const config = testConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' });
    await assert.rejects(buildApp(config, { logger: false }), /OWASP minimum/);
    rmSync(config.dataDir, { recursive: true, force: true });
  });
});
