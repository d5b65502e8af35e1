import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { createSessionFetch, type LockManagerLike } from '../src/session-fetch.js';

/** A tiny cookie-session app: the role emotion-api plays for the browser. */
class CookieApp {
  version = 1;
  refreshCalls = 0;
  refreshAnswer = 200;
  /** emotion-api keeps the CSRF token across refreshes; false models that. */
  rotateCsrf = true;
  seen: { method: string; url: string; csrf: string | undefined }[] = [];
  readonly server = createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Invalidates every access token issued so far, as if they expired. */
  expire(): void {
    this.version++;
  }

  private cookies(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, v] = part.trim().split('=');
      if (k && v) out[k] = v;
    }
    return out;
  }

  private issue(res: ServerResponse): void {
    res.setHeader('set-cookie', [
      `access_token=at${this.version}; HttpOnly`,
      `csrf_token=csrf${this.rotateCsrf ? this.version : 1}`,
    ]);
  }

  private problem(res: ServerResponse, status: number, code: string): void {
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: code, status, code }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const csrf = req.headers['x-csrf-token'];
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      csrf: typeof csrf === 'string' ? csrf : undefined,
    });
    req.resume();
    const tokenAtArrival = this.cookies(req).access_token;
    req.on('end', async () => {
      if (req.url === '/slow') {
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (tokenAtArrival !== `at${this.version}`) return this.problem(res, 401, 'token_expired');
        res.end('{}');
        return;
      }
      if (req.url === '/login') {
        this.issue(res);
        res.end('{}');
      } else if (req.url === '/auth/refresh') {
        this.refreshCalls++;
        if (this.refreshAnswer !== 200) return this.problem(res, this.refreshAnswer, 'invalid_token');
        this.version++;
        this.issue(res);
        res.end('{}');
      } else if (req.url === '/forbidden') {
        this.problem(res, 401, 'invalid_token');
      } else if (this.cookies(req).access_token === `at${this.version}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, method: req.method }));
      } else {
        this.problem(res, 401, 'token_expired');
      }
    });
  }
}

/** Node's fetch plus a cookie jar: what the browser does with credentials: 'include'. */
function browser(): { fetch: typeof fetch; getCookie: (name: string) => string | undefined } {
  const jar = new Map<string, string>();
  const jarFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (pair && eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  };
  return { fetch: jarFetch, getCookie: (name) => jar.get(name) };
}

describe('createSessionFetch', () => {
  let app: CookieApp;
  afterEach(() => app.close());

  async function setup(extra: Parameters<typeof createSessionFetch>[0] = {}) {
    app = await new CookieApp().start();
    const b = browser();
    await b.fetch(`${app.url}/login`);
    const api = createSessionFetch({
      refreshUrl: `${app.url}/auth/refresh`,
      fetch: b.fetch,
      getCookie: b.getCookie,
      locks: null,
      ...extra,
    });
    return { api, browser: b };
  }

  it('adds the CSRF header on POST but not on GET', async () => {
    const { api } = await setup();
    assert.equal((await api(`${app.url}/data`)).status, 200);
    assert.equal((await api(`${app.url}/data`, { method: 'POST', body: 'x' })).status, 200);
    assert.equal((await api(`${app.url}/data`, { method: 'delete' })).status, 200);
    const [get, post, del] = app.seen.slice(-3);
    assert.equal(get?.csrf, undefined);
    assert.equal(post?.csrf, 'csrf1');
    assert.equal(del?.csrf, 'csrf1');
  });

  it('refreshes exactly once for ten parallel requests after expiry and retries all of them', async () => {
    const { api } = await setup();
    app.expire();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(`${app.url}/data?i=${i}`, i % 2 ? { method: 'POST', body: String(i) } : {}),
      ),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(10).fill(200),
    );
    for (const r of responses) assert.equal(((await r.json()) as { ok: boolean }).ok, true);
    assert.equal(app.refreshCalls, 1);
    const retriedPosts = app.seen.filter((s) => s.method === 'POST' && s.url.startsWith('/data'));
    assert.equal(retriedPosts.length, 10);
    // a retried POST carries the CSRF token issued by the refresh
    assert.equal(retriedPosts.filter((s) => s.csrf === `csrf${app.version}`).length, 5);
  });

  it('replays a Request object with its body after the refresh', async () => {
    const { api } = await setup();
    app.expire();
    const res = await api(new Request(`${app.url}/data`, { method: 'PUT', body: 'payload' }));
    assert.equal(res.status, 200);
    assert.equal(app.refreshCalls, 1);
  });

  it('calls onSessionExpired once and returns the 401 when the refresh is refused', async () => {
    let expiredCalls = 0;
    const { api } = await setup({ onSessionExpired: () => expiredCalls++ });
    app.refreshAnswer = 401;
    app.expire();
    const responses = await Promise.all([1, 2, 3].map(() => api(`${app.url}/data`)));
    for (const res of responses) {
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { code: string }).code, 'token_expired');
    }
    assert.equal(app.refreshCalls, 1);
    assert.equal(expiredCalls, 1);
  });

  it('returns the 401 without calling onSessionExpired when the refresh fails transiently', async () => {
    let expiredCalls = 0;
    const { api } = await setup({ onSessionExpired: () => expiredCalls++ });
    app.refreshAnswer = 503;
    app.expire();
    assert.equal((await api(`${app.url}/data`)).status, 401);
    assert.equal(expiredCalls, 0);
  });

  it('does not refresh on a 401 other than token_expired', async () => {
    const { api } = await setup();
    const res = await api(`${app.url}/forbidden`);
    assert.equal(res.status, 401);
    assert.equal(app.refreshCalls, 0);
  });

  it('takes the Web Lock and skips the refresh when another tab refreshed meanwhile', async () => {
    const lockNames: string[] = [];
    let otherTab: ReturnType<typeof browser> | undefined;
    const locks: LockManagerLike = {
      async request(name, callback) {
        lockNames.push(name);
        // while this tab waited for the lock, the other tab refreshed (cookies are shared)
        await otherTab?.fetch(`${app.url}/auth/refresh`, { method: 'POST' });
        return callback();
      },
    };
    const { api, browser: tab } = await setup({ locks, lockName: 'my-app-refresh' });
    otherTab = tab;
    app.expire();
    const res = await api(`${app.url}/data`);
    assert.equal(res.status, 200);
    assert.deepEqual(lockNames, ['my-app-refresh']);
    assert.equal(app.refreshCalls, 1, 'only the other tab refreshed');
  });

  it('does not refresh again for a late 401 of a request sent before the last refresh', async () => {
    const { api } = await setup({ refreshMarker: null });
    app.rotateCsrf = false;
    app.expire();
    const [slow, fast] = await Promise.all([api(`${app.url}/slow`), api(`${app.url}/data`)]);
    assert.equal(fast.status, 200);
    assert.equal(slow.status, 200);
    assert.equal(app.refreshCalls, 1);
  });

  it('skips the refresh when the shared marker says another tab refreshed after the request left', async () => {
    let marked = 0;
    const refreshMarker = { read: () => marked, write: (at: number) => (marked = at) };
    const locks: LockManagerLike = {
      async request(_name, callback) {
        await otherTab.fetch(`${app.url}/auth/refresh`, { method: 'POST' });
        refreshMarker.write(Date.now() + 1);
        return callback();
      },
    };
    const { api, browser: otherTab } = await setup({ locks, refreshMarker });
    app.rotateCsrf = false;
    app.expire();
    assert.equal((await api(`${app.url}/data`)).status, 200);
    assert.equal(app.refreshCalls, 1, 'only the other tab refreshed');
  });

  it('reads the CSRF token from document.cookie, under its production name too', async () => {
    const seen: (string | null)[] = [];
    const recordingFetch: typeof fetch = async (_input, init) => {
      seen.push(new Headers(init?.headers).get('X-CSRF-Token'));
      return new Response('{}', { status: 200 });
    };
    const g = globalThis as { document?: { cookie: string } };
    g.document = { cookie: 'theme=dark; __Host-csrf_token=prod-token' };
    try {
      const api = createSessionFetch({ fetch: recordingFetch, locks: null, refreshMarker: null });
      await api('/detect', { method: 'POST' });
      g.document.cookie = 'csrf_token=dev-token';
      await api('/detect', { method: 'POST' });
    } finally {
      delete g.document;
    }
    assert.deepEqual(seen, ['prod-token', 'dev-token']);
  });
});
