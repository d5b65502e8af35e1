#!/usr/bin/env node
/**
 * Soak (issue 13): the cluster of the system tests (two auth-servers, two emotion-apis behind
 * nginx, shared PostgreSQL and Redis, NODE_ENV=production) under mixed traffic for a bounded time;
 * it stops by itself. Every minute: RSS of every process (nginx counted with its workers), the
 * requests, the 5xx count and the p95. At the end: the goal (zero 5xx, RSS at the end within
 * ±10% of minute 2) met or not.
 *
 *   npm run build && node bench/soak.mjs [--minutes 10] [--concurrency 3]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startCluster } from '../test/system/lib/cluster.mjs';
import { call, detectForm, login, PASSWORD, photo, randomIp, signUp } from '../test/system/lib/journey.mjs';
import { UNLIMITED_RATES, percentile, runFor } from './lib/load.mjs';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '3' } },
});
const MINUTES = Number(values.minutes);
const CONCURRENCY = Math.max(2, Number(values.concurrency));
const PHOTOS = ['Happy-test.jpg', 'sad_test.jpg', 'surprise_test.jpg', 'neutral_test.jpg'].map((f) =>
  photo(REPO_ROOT, f),
);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return kb / 1024 + children.reduce((sum, c) => sum + rssMb(Number(c)), 0);
  } catch {
    return 0;
  }
}

const cluster = await startCluster({
  env: UNLIMITED_RATES,
  apiEnv: { DETECT_RATE_LIMIT: '1000000' },
});
const processes = [...cluster.auth, ...cluster.api].map((s) => ({ label: s.label, pid: s.pid }));
processes.push({ label: 'nginx', pid: cluster.nginx.pid });
const api = cluster.nginx.apiUrl;
const auth = cluster.nginx.authUrl;

try {
  const users = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const u = await signUp(api, cluster.smtp);
    users.push({ ...u, token: (await login(api, u.email, u.ip)).body.accessToken });
  }
  const samples = [];
  const rows = [];
  const started = Date.now();
  const report = setInterval(() => {
    const minute = rows.length + 1;
    const since = started + (minute - 1) * 60_000;
    const window = samples.filter((s) => s.at >= since && s.at < since + 60_000);
    const rss = Object.fromEntries(processes.map((p) => [p.label, Math.round(rssMb(p.pid))]));
    const row = { minute, requests: window.length, '5xx': window.filter((s) => s.status >= 500).length };
    row.p95 = percentile(window, 95);
    rows.push({ ...row, ...rss });
    console.log(
      `minute ${minute}: ${row.requests} requests, 5xx ${row['5xx']}, p95 ${row.p95} ms, RSS MB ${JSON.stringify(rss)}`,
    );
  }, 60_000);
  console.log(
    `soak: ${MINUTES} min, ${CONCURRENCY} clients (one signs in and out, the others detect and browse)`,
  );
  await runFor(
    MINUTES * 60,
    CONCURRENCY,
    async (worker, i, record) => {
      if (worker === 0) {
        const ip = randomIp();
        const body = { email: users[0].email, password: PASSWORD };
        const s = await record('login', () => call(auth, '/api/auth/login', { method: 'POST', ip, body }));
        const next = await record('refresh', () =>
          call(auth, '/api/auth/refresh', {
            method: 'POST',
            ip,
            body: { refreshToken: s.body?.refreshToken },
          }),
        );
        await record('logout', () =>
          call(auth, '/api/auth/logout', { method: 'POST', ip, token: next.body?.accessToken, body: {} }),
        );
        return;
      }
      const opts = { token: users[worker].token, ip: users[worker].ip };
      const form = detectForm(PHOTOS[i % PHOTOS.length]);
      const detected = await record('detect', () => call(api, '/detect', { ...opts, method: 'POST', form }));
      await record('logs', () => call(api, '/logs?limit=20', opts));
      await record('stats', () => call(api, '/stats', opts));
      if (detected.status === 200) {
        await record('image', () => call(api, `/images/${detected.body.id}`, opts));
        // Keep the history bounded: every other detection is deleted again.
        if (i % 2 === 1)
          await record('delete', () => call(api, `/logs/${detected.body.id}`, { ...opts, method: 'DELETE' }));
      }
      await pause(100);
    },
    samples,
  );
  await pause(Math.max(0, started + MINUTES * 60_000 + 1_000 - Date.now()));
  clearInterval(report);
  const errors = samples.filter((s) => s.status >= 500 || s.status === 0).length;
  console.log(
    `total: ${samples.length} requests, 5xx or no answer: ${errors}, p95 ${percentile(samples, 95)} ms`,
  );
  if (rows.length >= 2) {
    const [second, last] = [rows[1], rows.at(-1)];
    const drift = processes.map(
      (p) => `${p.label} ${(((last[p.label] - second[p.label]) / second[p.label]) * 100).toFixed(1)}%`,
    );
    const within = processes.every((p) => Math.abs(last[p.label] - second[p.label]) <= second[p.label] * 0.1);
    console.log(`RSS minute ${last.minute} vs minute 2: ${drift.join(', ')}`);
    console.log(
      `goal (zero 5xx, RSS within ±10% of minute 2): ${errors === 0 && within ? 'met' : 'NOT met'}`,
    );
  }
} finally {
  await cluster.stop();
}
