/**
 * Whether auth-server answers, cached: /health is probed often (load balancers, compose), and
 * asking auth-server each time costs more than the answer is worth. At most one probe is in flight;
 * its answer is reused for `ttlMs`.
 */
const PROBE_TIMEOUT_MS = 1500;

export type AuthServerStatus = 'ok' | 'unreachable';

export function cachedAuthProbe(healthUrl: string, ttlMs = 2000): () => Promise<AuthServerStatus> {
  let last: { at: number; status: AuthServerStatus } | undefined;
  let inFlight: Promise<AuthServerStatus> | undefined;
  return () => {
    if (last && performance.now() - last.at < ttlMs) return Promise.resolve(last.status);
    inFlight ??= probe(healthUrl).then((status) => {
      last = { at: performance.now(), status };
      inFlight = undefined;
      return status;
    });
    return inFlight;
  };
}

/** Whether auth-server's own health route answers 2xx within PROBE_TIMEOUT_MS. */
async function probe(url: string): Promise<AuthServerStatus> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel().catch(() => {});
    return res.ok ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
