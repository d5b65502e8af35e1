#!/usr/bin/env node
/**
 * Account-enumeration timing of auth-server (DESIGN §3: unknown and known emails answer alike,
 * in the same time). Starts the real server (embedded PGlite, production argon2id cost) on a
 * random port and prints, for N alternating sequential requests each:
 * - POST /api/auth/login with a wrong password: known email vs unknown email (median ms);
 * - POST /api/auth/forgot-password: known email vs unknown email (median ms).
 * Numbers, not a verdict: tests assert the mechanism (the dummy hash is verified for an unknown
 * email), never a timing.
 *
 *   node bench/auth-timing.mjs
 *   BENCH_N=200 node bench/auth-timing.mjs
 *   BENCH_GAP_MS=100: the pause before each request of the idle-server row
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './start-auth-server.mjs';

const N = Number(process.env.BENCH_N ?? 50);
const KNOWN = 'timing@example.com';
const PASSWORD = 'correct horse battery 42';
const UNLIMITED = '1000000000/1';
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 100);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url, body) {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, json: text ? JSON.parse(text) : undefined };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

const dataDir = mkdtempSync(join(tmpdir(), 'auth-timing-'));
const { child, url } = await startServer({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
  RATE_LIMIT_LOGIN_IP: UNLIMITED,
  RATE_LIMIT_LOGIN_ACCOUNT_IP: UNLIMITED,
  RATE_LIMIT_LOGIN_ACCOUNT: UNLIMITED,
  RATE_LIMIT_FORGOT_IP: UNLIMITED,
  RATE_LIMIT_FORGOT_EMAIL: UNLIMITED,
  RATE_LIMIT_REGISTER: UNLIMITED,
});
try {
  await post(`${url}/api/auth/register`, { name: 'Timing', email: KNOWN, password: PASSWORD });
  const outbox = await (await fetch(`${url}/api/dev/outbox?to=${encodeURIComponent(KNOWN)}`)).json();
  const token = new URL(outbox.messages[0].links[0]).searchParams.get('token');
  await post(`${url}/api/auth/verify`, { token });

  const login = (email, i) => post(`${url}/api/auth/login`, { email, password: `wrong ${i}` });
  const forgot = (email) => post(`${url}/api/auth/forgot-password`, { email });
  // forgot-password does its per-account work after answering, so back to back a request also
  // pays for the previous one's; the idle rows wait for that work before each request.
  const cases = [
    ['login, wrong password', login, 0],
    ['forgot-password, back to back', forgot, 0],
    ['forgot-password, idle server', forgot, GAP_MS],
  ];
  const rows = [];
  for (const [name, call, gapMs] of cases) {
    await call('warmup@example.com', -1);
    const known = [];
    const unknown = [];
    for (let i = 0; i < N; i++) {
      await sleep(gapMs);
      known.push((await call(KNOWN, i)).ms);
      await sleep(gapMs);
      unknown.push((await call(`nobody-${i}@example.com`, i)).ms);
    }
    rows.push({
      case: name,
      'known median ms': round(median(known)),
      'unknown median ms': round(median(unknown)),
      'unknown/known': Math.round((median(unknown) / median(known)) * 100) / 100,
      n: N,
    });
  }
  console.log(`\nauth-server account-enumeration timing (PGlite, production argon2id cost), ${N} of each`);
  console.table(rows);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
