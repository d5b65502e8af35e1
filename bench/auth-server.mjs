#!/usr/bin/env node
/**
 * Load benchmark for auth-server: starts the real server (embedded PGlite; and PostgreSQL too
 * when TEST_DATABASE_URL is set) on a random port, then measures login, refresh and
 * GET /api/users/me with autocannon at a fixed concurrency, each case bounded in time.
 *
 *   node bench/auth-server.mjs                 # PGlite
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/auth-server.mjs
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=10 node bench/auth-server.mjs
 *
 * Login uses the production argon2id cost (19 MiB, t=2, p=1), so it is CPU-bound by design.
 * Throttling limits are raised for the run (one client IP sends every request).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer } from './start-auth-server.mjs';

const SECONDS = Math.min(10, Number(process.env.BENCH_SECONDS ?? 8));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const EMAIL = 'loadtest@example.com';
const PASSWORD = 'correct horse battery 42';
const UNLIMITED = '1000000000/1';

async function json(url, init = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(name, options) {
  const latencies = [];
  const instance = autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  return {
    case: name,
    'req/s': Math.round((ok / result.duration) * 10) / 10,
    'p50 ms': Math.round(percentile(latencies, 50) * 10) / 10,
    'p95 ms': Math.round(percentile(latencies, 95) * 10) / 10,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function benchOne(label, extraEnv) {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-bench-'));
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET_KEY: randomBytes(32).toString('base64url'),
    RATE_LIMIT_LOGIN_IP: UNLIMITED,
    RATE_LIMIT_LOGIN_ACCOUNT_IP: UNLIMITED,
    RATE_LIMIT_LOGIN_ACCOUNT: UNLIMITED,
    RATE_LIMIT_REFRESH: UNLIMITED,
    RATE_LIMIT_REGISTER: UNLIMITED,
    ...extraEnv,
  };
  const { child, url } = await startServer(env);
  try {
    await json(`${url}/api/auth/register`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Bench', email: EMAIL, password: PASSWORD }),
    });
    const { messages } = await json(`${url}/api/dev/outbox?to=${encodeURIComponent(EMAIL)}`);
    const token = new URL(messages[0].links[0]).searchParams.get('token');
    const session = await json(`${url}/api/auth/verify`, { method: 'POST', body: JSON.stringify({ token }) });

    const results = [];
    results.push(
      await run('POST /api/auth/login', {
        url: `${url}/api/auth/login`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      }),
    );

    // One live refresh token per connection; every response hands back its successor.
    const pool = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const s = await json(`${url}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      });
      pool.push(s.refreshToken);
    }
    results.push(
      await run('POST /api/auth/refresh', {
        url: `${url}/api/auth/refresh`,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ refreshToken: pool.shift() ?? 'exhausted' }),
            }),
            onResponse: (status, body) => {
              if (status === 200) pool.push(JSON.parse(body).refreshToken);
            },
          },
        ],
      }),
    );

    results.push(
      await run('GET /api/users/me', {
        url: `${url}/api/users/me`,
        headers: { authorization: `Bearer ${session.accessToken}` },
      }),
    );
    console.log(`\nauth-server on ${label}: ${CONNECTIONS} connections, ${SECONDS} s per case`);
    console.table(results);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await benchOne('PGlite (embedded)', {});

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await benchOne('PostgreSQL', { DATABASE_URL: url.toString() });
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
