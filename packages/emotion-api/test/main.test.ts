import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type AuthServer, startAuthServer } from './helpers/servers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('main: the emotion-api process', () => {
  let auth: AuthServer;
  let child: ChildProcess;
  let url: string;
  let output = '';

  before(async () => {
    // No secret anywhere: auth-server writes DATA_DIR/dev-jwt-secret and emotion-api reads it.
    auth = await startAuthServer({ JWT_SECRET_KEY: '' });
    assert.ok(existsSync(path.join(auth.dataDir, 'dev-jwt-secret')));
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATA_DIR: auth.dataDir,
        PORT: '0',
        AUTH_URL: auth.url,
        MODEL_WORKERS: '1',
        WEB_DIST: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    url = await new Promise<string>((resolve, reject) => {
      const onData = () => {
        const match = /listening on (http:\/\/\S+?) /.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`emotion-api exited with ${code}:\n${output}`)));
    });
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await auth?.stop();
  });

  it('starts with the development secret from DATA_DIR, loads the model and answers /health', async () => {
    const res = await fetch(`${url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; model: { loaded: boolean }; authServer: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.model.loaded, true);
    assert.equal(body.authServer, 'ok');
    assert.ok(existsSync(path.join(auth.dataDir, 'emotion.db')));
  });

  it('stops cleanly with exit code 0 on SIGTERM', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, output);
  });

  it('refuses to start with a clear message naming each bad variable', async () => {
    const bad = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: 'abc',
        MIN_CONFIDENCE: '2',
        AUTH_JWT_SECRET: 'x'.repeat(32),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bad.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(bad, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, /PORT must be/);
    assert.match(stderr, /MIN_CONFIDENCE must be/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
