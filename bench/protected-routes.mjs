#!/usr/bin/env node
// Protected-route throughput (issue 13): GET /logs?limit=1 and GET /stats of emotion-api with a
// Bearer token, against a bare Fastify route answering { ok: true }, same load generator
// (autocannon, same connections and duration), same run. emotion-api runs on SQLite (a temp
// DATA_DIR) and verifies HS256 tokens with AUTH_JWT_SECRET, so no auth-server is needed; both
// servers run in one child process, autocannon in this one. 20 predictions are stored first
// through POST /detect (a stand-in detector: the model is not what is measured). A fourth target,
// the bare route behind service-kit's security headers (computed once at start), shows what
// those headers alone cost.
//
//   node --conditions=source --import tsx bench/protected-routes.mjs
//
// The targets take turns (BENCH_ROUNDS rounds of BENCH_SECONDS each, defaults 3 and 3): on a
// shared machine the load of other processes changes from second to second, so each round's
// ratio is taken against the bare route of the same round, and the median round is reported.
// Options (env): BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS (default 10); BENCH_DATABASE_URL
// runs emotion-api on that PostgreSQL instead of SQLite (e.g. with ?options=-c%20search_path%3Dbench).
// Prints requests/s, p50 and p95 latency (ms) and the ratio to the bare route. Goal: >= 0.3x.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintJwt } from './lib/tokens.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = randomBytes(32).toString('hex');

if (process.argv[2] === 'serve') await serve(process.argv[3]);
else await main();

/** Child: the bare route and emotion-api, then their URLs on stdout. */
async function serve(secret) {
  const { default: Fastify } = await import('fastify');
  const { startTestEmotionApi } = await import('@emotion-app/emotion-api/testing');
  const bare = Fastify({ logger: false });
  bare.get('/', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  // The same bare route behind service-kit's security headers, as emotion-api uses them.
  const { registerSecurityHeaders } = await import('@emotion-app/service-kit');
  const helmeted = Fastify({ logger: false });
  await registerSecurityHeaders(helmeted, { production: false, csp: { 'default-src': ["'self'"] } });
  helmeted.get('/', async () => ({ ok: true }));
  const helmetedUrl = await helmeted.listen({ host: '127.0.0.1', port: 0 });
  const face = {
    box: { x: 0, y: 0, width: 100, height: 100 },
    emotion: 'happy',
    confidence: 0.9,
    probabilities: { angry: 0, disgust: 0, fear: 0, happy: 0.9, neutral: 0.1, sad: 0, surprise: 0 },
  };
  const detector = {
    model: 'bench',
    loaded: true,
    load: async () => {},
    detect: async () => [face],
    close: async () => {},
  };
  const api = await startTestEmotionApi(
    {
      AUTH_JWT_SECRET: secret,
      AUTH_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    },
    { detector },
  );
  process.stdout.write(`${JSON.stringify({ bare: bareUrl, helmeted: helmetedUrl, api: api.url })}\n`);
  process.on('SIGTERM', async () => {
    await api.close();
    await bare.close();
    await helmeted.close();
    process.exit(0);
  });
}

function percentile(sorted, p) {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(autocannon, url, headers, seconds, connections) {
  const times = [];
  const instance = autocannon({ url, headers, duration: seconds, connections });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    rps: result.requests.total / (result.duration || seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), 'serve', SECRET],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n')) resolve(JSON.parse(line));
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  try {
    const { default: autocannon } = await import('autocannon');
    const auth = { authorization: `Bearer ${mintJwt(SECRET)}` };
    const photo = readFileSync(path.join(root, 'fixtures/faces/Happy-test.jpg'));
    for (let i = 0; i < 20; i++) {
      const form = new FormData();
      form.append('image', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
      const res = await fetch(`${urls.api}/detect`, { method: 'POST', headers: auth, body: form });
      if (res.status !== 200) throw new Error(`seeding /detect: ${res.status} ${await res.text()}`);
    }
    const check = await fetch(`${urls.api}/logs?limit=1`, { headers: auth }).then((r) => r.json());
    if (check.total !== 20) throw new Error(`expected 20 stored predictions, got ${JSON.stringify(check)}`);

    const targets = [
      ['bare { ok: true }', urls.bare, {}],
      ['bare + security headers', urls.helmeted, {}],
      ['GET /logs?limit=1', `${urls.api}/logs?limit=1`, auth],
      ['GET /stats', `${urls.api}/stats`, auth],
    ];
    // Warm-up (JIT, connections), not reported.
    for (const [, url, headers] of targets) await load(autocannon, url, headers, 1, connections);
    const byTarget = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, [, url, headers]] of targets.entries()) {
        byTarget[i].push(await load(autocannon, url, headers, seconds, connections));
      }
    }
    const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(process.env.BENCH_DATABASE_URL ? 'emotion-api on PostgreSQL' : 'emotion-api on SQLite');
    console.log(
      `autocannon, ${connections} connections, ${rounds} rounds x ${seconds} s per target, taking turns; medians of the rounds`,
    );
    console.log('target                   requests/s   p50 ms   p95 ms   vs bare (same round)   non-2xx');
    for (const [i, [name]] of targets.entries()) {
      const runs = byTarget[i];
      const ratio = median(runs.map((r, round) => r.rps / byTarget[0][round].rps));
      const cells = [
        name.padEnd(24),
        median(runs.map((r) => r.rps))
          .toFixed(0)
          .padStart(10),
        median(runs.map((r) => r.p50))
          .toFixed(2)
          .padStart(8),
        median(runs.map((r) => r.p95))
          .toFixed(2)
          .padStart(8),
        `${ratio.toFixed(2)}x`.padStart(12),
        `(rounds: ${runs.map((r, round) => (r.rps / byTarget[0][round].rps).toFixed(2)).join(' ')})`,
        String(runs.reduce((n, r) => n + r.non2xx + r.errors, 0)).padStart(4),
      ];
      console.log(cells.join(' '));
    }
  } finally {
    child.kill('SIGTERM');
  }
}
