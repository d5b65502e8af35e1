#!/usr/bin/env node
// Benchmark of emotion detection on the five shared photos (fixtures/faces):
//   1. model level: detector.detect() in this process on the normalised JPEGs (what /detect passes on),
//      and on the photos side by side (small faces: the full-range detector runs as well);
//   2. HTTP level: a real emotion-api process (dist/main.js when built, else src/main.ts under tsx),
//      POST /detect with a Bearer JWT minted here (HS256, same AUTH_JWT_SECRET; no auth-server needed):
//      latency p50/p95 and images/s at concurrency 1 and 4, the model's load time, GET /logs latency
//      while /detect is busy (the event loop must stay free), and the server's RSS after 500 detections.
//
//   npm run build -w packages/emotion-api && node bench/detect.mjs
//   (without an up-to-date build it re-runs itself with the TypeScript sources under tsx)
//
// Options (env): BENCH_MODEL_ROUNDS (model-level passes over the photos, default 20),
// BENCH_C1 (requests at concurrency 1, default 150), BENCH_C4 (at concurrency 4, default 350),
// BENCH_WORKERS (MODEL_WORKERS for the server, default: the number of cores).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintJwt } from './lib/tokens.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'packages/emotion-api');
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
// The build is used only when it exists and is newer than every source file.
const built =
  existsSync(path.join(pkg, 'dist/main.js')) &&
  existsSync(path.join(pkg, 'dist/model/worker.js')) &&
  newestMtime(path.join(pkg, 'dist')) >= newestMtime(path.join(pkg, 'src'));
const underTsx = process.execArgv.some((a) => a.includes('tsx'));
const tsxArgs = ['--conditions=source', '--import', 'tsx'];

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const ms = (v) => `${v.toFixed(1)} ms`;

async function photos() {
  const dir = path.join(root, 'fixtures/faces');
  const names = (await readdir(dir)).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) })));
}

async function modelBench(images) {
  const ext = built ? 'js' : 'ts';
  const base = path.join(pkg, built ? 'dist' : 'src');
  const { createEmotionDetector } = await import(path.join(base, `model/index.${ext}`));
  const { normalizeImage, prepareImage } = await import(path.join(base, `images/normalize.${ext}`));
  const rounds = Number(process.env.BENCH_MODEL_ROUNDS ?? 20);
  const jpegs = await Promise.all(images.map(async (i) => (await normalizeImage(i.bytes)).jpeg));
  const detector = createEmotionDetector({ workers: 1 });
  await detector.load();
  console.log(`model: ${detector.model}`);
  console.log(`model load (1 worker: weights + warm-up): ${ms(detector.loadTimeMs)}`);
  for (const j of jpegs) await detector.detect(j);
  const lat = [];
  for (let r = 0; r < rounds; r++) {
    for (const j of jpegs) {
      const t = performance.now();
      await detector.detect(j);
      lat.push(performance.now() - t);
    }
  }
  const st = stats(lat);
  console.log(
    `detector.detect, 1 worker, one at a time (${st.n} calls): p50 ${ms(st.p50)}, p95 ${ms(st.p95)}`,
  );
  const normLat = [];
  for (let r = 0; r < 4; r++) {
    for (const i of images) {
      const t = performance.now();
      await normalizeImage(i.bytes);
      normLat.push(performance.now() - t);
    }
  }
  const ns = stats(normLat);
  console.log(`normalizeImage on the original photos (${ns.n} calls): p50 ${ms(ns.p50)}, p95 ${ms(ns.p95)}`);
  // What /detect does without HTTP, storage and auth: normalise, then detect on the result.
  const seq = [];
  for (let r = 0; r < 4; r++) {
    for (const i of images) {
      const t = performance.now();
      await detector.detect((await normalizeImage(i.bytes)).jpeg);
      seq.push(performance.now() - t);
    }
  }
  const sq = stats(seq);
  console.log(`normalizeImage then detect (${sq.n}): p50 ${ms(sq.p50)}, p95 ${ms(sq.p95)}`);
  // What /detect does now: the JPEG re-encode runs while the worker detects on small decoded pixels.
  const par = [];
  for (let r = 0; r < 4; r++) {
    for (const i of images) {
      const t = performance.now();
      const { normalized, pixels } = await prepareImage(i.bytes);
      const faces = pixels.then((p) => detector.detect(i.bytes, { pixels: p }));
      await normalized;
      await faces;
      par.push(performance.now() - t);
    }
  }
  const ps = stats(par);
  console.log(
    `prepareImage, detect on its pixels while the JPEG encodes (${ps.n}): p50 ${ms(ps.p50)}, p95 ${ms(ps.p95)}`,
  );
  // Small faces: the five photos side by side (1500×530) need the full-range detector as well.
  const sharp = createRequire(path.join(pkg, 'package.json'))('sharp');
  const tiles = await Promise.all(
    images.map((i) => sharp(i.bytes).resize(300, 530, { fit: 'fill' }).toBuffer()),
  );
  const group = await sharp({
    create: { width: 300 * tiles.length, height: 530, channels: 3, background: '#fff' },
  })
    .composite(tiles.map((input, i) => ({ input, left: i * 300, top: 0 })))
    .jpeg()
    .toBuffer();
  let found = (await detector.detect(group)).length;
  const groupLat = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    found = (await detector.detect(group)).length;
    groupLat.push(performance.now() - t);
  }
  const gs = stats(groupLat);
  console.log(
    `detector.detect on the photos side by side (${found} of ${images.length} faces found, ${gs.n} calls): p50 ${ms(gs.p50)}, p95 ${ms(gs.p95)}`,
  );
  await detector.close();
}

function multipart(name, bytes) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${name}"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n',
  );
  const body = Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(port, method, urlPath, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU time (user + system, all threads) the process has used so far, in ms. */
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
}

function readRss(pid) {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => {
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  });
}

async function startServer(dataDir, secret, port) {
  const entry = built ? ['dist/main.js'] : [...tsxArgs, 'src/main.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: pkg,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      AUTH_URL: 'http://127.0.0.1:9', // nothing listens there: /detect verifies tokens locally
      AUTH_JWT_SECRET: secret,
      DETECT_RATE_LIMIT: '100000',
      MIN_CONFIDENCE: '0',
      MODEL_WORKERS: process.env.BENCH_WORKERS ?? String(availableParallelism()),
      LOG_LEVEL: 'info',
      WEB_DIST: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let loadMs;
  let out = '';
  const onData = (chunk) => {
    out += chunk;
    for (const line of chunk.toString().split('\n')) {
      if (line.includes('"model loaded"')) {
        try {
          loadMs = JSON.parse(line).ms;
        } catch {}
      }
    }
    if (out.length > 100_000) out = out.slice(-20_000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`emotion-api exited (${child.exitCode}):\n${out}`);
    try {
      const res = await request(port, 'GET', '/health', {});
      if (res.status === 200 || res.status === 503) {
        const health = JSON.parse(res.body);
        if (health.model?.loaded)
          return { child, startMs: performance.now() - started, loadMs: () => loadMs };
      }
    } catch {}
    if (performance.now() - started > 60_000) throw new Error(`emotion-api did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function load(port, token, bodies, total, concurrency) {
  const lat = [];
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const { body, type } = bodies[i % bodies.length];
      const t = performance.now();
      const res = await request(
        port,
        'POST',
        '/detect',
        { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': body.length },
        body,
      );
      lat.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wall = performance.now() - started;
  return { ...stats(lat), perSec: (total * 1000) / wall, statuses: Object.fromEntries(statuses) };
}

async function httpBench(images) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-detect-'));
  const secret = randomBytes(32).toString('hex');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = await startServer(dataDir, secret, port);
  try {
    const token = mintJwt(secret);
    const bodies = images.map((i) => multipart(i.name, i.bytes));
    console.log(
      `\nemotion-api (${built ? 'dist' : 'src under tsx'}, pid ${server.child.pid}, ` +
        `MODEL_WORKERS=${process.env.BENCH_WORKERS ?? availableParallelism()}): ready in ${ms(server.startMs)}, ` +
        `model load ${server.loadMs() === undefined ? '?' : `${server.loadMs()} ms`}, RSS ${(await readRss(server.child.pid)).rss.toFixed(0)} MB`,
    );
    await load(port, token, bodies, 10, 1); // warm-up
    const c1n = Number(process.env.BENCH_C1 ?? 150);
    const c4n = Number(process.env.BENCH_C4 ?? 350);
    const cpuBefore = await cpuMs(server.child.pid);
    const c1 = await load(port, token, bodies, c1n, 1);
    const cpuPerRequest = ((await cpuMs(server.child.pid)) - cpuBefore) / c1n;
    console.log(
      `POST /detect concurrency 1 (${c1.n}): p50 ${ms(c1.p50)}, p95 ${ms(c1.p95)}, ${c1.perSec.toFixed(1)} images/s, status ${JSON.stringify(c1.statuses)}`,
    );
    console.log(
      `emotion-api CPU time per /detect (all threads, less sensitive to other load): ${ms(cpuPerRequest)}`,
    );
    // GET /logs alongside the concurrency-4 run: it must stay fast while inference is busy.
    let busy = true;
    const side = [];
    const sideLoop = (async () => {
      while (busy) {
        const t = performance.now();
        await request(port, 'GET', '/logs?limit=1', { authorization: `Bearer ${token}` });
        side.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const c4 = await load(port, token, bodies, c4n, 4);
    busy = false;
    await sideLoop;
    console.log(
      `POST /detect concurrency 4 (${c4.n}): p50 ${ms(c4.p50)}, p95 ${ms(c4.p95)}, ${c4.perSec.toFixed(1)} images/s, status ${JSON.stringify(c4.statuses)}`,
    );
    const sl = stats(side);
    console.log(
      `GET /logs while /detect runs at concurrency 4 (${sl.n}): p50 ${ms(sl.p50)}, p95 ${ms(sl.p95)}`,
    );
    const mem = await readRss(server.child.pid);
    console.log(
      `emotion-api RSS after ${10 + c1n + c4n} detections: ${mem.rss.toFixed(0)} MB (peak ${mem.hwm.toFixed(0)} MB)`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    agent.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const images = await photos();
  const load1 = () => loadavg()[0]?.toFixed(2);
  console.log(
    `photos: ${images.map((i) => i.name).join(', ')}; ${availableParallelism()} cores, load average ${load1()}`,
  );
  await modelBench(images);
  await httpBench(images);
  console.log(`load average at the end: ${load1()} (other processes on the machine skew every number above)`);
}

if (!built && !underTsx) {
  // No build: run again with the TypeScript sources through tsx.
  const child = spawn(process.execPath, [...tsxArgs, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    cwd: root,
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}
