/**
 * `createRevocationFeed`: follows auth-server's revocation feed (DESIGN §7) so local verifiers
 * honour logout, session revocation, password change/reset and account deletion within seconds.
 * A full resync by `GET /api/auth/revocations` (paged), then the Server-Sent Events stream
 * `GET /api/auth/revocations/stream` read from fetch's streaming body, resumed with
 * `Last-Event-ID`.
 */
import { parseRevocationEvent, RevocationState } from './revocation-state.js';
import { SseParser } from './sse.js';

export type { RevocationClaims, RevocationEvent, RevocationEventType } from './revocation-state.js';
export type {
  RevocationChecker,
  RevocationFeed,
  RevocationFeedOptions,
  RevocationFeedStatus,
} from './revocation-feed.types.js';
import type { RevocationFeed, RevocationFeedOptions, RevocationFeedStatus } from './revocation-feed.types.js';

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    what: string,
  ) {
    super(`${what} answered HTTP ${status}`);
  }
}

/** Larger of two decimal cursors (ids can be delivered out of order); non-numeric: the newer one. */
function maxCursor(a: string, b: string): string {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return b;
  return BigInt(b) > BigInt(a) ? b : a;
}

/**
 * Follows auth-server's revocation feed. Starts at once: a full resync (paged GET), then the SSE
 * stream with `Last-Event-ID`; on a drop it reconnects with backoff (0.5 s doubling to 30 s,
 * jitter), after 45 s without a byte it reconnects, and a 410 `cursor_expired` triggers a full
 * resync. While the stream is down `status` is `'stale'` and `isRevoked` answers from what it
 * holds (the verifier keeps accepting unrevoked tokens by expiry alone). Memory stays bounded:
 * entries are dropped `maxTokenAgeSec` after their event.
 *
 * @example
 * ```ts
 * import { createRevocationFeed, createTokenVerifier } from '@emotion-app/auth-client/server';
 *
 * const revocations = createRevocationFeed({
 *   url: 'http://localhost:8000',
 *   serviceKey: process.env.AUTH_SERVICE_KEY!,
 *   onEvent: (e) => (e.type === 'user_deleted' ? deleteUserData(e.sub!) : undefined),
 * });
 * const verifier = createTokenVerifier({ jwksUrl: 'http://localhost:8000/.well-known/jwks.json', revocations });
 * await verifier.verify(token); // 401 session_revoked once the session is logged out
 * revocations.status; // 'live' | 'stale' (e.g. for /health)
 * revocations.close(); // at shutdown
 * ```
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const base = String(options.url).replace(/\/+$/, '');
  if (typeof options.serviceKey !== 'string' || options.serviceKey === '') {
    throw new TypeError('createRevocationFeed: serviceKey is required');
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const maxTokenAgeSec = options.maxTokenAgeSec ?? 3600;
  if (!(maxTokenAgeSec > 0)) throw new TypeError('createRevocationFeed: maxTokenAgeSec must be > 0');
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const pageLimit = Math.min(1000, Math.max(1, options.pageLimit ?? 1000));
  const authorization = `Bearer ${options.serviceKey}`;
  const state = new RevocationState(maxTokenAgeSec, now);

  let status: RevocationFeedStatus = 'stale';
  let cursor = '0';
  let closed = false;
  let controller: AbortController | undefined;
  let wake: (() => void) | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  function setStatus(next: RevocationFeedStatus, error?: unknown): void {
    if (next === status) return;
    status = next;
    if (next === 'live') markReady();
    try {
      options.onStatusChange?.(next, error);
    } catch {
      // the app's callback must not break the feed
    }
  }

  function receive(value: unknown): void {
    const event = parseRevocationEvent(value);
    if (!event) return;
    cursor = maxCursor(cursor, event.id);
    if (!state.apply(event) || !options.onEvent) return;
    try {
      Promise.resolve(options.onEvent(event)).catch(() => {});
    } catch {
      // ignored, as documented
    }
  }

  async function resync(signal: AbortSignal): Promise<void> {
    let since: string | undefined;
    for (;;) {
      // The server's default page is 1000; `limit` is only sent when another size was asked for.
      const query = new URLSearchParams(pageLimit === 1000 ? {} : { limit: String(pageLimit) });
      if (since !== undefined) query.set('since', since);
      const qs = query.size > 0 ? `?${query}` : '';
      const res = await doFetch(`${base}/api/auth/revocations${qs}`, {
        headers: { authorization, accept: 'application/json' },
        signal,
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new HttpStatusError(res.status, 'GET /api/auth/revocations');
      }
      const page = (await res.json()) as { cursor?: unknown; events?: unknown };
      const events = Array.isArray(page.events) ? page.events : [];
      for (const e of events) receive(e);
      const next = typeof page.cursor === 'string' ? page.cursor : String(page.cursor ?? cursor);
      cursor = maxCursor(cursor, next);
      if (events.length < pageLimit || next === since) return;
      since = next;
    }
  }

  /** Follows the stream until it ends; returns whether it connected, or 'gone' on 410. */
  async function stream(signal: AbortSignal, abort: () => void): Promise<'gone' | 'ended'> {
    const idle = setTimeout(abort, idleTimeoutMs);
    idle.unref();
    try {
      const res = await doFetch(`${base}/api/auth/revocations/stream`, {
        headers: {
          authorization,
          accept: 'text/event-stream',
          'cache-control': 'no-cache',
          'last-event-id': cursor,
        },
        signal,
      });
      if (res.status === 410) {
        await res.body?.cancel().catch(() => {});
        return 'gone';
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        throw new HttpStatusError(res.status, 'GET /api/auth/revocations/stream');
      }
      idle.refresh();
      setStatus('live');
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        idle.refresh();
        for (const e of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (e.event !== 'revocation' && e.event !== 'message') continue;
          let data: unknown;
          try {
            data = JSON.parse(e.data);
          } catch {
            continue;
          }
          receive(data);
          if (e.lastEventId !== '') cursor = maxCursor(cursor, e.lastEventId);
        }
      }
      return 'ended';
    } finally {
      clearTimeout(idle);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let attempt = 0;
    let needResync = true;
    while (!closed) {
      const current = new AbortController();
      controller = current;
      let error: unknown;
      try {
        if (needResync) {
          await resync(current.signal);
          needResync = false;
        }
        const outcome = await stream(current.signal, () => current.abort(new Error('stream idle')));
        if (outcome === 'gone') {
          needResync = true;
          attempt = 0;
          setStatus('stale', new HttpStatusError(410, 'GET /api/auth/revocations/stream'));
          continue; // resync at once: the cursor expired, nothing else is wrong
        }
      } catch (err) {
        error = err;
      }
      if (status === 'live') attempt = 0; // it was connected: start the backoff over
      setStatus('stale', error ?? new Error('revocation stream ended'));
      if (closed) break;
      const delay = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      await sleep(delay * (0.5 + Math.random() / 2));
    }
  }

  const pruner = setInterval(() => state.prune(), Math.min(60_000, maxTokenAgeSec * 250));
  pruner.unref();
  void run();

  return {
    maxTokenAgeSec,
    ready,
    isRevoked: (claims) => state.isRevoked(claims),
    get status() {
      return status;
    },
    get cursor() {
      return cursor;
    },
    get size() {
      return state.prune();
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(pruner);
      controller?.abort(new Error('revocation feed closed'));
      wake?.();
      setStatus('stale');
      markReady();
    },
  };
}
