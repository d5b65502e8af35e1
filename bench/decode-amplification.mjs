#!/usr/bin/env node
// Decode amplification (issue 10 #14): many concurrent uploads of small PNGs that decode to huge
// images (6320×6320, 40 megapixels, just under MAX_IMAGE_MEGAPIXELS) against a real emotion-api
// process (dist/main.js when built, else src/main.ts under tsx), with a Bearer JWT minted here
// (HS256, same AUTH_JWT_SECRET; no auth-server needed). Prints the server's RSS after start and
// after one warm-up upload per model worker (with BENCH_IMAGE=specks each worker then loads its
// full-range face detector once), then, for the burst, the wall time, the answers by status, and
// the RSS after it and at its peak.
//
//   npm run build -w packages/emotion-api && node bench/decode-amplification.mjs
//
// Options (env): BENCH_CONCURRENCY (uploads sent at once, default 16), BENCH_ROUNDS (default 1),
// BENCH_SIDE (pixels per side, default 6320), BENCH_IMAGE (flat or specks, see bombPng),
// BENCH_WORKERS (MODEL_WORKERS, default: the cores), BENCH_QUEUE_MAX (DETECT_QUEUE_MAX, default:
// the server's default). The server inherits this
// process's environment: `MALLOC_MMAP_THRESHOLD_=131072 node bench/decode-amplification.mjs`
// measures it as `npm start --workspace packages/emotion-api` runs it (glibc's threshold fixed).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintJwt } from './lib/tokens.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'packages/emotion-api');
const built =
  existsSync(path.join(pkg, 'dist/main.js')) && existsSync(path.join(pkg, 'dist/model/worker.js'));
const sharp = createRequire(path.join(pkg, 'package.json'))('sharp');

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const side = Number(process.env.BENCH_SIDE ?? 6320);
const workers = process.env.BENCH_WORKERS ?? String(availableParallelism());
const imageKind = process.env.BENCH_IMAGE ?? 'flat';

/**
 * A PNG that is tiny compressed but decodes to side×side RGB. `flat` (default): one grey, about
 * 130 KB, like the review's 167 KB files (the model sees a blank image and stops there);
 * `specks`: grey with 400 noise tiles, about 420 KB, so the face detectors run as well.
 */
async function bombPng(kind) {
  const canvas = {
    create: { width: side, height: side, channels: 3, background: '#808080' },
    limitInputPixels: false,
  };
  if (kind === 'flat') return sharp(canvas).png().toBuffer();
  const tile = 64;
  const noise = Buffer.alloc(tile * tile * 3);
  for (let i = 0; i < noise.length; i += 97) noise[i] = (i * 31) & 0xff;
  const speck = await sharp(noise, { raw: { width: tile, height: tile, channels: 3 } })
    .png()
    .toBuffer();
  const composites = [];
  for (let i = 0; i < 400; i++) {
    composites.push({ input: speck, left: (i * 997) % (side - tile), top: (i * 1543) % (side - tile) });
  }
  return sharp(canvas).composite(composites).png({ compressionLevel: 9 }).toBuffer();
}

function multipart(bytes) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="bomb.png"\r\n` +
      'Content-Type: image/png\r\n\r\n',
  );
  return {
    body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(port, method, urlPath, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readRss(pid) {
  const s = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function startServer(dataDir, secret, port) {
  const entry = built ? ['dist/main.js'] : ['--conditions=source', '--import', 'tsx', 'src/main.ts'];
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
      MODEL_WORKERS: workers,
      ...(process.env.BENCH_QUEUE_MAX ? { DETECT_QUEUE_MAX: process.env.BENCH_QUEUE_MAX } : {}),
      LOG_LEVEL: 'warn',
      WEB_DIST: 'none',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk) => {
    out = (out + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`emotion-api exited (${child.exitCode}):\n${out}`);
    try {
      const res = await request(port, 'GET', '/health', {});
      if (JSON.parse(res.body).model?.loaded) return child;
    } catch {}
    if (performance.now() - started > 120_000) throw new Error(`emotion-api did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const png = await bombPng(imageKind);
  const meta = await sharp(png).metadata();
  console.log(
    `${concurrency} concurrent uploads × ${rounds} of a ${meta.width}×${meta.height} ${imageKind} PNG of ${(png.length / 1024).toFixed(0)} KB; ` +
      `${availableParallelism()} cores, MODEL_WORKERS=${workers}, load average ${loadavg()[0]?.toFixed(2)}; ` +
      `emotion-api from ${built ? 'dist' : 'src under tsx'}`,
  );
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-decode-'));
  const secret = randomBytes(32).toString('hex');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = await startServer(dataDir, secret, port);
  try {
    const token = mintJwt(secret);
    const { body, type } = multipart(png);
    const headers = { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': body.length };
    // Settle after start-up (model warm-up) before taking the baseline.
    await new Promise((r) => setTimeout(r, 2000));
    const started0 = await readRss(child.pid);
    // As many uploads as there are workers first: what the first such image costs each worker once
    // (the full-range face detector it loads on first use), apart from what the burst adds.
    const t0 = performance.now();
    const warm = await Promise.all(
      Array.from({ length: Number(workers) }, () => request(port, 'POST', '/detect', headers, body)),
    );
    const alone = await readRss(child.pid);
    console.log(
      `emotion-api RSS after start ${started0.rss.toFixed(0)} MB; after ${warm.length} warm-up upload(s) ` +
        `(${[...new Set(warm.map((w) => w.status))].join(',')}, ${((performance.now() - t0) / 1000).toFixed(2)} s): ${alone.rss.toFixed(0)} MB`,
    );
    const before = alone;
    let peakSampled = before.rss;
    const sampler = setInterval(() => {
      readRss(child.pid).then(
        (m) => {
          peakSampled = Math.max(peakSampled, m.rss);
        },
        () => {},
      );
    }, 50);
    const statuses = new Map();
    const started = performance.now();
    for (let r = 0; r < rounds; r++) {
      const answers = await Promise.all(
        Array.from({ length: concurrency }, () => request(port, 'POST', '/detect', headers, body)),
      );
      for (const a of answers) {
        const code = a.status === 200 ? '200' : `${a.status} ${JSON.parse(a.body).code}`;
        statuses.set(code, (statuses.get(code) ?? 0) + 1);
      }
    }
    const wall = performance.now() - started;
    clearInterval(sampler);
    const after = await readRss(child.pid);
    console.log(
      `wall time: ${(wall / 1000).toFixed(2)} s; answers: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    console.log(
      `emotion-api RSS around the burst: before ${before.rss.toFixed(0)} MB, after ${after.rss.toFixed(0)} MB, ` +
        `peak ${Math.max(peakSampled, after.rss).toFixed(0)} MB sampled every 50 ms (VmHWM ${after.hwm.toFixed(0)} MB, start-up included)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    agent.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
