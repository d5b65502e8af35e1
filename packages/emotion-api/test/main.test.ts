import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createUser, eventually, login, useToken } from './helpers/jwks.js';
import { type AuthServer, startAuthServer } from './helpers/servers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('main: the emotion-api process', () => {
  let auth: AuthServer;
  let child: ChildProcess;
  let url: string;
  let output = '';

  before(async () => {
    // No secret anywhere (`npm start`): auth-server signs with ES256 and writes DATA_DIR/dev-service-key;
    // emotion-api verifies through its JWKS and follows the revocation feed with that key.
    auth = await startAuthServer({ JWT_SECRET_KEY: '', SERVICE_KEY: '', JWT_ALG: 'ES256' });
    assert.ok(existsSync(path.join(auth.dataDir, 'dev-service-key')));
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

  it('starts with no secret, loads the model and answers /health with the feed live', async () => {
    const health = async () => {
      const res = await fetch(`${url}/health`);
      assert.equal(res.status, 200);
      return (await res.json()) as {
        status: string;
        model: { loaded: boolean };
        authServer: string;
        revocations: string;
      };
    };
    const body = await health();
    assert.equal(body.status, 'ok');
    assert.equal(body.model.loaded, true);
    assert.equal(body.authServer, 'ok');
    assert.ok(existsSync(path.join(auth.dataDir, 'emotion.db')));
    await eventually(async () => (await health()).revocations === 'live', 20_000, 'the feed to be live');
  });

  it('verifies an ES256 token through the JWKS', async () => {
    const email = await createUser(url, auth, 'main');
    const session = await login(url, email);
    assert.deepEqual(await useToken(url, session.accessToken), { status: 200 });
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
