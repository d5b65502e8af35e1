/**
 * GET /api/auth/revocations/stream over real HTTP (DESIGN §7): delivery within 2 s, resume after
 * Last-Event-ID or since, heartbeat comments, and a clean end when the app closes.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { RevocationEvent } from '@emotion-app/protocol';
import type { FastifyInstance } from 'fastify';
import { bearer, login, post, signUp, startApp, TEST_SERVICE_KEY } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { openSse, type SseConnection } from '../helpers/sse.js';

const service = bearer(TEST_SERVICE_KEY);
const sidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid as string;
const parse = (m: { data: string }) => JSON.parse(m.data) as RevocationEvent;

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

async function stream(
  t: TestContext,
  url: string,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  const conn = await openSse(`${url}/api/auth/revocations/stream${headers.query ?? ''}`, {
    ...service,
    ...Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'query')),
  });
  t.after(() => conn.close());
  return conn;
}

const forSid = (sid: string) => (m: { event?: string; data: string }) =>
  m.event === 'revocation' && parse(m).sid === sid;

for (const dialect of dialects()) {
  describe(`GET /api/auth/revocations/stream on ${dialect.name}`, () => {
    test('starts with retry and a comment, then delivers a logout within 2 s as id/event/data', async (t) => {
      const { app } = await startApp(t, dialect);
      const url = await listen(app);
      const earlier = await signUp(app, 'live@example.com');
      await post(app, '/api/auth/logout', {}, bearer(earlier.accessToken)); // before the stream: not sent
      const conn = await stream(t, url);
      assert.equal(conn.status, 200);
      assert.match(conn.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(conn.headers.get('cache-control'), 'no-cache, no-transform');
      await conn.line((l) => l === ': connected');
      assert.deepEqual(conn.lines.slice(0, 2), ['retry: 2000', ': connected']);

      const session = (await login(app, 'live@example.com')).json();
      await post(app, '/api/auth/logout', {}, bearer(session.accessToken));
      const message = await conn.next(forSid(sidOf(session.accessToken)), 2000);
      const event = parse(message);
      assert.equal(message.id, event.id);
      assert.equal(event.type, 'session_revoked');
      assert.equal(event.sub, session.user.id);
      assert.ok(!conn.messages.some(forSid(sidOf(earlier.accessToken))), 'no event from before the stream');
    });

    test('resumes after Last-Event-ID (and ?since=) with the events it missed', async (t) => {
      const { app } = await startApp(t, dialect);
      const url = await listen(app);
      const a = await signUp(app, 'resume@example.com');
      const first = await stream(t, url);
      await post(app, '/api/auth/logout', {}, bearer(a.accessToken));
      const seen = await first.next(forSid(sidOf(a.accessToken)));
      first.close();

      const b = (await login(app, 'resume@example.com')).json();
      await post(app, '/api/auth/logout', {}, bearer(b.accessToken)); // while disconnected
      const resumes: Record<string, string>[] = [
        { 'last-event-id': seen.id ?? '' },
        { query: `?since=${seen.id}` },
      ];
      for (const headers of resumes) {
        const resumed = await stream(t, url, headers);
        const missed = await resumed.next(forSid(sidOf(b.accessToken)));
        assert.ok(BigInt(missed.id ?? 0) > BigInt(seen.id ?? 0));
        resumed.close();
      }
    });

    test('sends a heartbeat comment every REVOCATION_HEARTBEAT_SECONDS', async (t) => {
      const { app } = await startApp(t, dialect, { env: { REVOCATION_HEARTBEAT_SECONDS: '0.2' } });
      const conn = await stream(t, await listen(app));
      await conn.line((l) => l === ': heartbeat', 2000);
    });

    test('app.close() ends open streams and returns', async (t) => {
      const { app } = await startApp(t, dialect);
      const conn = await stream(t, await listen(app));
      await conn.line((l) => l === ': connected');
      assert.equal(app.ctx.revocations.listenerCount, 1);
      await app.close();
      await conn.ended;
      assert.equal(app.ctx.revocations.listenerCount, 0);
    });
  });
}
