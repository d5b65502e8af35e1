#!/usr/bin/env node
// Micro benchmark of auth-client's local token verifier against a bare
// createHmac + timingSafeEqual + JSON.parse loop on the same token, same process.
//
//   npm run build --workspace packages/auth-client && node bench/verify.mjs
//   (or, without a build: node --conditions=source --import tsx bench/verify.mjs)
//
// Options: BENCH_MS (per round, default 500), BENCH_ROUNDS (default 3). Prints the best round
// of each contender per CPU-second of this process (one core; robust when other processes
// compete for the CPU) and per wall-second, and the ratio of the CPU-time rates; exits 1 when
// the verifier is under 150k/s or under half the bare loop's rate.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

let createTokenVerifier;
try {
  ({ createTokenVerifier } = await import('@emotion-app/auth-client/server'));
} catch (err) {
  console.error('cannot load @emotion-app/auth-client/server; build it first:');
  console.error('  npm run build --workspace packages/auth-client');
  console.error(String(err));
  process.exit(2);
}

const secret = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const iat = Math.floor(Date.now() / 1000);
const header = { alg: 'HS256', typ: 'JWT', kid: 'k1' };
const payload = {
  iss: 'auth-server',
  aud: 'authenticated',
  sub: '0194f6a2-8c1e-7d3b-9a55-3f1c2b7e9d10',
  sid: '0194f6a2-9d2f-7e4c-8b66-4a2d3c8fae21',
  email: 'ada.lovelace@example.com',
  role: 'user',
  iat,
  exp: iat + 900,
};
const enc = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const input = `${enc(header)}.${enc(payload)}`;
const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;

const verifier = createTokenVerifier({ secret });
const keyBytes = Buffer.from(secret, 'utf8');
const keyObject = createSecretKey(keyBytes);

function bare(key) {
  return (t) => {
    const d1 = t.indexOf('.');
    const d2 = t.lastIndexOf('.');
    const mac = createHmac('sha256', key).update(t.slice(0, d2)).digest();
    if (!timingSafeEqual(mac, Buffer.from(t.slice(d2 + 1), 'base64url'))) throw new Error('bad signature');
    return JSON.parse(Buffer.from(t.slice(d1 + 1, d2), 'base64url').toString('utf8'));
  };
}

const contenders = {
  'verifier.verifySync': (t) => verifier.verifySync(t),
  'bare loop (Buffer key)': bare(keyBytes),
  'bare loop (KeyObject key)': bare(keyObject),
};

const roundMs = Number(process.env.BENCH_MS ?? 500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * Runs `fn` for about `ms` of wall time; returns verifications per CPU second of this process
 * (so other processes competing for the cores do not distort the rate) and per wall second.
 */
function measure(fn, ms = roundMs) {
  let n = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 1000; i++) sink += fn(token).exp & 1;
    n += 1000;
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink < 0) console.log(sink);
  return { cpu: n / ((cpu.user + cpu.system) / 1e6), wall: n / (Number(now - start) / 1e9) };
}

for (const fn of Object.values(contenders)) measure(fn, 300); // warm up (JIT)
const best = Object.fromEntries(Object.keys(contenders).map((k) => [k, { cpu: 0, wall: 0 }]));
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(contenders)) {
    const rate = measure(fn);
    best[name].cpu = Math.max(best[name].cpu, rate.cpu);
    best[name].wall = Math.max(best[name].wall, rate.wall);
  }
}

const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`.padStart(12);
const ours = best['verifier.verifySync'].cpu;
const baseline = Math.max(best['bare loop (Buffer key)'].cpu, best['bare loop (KeyObject key)'].cpu);
console.log(`node ${process.version}, token ${token.length} chars, best of ${rounds} x ${roundMs} ms`);
console.log(`${''.padEnd(28)} ${'per CPU-second'.padStart(14)} ${'per wall-second'.padStart(16)}`);
for (const [name, rate] of Object.entries(best)) {
  console.log(`${name.padEnd(28)} ${fmt(rate.cpu).padStart(14)} ${fmt(rate.wall).padStart(16)}`);
}
const ratio = ours / baseline;
console.log(`ratio verifier / fastest bare loop (CPU-time rates): ${ratio.toFixed(2)}`);
const ok = ours >= 150_000 && ratio >= 0.5;
console.log(ok ? 'OK: >= 150k/s and >= 0.5 of the bare loop' : 'BELOW TARGET (150k/s and 0.5 ratio)');
process.exitCode = ok ? 0 : 1;
