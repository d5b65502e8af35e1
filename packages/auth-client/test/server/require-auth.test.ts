import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRequireAuth, fastifyRequireAuth } from '../../src/server/fastify.js';
import { expressRequireAuth } from '../../src/server/express.js';
import { createTokenVerifier } from '../../src/server/verifier.js';
import { claims, nowSec, OTHER_SECRET, SECRET, sign } from '../helpers/tokens.js';

const valid = sign(claims());
const admin = sign(claims({ role: 'admin', sub: 'admin-1' }));
const expired = sign(claims({ exp: nowSec() - 600 }));
const forged = sign(claims(), { secret: OTHER_SECRET });

interface Served {
  url: string;
  close(): Promise<void>;
}

/** The same scenarios against every mounted flavour of requireAuth. */
function suite(name: string, start: () => Promise<Served>): void {
  describe(name, () => {
    let served: Served;
    before(async () => {
      served = await start();
    });
    after(() => served.close());

    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${served.url}${path}`, { headers });

    async function assertProblem(res: Response, status: number, code: string): Promise<void> {
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.code, code);
      assert.equal(body.status, status);
      assert.equal(typeof body.type, 'string');
      assert.equal(typeof body.title, 'string');
      assert.equal(typeof body.detail, 'string');
    }

    it('lets a Bearer token through and sets request.user', async () => {
      const res = await get('/me', { authorization: `Bearer ${valid}` });
      assert.equal(res.status, 200);
      const user = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(
        { id: user.id, email: user.email, role: user.role, sessionId: user.sessionId },
        { id: 'user-1', email: 'ada@example.com', role: 'user', sessionId: 'session-1' },
      );
      assert.equal((user.claims as Record<string, unknown>).iss, 'auth-server');
    });

    it('lets an access_token cookie through', async () => {
      const res = await get('/me', { cookie: `theme=dark; access_token=${valid}; other=1` });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { id: string }).id, 'user-1');
    });

    it('reads the __Host-access_token cookie used in production', async () => {
      const res = await get('/me', { cookie: `__Host-access_token=${valid}` });
      assert.equal(res.status, 200);
    });

    it('answers 401 invalid_token with WWW-Authenticate when no token is sent', async () => {
      const res = await get('/me');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      await assertProblem(res, 401, 'invalid_token');
    });

    it('answers 401 token_expired for an expired token', async () => {
      const res = await get('/me', { authorization: `Bearer ${expired}` });
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      await assertProblem(res, 401, 'token_expired');
    });

    it('answers 401 token_expired for an expired token in the cookie', async () => {
      await assertProblem(await get('/me', { cookie: `access_token=${expired}` }), 401, 'token_expired');
    });

    it('answers 401 invalid_token for a token signed with another key', async () => {
      await assertProblem(await get('/me', { authorization: `Bearer ${forged}` }), 401, 'invalid_token');
    });

    it('prefers the Authorization header over the cookie', async () => {
      const res = await get('/me', { authorization: `Bearer ${forged}`, cookie: `access_token=${valid}` });
      await assertProblem(res, 401, 'invalid_token');
    });

    it('authenticates a request with an Authorization header by that header alone, never by the cookie', async () => {
      for (const authorization of ['Bearer garbage', 'Bearer ', 'Basic eHl6OmFiYw==', '']) {
        const res = await get('/me', { authorization, cookie: `access_token=${valid}` });
        await assertProblem(res, 401, 'invalid_token');
      }
    });

    it('answers 403 forbidden for a role outside roles', async () => {
      await assertProblem(await get('/admin', { authorization: `Bearer ${valid}` }), 403, 'forbidden');
    });

    it('lets an allowed role through', async () => {
      const res = await get('/admin', { authorization: `Bearer ${admin}` });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { id: string }).id, 'admin-1');
    });
  });
}

async function listenFastify(app: FastifyInstance): Promise<Served> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

suite('fastifyRequireAuth plugin (no cookie plugin)', async () => {
  const app = Fastify();
  await app.register(fastifyRequireAuth, { secret: SECRET });
  app.get('/me', { preHandler: app.requireAuth() }, async (request) => request.user);
  app.get('/admin', { preHandler: app.requireAuth({ roles: ['admin'] }) }, async (request) => request.user);
  return listenFastify(app);
});

suite('createRequireAuth with @fastify/cookie', async () => {
  const verifier = createTokenVerifier({ secret: SECRET });
  const app = Fastify();
  await app.register(fastifyCookie);
  app.get('/me', { preHandler: createRequireAuth(verifier) }, async (request) => request.user);
  app.get(
    '/admin',
    { preHandler: createRequireAuth(verifier, { roles: ['admin'] }) },
    async (request) => request.user,
  );
  return listenFastify(app);
});

suite('expressRequireAuth', async () => {
  const verifier = createTokenVerifier({ secret: SECRET });
  const app = express();
  app.get('/me', expressRequireAuth(verifier), (req, res) => {
    res.json(req.user);
  });
  app.get('/admin', expressRequireAuth(verifier, { roles: ['admin'] }), (req, res) => {
    res.json(req.user);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

describe('cookie name option', () => {
  it('reads only the configured cookie name', async () => {
    const app = Fastify();
    await app.register(fastifyRequireAuth, { secret: SECRET, cookieName: 'my_token' });
    app.get('/me', { preHandler: app.requireAuth() }, async (request) => request.user);
    const { url, close } = await listenFastify(app);
    try {
      assert.equal((await fetch(`${url}/me`, { headers: { cookie: `my_token=${valid}` } })).status, 200);
      assert.equal((await fetch(`${url}/me`, { headers: { cookie: `access_token=${valid}` } })).status, 401);
    } finally {
      await close();
    }
  });
});
