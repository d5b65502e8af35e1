import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { FIXTURES, SECRET, signAccessToken } from './helpers/servers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IN_FLIGHT = 10;
const photos = readdirSync(path.join(FIXTURES, 'faces')).map((name) =>
  readFileSync(path.join(FIXTURES, 'faces', name)),
);

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** The real process (src/main.ts) verifying HS256 tokens with the test secret; no auth-server. */
async function startService(dataDir: string): Promise<Service> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATA_DIR: dataDir,
      PORT: '0',
      AUTH_URL: 'http://127.0.0.1:9',
      AUTH_JWT_SECRET: SECRET,
      AUTH_SERVICE_KEY: 's'.repeat(32),
      MODEL_WORKERS: '1',
      WEB_DIST: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /emotion-api listening on (http:\/\/\S+) \(docs/.exec(output);
      if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emotion-api exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

function bearer(): string {
  const now = Math.floor(Date.now() / 1000);
  const token = signAccessToken({
    iss: 'auth-server',
    aud: 'authenticated',
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'shutdown@example.com',
    role: 'user',
    iat: now,
    exp: now + 3600,
  });
  return `Bearer ${token}`;
}

function detect(url: string, photo: Buffer, authorization: string): Promise<Response> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
  return fetch(`${url}/detect`, { method: 'POST', body: form, headers: { authorization } });
}

/** Lines pino wrote for requests to /detect that reached a handler's queue. */
function detectsReceived(output: string): number {
  return output.split('\n').filter((line) => line.includes('"incoming request"') && line.includes('/detect'))
    .length;
}

async function until(check: () => boolean, what: string, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${output()}`);
}

describe('graceful shutdown of the emotion-api process (DESIGN §8)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with ${IN_FLIGHT} /detect in flight: every one is answered, then exit 0`, async (t) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'emotion-api-shutdown-'));
      const service = await startService(dataDir);
      t.after(() => {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      });
      // Probes are not logged at info level (service-kit's request log); the uploads below are.
      for (const probe of ['/health', '/metrics']) {
        assert.equal((await fetch(`${service.url}${probe}`)).status, 200, probe);
      }
      const authorization = bearer();
      const answers = Array.from({ length: IN_FLIGHT }, (_, i) =>
        detect(service.url, photos[i % photos.length] as Buffer, authorization).then(async (res) => ({
          status: res.status,
          body: (await res.json()) as { emotion?: string; code?: string },
        })),
      );
      await until(
        () => detectsReceived(service.output()) === IN_FLIGHT,
        'every upload to arrive',
        service.output,
      );
      const exited = once(service.child, 'exit');
      service.child.kill(signal);

      const results = await Promise.all(answers);
      for (const { status, body } of results) {
        assert.ok(status === 200 || status === 422, `${status} ${JSON.stringify(body)}`);
        if (status === 200) assert.equal(typeof body.emotion, 'string');
        else assert.ok(body.code === 'no_face_detected' || body.code === 'low_confidence', body.code);
      }
      assert.ok(results.some(({ status }) => status === 200));
      const [code] = await exited;
      assert.equal(code, 0, service.output());
      assert.match(service.output(), new RegExp(`"signal":"${signal}".*shutting down`));
      const afterSignal = service.output().slice(service.output().indexOf('shutting down'));
      assert.ok(afterSignal.includes('"request completed"'), 'no /detect was still in flight at the signal');
      assert.doesNotMatch(service.output(), /did not finish in time/);
      assert.doesNotMatch(service.output(), /"url":"\/(health|metrics)"/);
    });
  }
});
