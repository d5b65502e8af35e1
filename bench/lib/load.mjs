/** Load loops shared by bench/cluster.mjs and bench/soak.mjs. */

/** Every auth-server rate limit lifted (a bench measures throughput, not the limits). */
const UNLIMITED = '1000000000/1';
export const UNLIMITED_RATES = Object.fromEntries(
  ['LOGIN_IP', 'LOGIN_ACCOUNT_IP', 'LOGIN_ACCOUNT', 'REFRESH', 'REGISTER', 'VERIFY'].map((k) => [
    `RATE_LIMIT_${k}`,
    UNLIMITED,
  ]),
);

/** The p-th percentile of the samples' `ms`, rounded (0 when there are none). */
export function percentile(samples, p) {
  if (samples.length === 0) return 0;
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

/**
 * Runs `concurrency` workers for `seconds`; each calls `iteration(worker, i, record)` again and
 * again, where `record(name, fn)` times one request and keeps `{ name, status, ms, at }`.
 */
export async function runFor(seconds, concurrency, iteration, samples = []) {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const record = async (name, fn) => {
    const t0 = performance.now();
    let res;
    try {
      res = await fn();
    } catch (err) {
      res = { status: 0, body: { code: err.message } };
    }
    samples.push({ name, status: res.status, ms: performance.now() - t0, at: Date.now() });
    return res;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) await iteration(worker, i, record);
    }),
  );
  return { samples, elapsed: (performance.now() - started) / 1000 };
}
