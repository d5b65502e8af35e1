/**
 * A `fetch` wrapper for browser apps on cookie sessions (emotion-api's `access_token`,
 * `refresh_token` and `csrf_token` cookies): CSRF header on unsafe methods, and one shared
 * refresh when the access token has expired.
 */
import { CSRF_HEADER, DEVELOPMENT_COOKIES, PRODUCTION_COOKIES } from '@emotion-app/protocol';
import { indexedDbCoordination } from './refresh-coordination.js';

/** The part of the Web Locks API the helper uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Options of {@link createSessionFetch}. */
export interface SessionFetchOptions {
  /** The app's refresh route, called with POST. Default `/auth/refresh`. */
  refreshUrl?: string;
  /** Cookie holding the CSRF token. Default `csrf_token` (or, when absent, `__Host-csrf_token`: its production name). */
  csrfCookieName?: string;
  /** Header the CSRF token is sent in. Default `X-CSRF-Token`. */
  csrfHeaderName?: string;
  /** The underlying fetch. Default the global one. */
  fetch?: typeof fetch;
  /** Web Locks name shared by the tabs of the app. Default `auth-client-refresh`. */
  lockName?: string;
  /** Called once when a refresh is refused (the session is over): e.g. go to the login page. */
  onSessionExpired?: () => void;
  /** Reads a cookie; default parses `document.cookie`. Inject in tests or non-browser runtimes. */
  getCookie?: (name: string) => string | undefined;
  /** Lock manager; default `navigator.locks` when present, `null` to disable cross-tab locking. */
  locks?: LockManagerLike | null;
  /**
   * Where tabs record when the session was last refreshed (Unix ms; not a secret). Default
   * `localStorage` when present; `null` to keep it in this tab only.
   */
  refreshMarker?: RefreshMarker | null;
}

/** Shared record of the last successful refresh, so a tab skips a refresh another tab just did. */
export interface RefreshMarker {
  read(): number;
  write(atMs: number): void;
}

/** What a request went out with: the CSRF cookie value and the time it was sent (Unix ms). */
interface Sent {
  csrf: string | undefined;
  at: number;
}

/** Outcome of a refresh: `ok` retry, `expired` session over, `failed` transient (5xx, network). */
type RefreshOutcome = 'ok' | 'expired' | 'failed';

/** A refresh started in this tab, and its outcome once settled. */
interface Flight {
  /** The CSRF cookie value the request that started it had sent. */
  csrf: string | undefined;
  promise: Promise<RefreshOutcome>;
  outcome?: RefreshOutcome;
}

/**
 * The latest refresh per refresh URL in this tab (module-level: shared by every wrapper). Joined
 * while running; a refused one is also reused by late 401s of requests sent with the same CSRF
 * cookie, so a dead session is refreshed (and `onSessionExpired` called) only once.
 */
const flights = new Map<string, Flight>();

/** When this tab last completed a successful refresh (Unix ms). */
let lastRefreshAt = 0;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

function documentCookie(name: string): string | undefined {
  const doc = (globalThis as { document?: { cookie?: string } }).document;
  const header = doc?.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

function defaultMarker(): RefreshMarker | null {
  const storage = (
    globalThis as {
      localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
    }
  ).localStorage;
  if (!storage) return null;
  const key = 'auth-client:refreshed-at';
  return {
    read: () => Number(storage.getItem(key)) || 0,
    write: (atMs) => storage.setItem(key, String(atMs)),
  };
}

async function problemCode(response: Response): Promise<string | undefined> {
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return undefined;
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return typeof body?.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates a `fetch` for a browser app on cookie sessions. It sends `credentials: 'include'`, adds
 * the CSRF header (from the CSRF cookie) to unsafe methods, and when a response is 401 with
 * problem code `token_expired` it POSTs `refreshUrl` and retries the request once.
 *
 * Concurrent calls share one refresh: one promise per tab, and across tabs the Web Locks API
 * (when present); a refresh is skipped when the CSRF cookie changed since the failing request was
 * sent (another tab or an earlier refresh already renewed the session), so ten parallel requests
 * after expiry cause exactly one refresh. When the refresh is refused (4xx) `onSessionExpired` is
 * called once and the original 401 response is returned; on a transient refresh failure (5xx,
 * network) the 401 is returned without calling it. Request bodies that are streams cannot be
 * replayed, so such requests are not retried.
 *
 * @example
 * ```ts
 * import { createSessionFetch } from '@emotion-app/auth-client';
 *
 * export const api = createSessionFetch({ onSessionExpired: () => location.assign('/login') });
 * const res = await api('/logs?limit=20');
 * await api('/detect', { method: 'POST', body: formData }); // X-CSRF-Token added
 * ```
 */
export function createSessionFetch(options: SessionFetchOptions = {}): typeof fetch {
  const refreshUrl = options.refreshUrl ?? '/auth/refresh';
  const csrfCookieName = options.csrfCookieName ?? DEVELOPMENT_COOKIES.csrf;
  const csrfHeaderName = options.csrfHeaderName ?? CSRF_HEADER;
  const lockName = options.lockName ?? 'auth-client-refresh';
  const getCookie =
    options.getCookie ??
    (options.csrfCookieName === undefined
      ? (name: string) => documentCookie(name) ?? documentCookie(PRODUCTION_COOKIES.csrf)
      : documentCookie);
  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const browser =
    options.locks === undefined && options.refreshMarker === undefined ? indexedDbCoordination() : undefined;
  const marker =
    options.refreshMarker === undefined ? (browser?.refreshMarker ?? defaultMarker()) : options.refreshMarker;
  const locks = options.locks === undefined ? (browser?.locks ?? defaultLocks()) : options.locks;

  /** Sends once; returns the response and the CSRF cookie value the request went out with. */
  async function attempt(input: string | URL | Request, init: RequestInit): Promise<[Response, Sent]> {
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init.headers).forEach((value, key) => {
      headers.set(key, value);
    });
    const csrf = getCookie(csrfCookieName);
    const at = Date.now();
    if (!SAFE_METHODS.has(method) && csrf !== undefined && !headers.has(csrfHeaderName)) {
      headers.set(csrfHeaderName, csrf);
    }
    const response = await baseFetch(input, { ...init, headers, credentials: 'include' });
    return [response, { csrf, at }];
  }

  async function runRefresh(sent: Sent): Promise<RefreshOutcome> {
    // Someone (another tab, or an earlier refresh here) renewed the session since the failing
    // request left: its cookies are already fresh.
    if (sent.csrf !== undefined && getCookie(csrfCookieName) !== sent.csrf) return 'ok';
    if (Math.max(lastRefreshAt, marker?.read() ?? 0) > sent.at) return 'ok';
    try {
      const [response] = await attempt(refreshUrl, { method: 'POST' });
      await response.body?.cancel();
      if (response.ok) {
        lastRefreshAt = Date.now();
        marker?.write(lastRefreshAt);
        return 'ok';
      }
      return response.status >= 400 && response.status < 500 ? 'expired' : 'failed';
    } catch {
      return 'failed';
    }
  }

  function refresh(sent: Sent): Promise<RefreshOutcome> {
    const csrfSent = sent.csrf;
    const last = flights.get(refreshUrl);
    if (
      last &&
      (last.outcome === undefined ||
        (last.outcome === 'expired' && last.csrf !== undefined && last.csrf === csrfSent))
    ) {
      return last.promise;
    }
    const flight: Flight = { csrf: csrfSent, promise: Promise.resolve('failed') };
    flight.promise = (async () => {
      let outcome: RefreshOutcome;
      try {
        outcome = locks ? await locks.request(lockName, () => runRefresh(sent)) : await runRefresh(sent);
      } catch {
        outcome = 'failed';
      }
      flight.outcome = outcome;
      if (outcome === 'expired') {
        try {
          options.onSessionExpired?.();
        } catch {
          // a failing callback must not turn the 401 answer into a rejected fetch
        }
      }
      return outcome;
    })();
    flights.set(refreshUrl, flight);
    return flight.promise;
  }

  return async function sessionFetch(
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> {
    const replayable =
      !(init.body instanceof ReadableStream) && !(input instanceof Request && input.bodyUsed);
    const spare = input instanceof Request && replayable ? input.clone() : undefined;
    const [response, sent] = await attempt(input, init);
    if (response.status !== 401 || !replayable) return response;
    if ((await problemCode(response)) !== 'token_expired') return response;
    const outcome = await refresh(sent);
    if (outcome !== 'ok') return response;
    await response.body?.cancel();
    const [retried] = await attempt(spare ?? input, init);
    return retried;
  };
}
