import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuthClient } from '../src/client.js';
import { AuthError } from '../src/errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('AuthClient transport', () => {
  let server: Server;
  let url: string;
  let last: { method: string; url: string; headers: IncomingMessage['headers']; body: string } | undefined;
  let answer: Handler = (_req, res) => res.end();

  before(async () => {
    ({ server, url } = await serve((req, res, body) => {
      last = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      answer(req, res, body);
    }));
  });
  after(() => close(server));

  it('sends JSON, default headers, per-call headers and the Bearer token', async () => {
    answer = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ user: { id: 'u1' } }));
    };
    const auth = new AuthClient({ baseUrl: `${url}/`, headers: { 'X-Client': 'sdk' } });
    const user = await auth.updateUser(
      'at-123',
      { name: 'Ada' },
      { headers: { 'X-Forwarded-For': '203.0.113.7', 'User-Agent': 'Browser/1.0' } },
    );
    assert.deepEqual(user, { id: 'u1' });
    assert.equal(last?.method, 'PATCH');
    assert.equal(last?.url, '/api/users/me');
    assert.equal(last?.headers.authorization, 'Bearer at-123');
    assert.equal(last?.headers['x-client'], 'sdk');
    assert.equal(last?.headers['x-forwarded-for'], '203.0.113.7');
    assert.equal(last?.headers['user-agent'], 'Browser/1.0');
    assert.equal(last?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(last?.body ?? ''), { name: 'Ada' });
  });

  it('carries every problem+json field into AuthError, with Retry-After', async () => {
    answer = (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '42' });
      res.end(
        JSON.stringify({
          type: 'https://example.com/problems/rate_limited',
          title: 'Too Many Requests',
          status: 429,
          detail: 'slow down',
          code: 'rate_limited',
        }),
      );
    };
    const err = await new AuthClient({ baseUrl: url })
      .login({ email: 'a@example.com', password: 'x' })
      .catch((e) => e);
    assert.ok(err instanceof AuthError);
    assert.equal(err.status, 429);
    assert.equal(err.code, 'rate_limited');
    assert.equal(err.title, 'Too Many Requests');
    assert.equal(err.detail, 'slow down');
    assert.equal(err.type, 'https://example.com/problems/rate_limited');
    assert.equal(err.retryAfterSec, 42);
  });

  it('gives a non-JSON error body a code derived from its status', async () => {
    answer = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    await assert.rejects(new AuthClient({ baseUrl: url }).getUser('t'), {
      name: 'AuthError',
      status: 502,
      code: 'auth_unavailable',
    });
    answer = (_req, res) => {
      res.writeHead(404);
      res.end('nope');
    };
    await assert.rejects(new AuthClient({ baseUrl: url }).getUser('t'), { status: 404, code: 'not_found' });
    answer = (_req, res) => {
      res.writeHead(500);
      res.end();
    };
    await assert.rejects(new AuthClient({ baseUrl: url }).getUser('t'), {
      status: 500,
      code: 'internal_error',
    });
  });

  it('throws auth_unavailable (503) when the server never answers within timeoutMs', async () => {
    answer = () => {
      // never answers
    };
    const auth = new AuthClient({ baseUrl: url, timeoutMs: 200 });
    await assert.rejects(auth.forgotPassword('a@example.com'), (err: unknown) => {
      assert.ok(err instanceof AuthError);
      assert.equal(err.status, 503);
      assert.equal(err.code, 'auth_unavailable');
      assert.match(err.detail ?? '', /200 ms/);
      return true;
    });
  });

  it('throws auth_unavailable when the body stalls after the headers', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":');
    };
    await assert.rejects(
      new AuthClient({ baseUrl: url, timeoutMs: 200 }).register({
        name: 'a',
        email: 'a@b.co',
        password: 'p',
      }),
      {
        code: 'auth_unavailable',
        status: 503,
      },
    );
  });

  it('throws auth_unavailable (503) when the connection is refused', async () => {
    const spare = await serve((_req, res) => res.end());
    await close(spare.server);
    await assert.rejects(new AuthClient({ baseUrl: spare.url }).getUser('t'), {
      name: 'AuthError',
      status: 503,
      code: 'auth_unavailable',
    });
  });

  it("rejects with the caller's abort reason when its signal aborts", async () => {
    answer = () => {
      // never answers
    };
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    const pending = new AuthClient({ baseUrl: url }).listSessions('t', { signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const auth = new AuthClient({
      baseUrl: 'http://auth.invalid',
      fetch: async (input) => {
        calls.push(String(input));
        return new Response(null, { status: 204 });
      },
    });
    await auth.revokeSession('t', 'a/b');
    assert.deepEqual(calls, ['http://auth.invalid/api/users/me/sessions/a%2Fb']);
  });
});
