/** GET /api/auth/revocations (DESIGN §7): service key, cursor paging, full resync, 410, 400. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RevocationsResponse } from '@emotion-app/protocol';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { bearer, login, post, problem, signUp, startApp, TEST_SERVICE_KEY } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const service = bearer(TEST_SERVICE_KEY);

async function feed(app: FastifyInstance, query = ''): Promise<RevocationsResponse> {
  const res = await app.inject({ url: `/api/auth/revocations${query}`, headers: service });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Signs in `n` times and logs each session out: `n` session_revoked events. */
async function revokeSessions(app: FastifyInstance, email: string, n: number): Promise<string> {
  const first = await signUp(app, email);
  await post(app, '/api/auth/logout', {}, bearer(first.accessToken));
  for (let i = 1; i < n; i++) {
    const s = (await login(app, email)).json();
    await post(app, '/api/auth/logout', {}, bearer(s.accessToken));
  }
  return first.user.id;
}

for (const dialect of dialects()) {
  describe(`GET /api/auth/revocations on ${dialect.name}`, () => {
    test('answers 401 invalid_token without the service key, even to a signed-in user', async (t) => {
      const { app } = await startApp(t, dialect);
      const user = await signUp(app, 'nokey@example.com');
      for (const headers of [
        {},
        bearer(user.accessToken),
        bearer('not-the-service-key-0123456789-abcdefghijk'),
      ]) {
        const res = await app.inject({ url: '/api/auth/revocations', headers });
        assert.equal(res.statusCode, 401);
        assert.equal(problem(res).code, 'invalid_token');
      }
      const stream = await app.inject({ url: '/api/auth/revocations/stream' });
      assert.equal(problem(stream).code, 'invalid_token');
    });

    test('pages by cursor in id order; a full resync answers every event; the last seconds are repeated', async (t) => {
      const { app } = await startApp(t, dialect);
      assert.deepEqual(await feed(app), { cursor: '0', events: [] });
      const sub = await revokeSessions(app, 'paging@example.com', 5);
      const all = await feed(app);
      assert.equal(all.events.length, 5);
      assert.equal(all.cursor, all.events[4]?.id);
      for (const e of all.events) {
        assert.equal(e.type, 'session_revoked');
        assert.equal(e.sub, sub);
        assert.match(e.sid ?? '', /^[0-9a-f-]{36}$/);
        assert.ok(!Number.isNaN(Date.parse(e.at)));
        assert.deepEqual(Object.keys(e).sort(), ['at', 'id', 'sid', 'sub', 'type']);
      }
      const ids = all.events.map((e) => BigInt(e.id));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => (a < b ? -1 : 1)),
      );

      const page1 = await feed(app, '?limit=2');
      assert.deepEqual(
        page1.events.map((e) => e.id),
        all.events.slice(0, 2).map((e) => e.id),
      );
      assert.equal(page1.cursor, all.events[1]?.id);
      const page2 = await feed(app, `?since=${page1.cursor}&limit=2`);
      // New events after the cursor, plus the recent ones at or before it (late commits).
      assert.equal(page2.cursor, all.events[3]?.id);
      const fresh = page2.events.filter((e) => BigInt(e.id) > BigInt(page1.cursor));
      assert.deepEqual(
        fresh.map((e) => e.id),
        all.events.slice(2, 4).map((e) => e.id),
      );
      const tail = await feed(app, `?since=${all.cursor}`);
      assert.equal(tail.cursor, all.cursor, 'nothing new: the cursor stays');
      assert.ok(tail.events.every((e) => BigInt(e.id) <= BigInt(all.cursor)));
    });

    test('a cursor older than the retained events answers 410 cursor_expired; a full resync still works', async (t) => {
      const { app, testDb } = await startApp(t, dialect);
      await revokeSessions(app, 'old@example.com', 2);
      const before = await feed(app);
      await sql`UPDATE revocation_events SET at = now() - interval '2 hours' WHERE id = ${before.events[0]?.id}::bigint`.execute(
        testDb.db,
      );
      assert.equal(await app.ctx.revocations.purge(), 1);
      for (const url of ['/api/auth/revocations?since=0', '/api/auth/revocations/stream?since=0']) {
        const res = await app.inject({ url, headers: service });
        assert.equal(res.statusCode, 410, url);
        assert.equal(problem(res).code, 'cursor_expired');
      }
      const resync = await feed(app);
      assert.deepEqual(
        resync.events.map((e) => e.id),
        [before.events[1]?.id],
      );
      assert.equal(
        (await feed(app, `?since=${before.events[0]?.id}`)).events.length,
        1,
        'the purged id itself is fine',
      );
      await sql`DELETE FROM revocation_events`.execute(testDb.db);
      const empty = await feed(app);
      assert.equal(
        empty.cursor,
        before.events[0]?.id,
        'an empty resync answers a cursor that is not expired',
      );
      assert.equal(
        (await app.inject({ url: `/api/auth/revocations?since=${empty.cursor}`, headers: service }))
          .statusCode,
        200,
      );
    });

    test('a malformed cursor or limit answers 400 validation_failed', async (t) => {
      const { app } = await startApp(t, dialect);
      for (const query of [
        'since=abc',
        'since=-1',
        'since=1.5',
        'since=',
        'limit=0',
        'limit=1001',
        'limit=x',
      ]) {
        const res = await app.inject({ url: `/api/auth/revocations?${query}`, headers: service });
        assert.equal(res.statusCode, 400, query);
        assert.equal(problem(res).code, 'validation_failed', query);
      }
      const stream = await app.inject({
        url: '/api/auth/revocations/stream',
        headers: { ...service, 'last-event-id': 'abc' },
      });
      assert.equal(problem(stream).code, 'validation_failed');
    });
  });
}
