#!/usr/bin/env node
/**
 * The cluster behind nginx (issue 13): one cluster of two auth-servers and two emotion-apis
 * (built dist/, NODE_ENV=production, shared PostgreSQL, Redis, SMTP listener; the system tests'
 * harness), and one nginx per comparison whose upstream names one instance or both:
 *   1. the journey mix through nginx (POST /detect, GET /logs, GET /images/:id, GET /stats) with
 *      1 vs 2 emotion-apis: photos/s and p95 of /detect and of every request;
 *   2. auth-server login and refresh through nginx with 1 vs 2 instances: requests/s and p95.
 * Rate limits are lifted for the run. On a 2-core machine expect no gain from a second instance:
 * the numbers show the proxy's overhead and how the cores are shared.
 *
 *   npm run build && node bench/cluster.mjs [--seconds 15] [--concurrency 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startCluster } from '../test/system/lib/cluster.mjs';
import { call, detectForm, login, photo, randomIp, signUp } from '../test/system/lib/journey.mjs';
import { startNginx } from '../test/system/lib/nginx.mjs';
import { UNLIMITED_RATES, percentile, runFor } from './lib/load.mjs';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '4' } },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const PHOTOS = [
  'Happy-test.jpg',
  'sad_test.jpg',
  'surprise_test.jpg',
  'neutral_test.jpg',
  'disgust_test.jpg',
].map((f) => photo(REPO_ROOT, f));

const cluster = await startCluster({
  env: UNLIMITED_RATES,
  apiEnv: { DETECT_RATE_LIMIT: '1000000', DETECT_QUEUE_MAX: '1000' },
});
const proxies = [];
async function proxy(apiCount, authCount) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const nginx = await startNginx(REPO_ROOT, dir, {
    apiPorts: cluster.api.slice(0, apiCount).map((s) => Number(new URL(s.url).port)),
    authPorts: cluster.auth.slice(0, authCount).map((s) => Number(new URL(s.url).port)),
  });
  proxies.push(async () => {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return nginx;
}

const fmt = (n) => n.toFixed(1);
try {
  const users = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const u = await signUp(cluster.nginx.apiUrl, cluster.smtp);
    users.push({ ...u, token: (await login(cluster.nginx.apiUrl, u.email, u.ip)).body.accessToken });
  }
  console.log(`cluster bench: ${SECONDS} s per run, concurrency ${CONCURRENCY}`);

  for (const apis of [1, 2]) {
    const nginx = await proxy(apis, 2);
    const { samples, elapsed } = await runFor(SECONDS, CONCURRENCY, async (worker, i, record) => {
      const opts = { token: users[worker].token, ip: users[worker].ip };
      const form = detectForm(PHOTOS[i % PHOTOS.length]);
      const detected = await record('detect', () =>
        call(nginx.apiUrl, '/detect', { ...opts, method: 'POST', form }),
      );
      await record('logs', () => call(nginx.apiUrl, '/logs?limit=20', opts));
      if (detected.status === 200) {
        await record('image', () => call(nginx.apiUrl, `/images/${detected.body.id}`, opts));
      }
      await record('stats', () => call(nginx.apiUrl, '/stats', opts));
    });
    const detects = samples.filter((s) => s.name === 'detect' && s.status === 200);
    const errors = samples.filter((s) => s.status >= 500).length;
    console.log(
      `journey mix, ${apis} emotion-api: ${fmt(detects.length / elapsed)} photos/s, /detect p95 ${percentile(detects, 95)} ms, ` +
        `all requests ${fmt(samples.length / elapsed)}/s p95 ${percentile(samples, 95)} ms, 5xx ${errors}`,
    );
  }

  for (const auths of [1, 2]) {
    const nginx = await proxy(1, auths);
    const email = users[0].email;
    const { samples, elapsed } = await runFor(SECONDS, CONCURRENCY, async (_worker, _i, record) => {
      const ip = randomIp();
      const body = { email, password: 'correct horse battery staple 42' };
      const signedIn = await record('login', () =>
        call(nginx.authUrl, '/api/auth/login', { method: 'POST', ip, body }),
      );
      let refreshToken = signedIn.body?.refreshToken;
      for (let r = 0; r < 3 && refreshToken; r++) {
        const next = await record('refresh', () =>
          call(nginx.authUrl, '/api/auth/refresh', { method: 'POST', ip, body: { refreshToken } }),
        );
        refreshToken = next.body?.refreshToken;
      }
    });
    for (const name of ['login', 'refresh']) {
      const ok = samples.filter((s) => s.name === name && s.status === 200);
      const bad = samples.filter((s) => s.name === name && s.status !== 200).length;
      console.log(
        `${name}, ${auths} auth-server: ${fmt(ok.length / elapsed)}/s, p95 ${percentile(ok, 95)} ms, not 200: ${bad}`,
      );
    }
  }
} finally {
  for (const stop of proxies) await stop();
  await cluster.stop();
}
