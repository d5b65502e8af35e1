/**
 * Graceful shutdown of the real process (DESIGN §8): on SIGTERM or SIGINT auth-server stops
 * accepting connections, finishes the requests in flight (here a login whose body is still
 * arriving, then argon2 at the production cost), lets the mail worker finish the mail it is
 * sending, closes the database and Redis, and exits 0.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { openDb } from '../src/db/connect.js';
import { freePort } from './helpers/ports.js';
import { startOwnRedis } from './helpers/redis-server.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startMain(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', JWT_ALG: 'HS256', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 1200; i++) {
    const url = /auth-server: (http:\/\/\S+)/.exec(output)?.[1];
    if (url) return { child, url, exited, output: () => output };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`auth-server did not start:\n${output}`);
}

/** A login whose headers and half of its body are sent now, the rest on `finish()`. */
function slowLogin(url: string, email: string) {
  const body = JSON.stringify({ email, password: 'not the password' });
  const req = request(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
  });
  req.write(body.slice(0, 10));
  return { response, finish: () => req.end(body.slice(10)) };
}

async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('graceful shutdown of the process', () => {
  test('SIGTERM: refuses new connections, answers the login in flight, finishes the mail being sent, exits 0', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth-shutdown-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    let sending!: () => void;
    const mailSending = new Promise<void>((resolve) => {
      sending = resolve;
    });
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        sending();
        stream.resume();
        // A slow SMTP server: the mail is still being sent when SIGTERM arrives.
        stream.on('end', () =>
          setTimeout(() => {
            received.push(...session.envelope.rcptTo.map((r) => r.address));
            callback();
          }, 1500),
        );
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

    const redis = await startOwnRedis(t);
    const server = await startMain({
      DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      REDIS_URL: redis.url,
    });
    t.after(() => server.child.kill('SIGKILL'));
    const reg = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Ada',
        email: 'shutdown@example.com',
        password: 'correct horse battery staple',
      }),
    });
    assert.equal(reg.status, 201);
    const login = slowLogin(server.url, 'shutdown@example.com');
    await mailSending;
    await sleep(200);

    server.child.kill('SIGTERM');
    const signalledAt = Date.now();
    await sleep(500);
    assert.ok(await refusesConnections(server.url), 'no new connections once stopping');
    login.finish();
    const answer = await login.response;
    assert.equal(answer.status, 401, `the login in flight is answered: ${answer.body}`);
    assert.equal(JSON.parse(answer.body).code, 'invalid_credentials');
    assert.equal(await server.exited, 0, server.output());
    t.diagnostic(`exited ${Date.now() - signalledAt} ms after SIGTERM (the login was held 500 ms of it)`);
    assert.deepEqual(received, ['shutdown@example.com'], 'the mail being sent was delivered');

    const db = await openDb({ pgliteDir: join(dataDir, 'auth') });
    try {
      const rows = await db.selectFrom('mail_outbox').select(['status', 'attempts']).execute();
      assert.deepEqual(
        rows,
        [{ status: 'sent', attempts: 1 }],
        'and recorded as sent before the database closed',
      );
    } finally {
      await db.destroy();
    }
  });

  test('SIGINT: answers the request in flight and exits 0', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'auth-shutdown-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startMain({ DATA_DIR: dataDir });
    t.after(() => server.child.kill('SIGKILL'));
    const login = slowLogin(server.url, 'nobody@example.com');
    await sleep(300);
    server.child.kill('SIGINT');
    await sleep(300);
    login.finish();
    assert.equal((await login.response).status, 401);
    assert.equal(await server.exited, 0, server.output());
  });
});
