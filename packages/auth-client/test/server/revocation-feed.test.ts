import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createRevocationFeed, type RevocationFeed } from '../../src/server/revocation-feed.js';
import { type RevocationEvent, RevocationState } from '../../src/server/revocation-state.js';
import { fastifyRequireAuth } from '../../src/server/fastify.js';
import { type FeedStandIn, startFeedStandIn, waitFor } from '../helpers/feed-stand-in.js';
import { generateKey, signWith } from '../helpers/keys.js';
import { claims, nowSec } from '../helpers/tokens.js';

const SERVICE_KEY = 'service-key-0123456789-abcdefghijklmnopqrstuv';
const nowIso = () => new Date().toISOString();

describe('RevocationState', () => {
  it('revokes by sid, deleted sub, and iat before notBefore', () => {
    const state = new RevocationState(3600, Date.now);
    const iat = nowSec();
    state.apply({ id: '1', type: 'session_revoked', at: nowIso(), sid: 's1', sub: 'u1' });
    state.apply({ id: '2', type: 'user_deleted', at: nowIso(), sub: 'u2' });
    state.apply({ id: '3', type: 'user_tokens_revoked', at: nowIso(), sub: 'u3', notBefore: iat });
    assert.equal(state.isRevoked({ sid: 's1', sub: 'u1', iat }), true);
    assert.equal(state.isRevoked({ sid: 's9', sub: 'u1', iat }), false, 'other sessions of u1 live on');
    assert.equal(state.isRevoked({ sid: 's2', sub: 'u2', iat }), true);
    assert.equal(state.isRevoked({ sid: 's3', sub: 'u3', iat: iat - 1 }), true);
    assert.equal(state.isRevoked({ sid: 's3', sub: 'u3', iat }), false, 'issued at notBefore: a new session');
    assert.equal(
      state.apply({ id: '1', type: 'session_revoked', at: nowIso(), sid: 's1', sub: 'u1' }),
      false,
    );
  });

  it('drops entries maxTokenAgeSec (+ 60 s slack) after their event', () => {
    let t = Date.now();
    const state = new RevocationState(600, () => t);
    const at = new Date(t).toISOString();
    for (let i = 0; i < 1000; i++)
      state.apply({ id: String(i), type: 'session_revoked', at, sid: `s${i}`, sub: 'u' });
    state.apply({
      id: 'nb',
      type: 'user_tokens_revoked',
      at,
      sub: 'u',
      notBefore: Math.floor(t / 1000) + 30,
    });
    assert.equal(state.prune(), 1001);
    t += 661_000;
    assert.equal(state.prune(), 1, 'only the notBefore entry, counted from its later notBefore');
    t += 31_000;
    assert.equal(state.prune(), 0);
  });
});

describe('createRevocationFeed against a stand-in feed server', () => {
  let server: FeedStandIn;
  let feed: RevocationFeed | undefined;
  const statuses: string[] = [];
  const seen: RevocationEvent[] = [];
  const open = (extra: Partial<Parameters<typeof createRevocationFeed>[0]> = {}) => {
    feed = createRevocationFeed({
      url: `${server.url}/`,
      serviceKey: SERVICE_KEY,
      backoff: { initialMs: 40, maxMs: 200 },
      onStatusChange: (s) => statuses.push(s),
      onEvent: (e) => {
        seen.push(e);
      },
      ...extra,
    });
    return feed;
  };

  before(async () => {
    server = await startFeedStandIn(SERVICE_KEY);
  });
  after(() => server.close());
  beforeEach(() => {
    server.events.length = 0;
    server.purgedThrough = 0;
    server.lastEventIds.length = 0;
    server.resyncs.length = 0;
    server.down = undefined;
    server.silent = false;
    server.hits.clear();
    statuses.length = 0;
    seen.length = 0;
  });
  afterEach(() => {
    feed?.close();
    server.dropStreams();
  });

  it('resyncs every page, then goes live; onEvent once per event', async () => {
    for (let i = 1; i <= 5; i++) server.publish({ type: 'session_revoked', sid: `s${i}`, sub: 'u1' });
    server.publish({ type: 'user_deleted', sub: 'gone' });
    server.publish({ type: 'user_tokens_revoked', sub: 'u2', notBefore: nowSec() });
    const f = open({ pageLimit: 3 });
    assert.equal(f.status, 'stale');
    await f.ready;
    assert.equal(f.status, 'live');
    assert.deepEqual(server.resyncs, [undefined, '3', '6']);
    assert.equal(f.cursor, '7');
    assert.equal(server.lastEventIds[0], '7', 'the stream resumes after the resync');
    assert.equal(f.isRevoked({ sid: 's4', sub: 'u1', iat: nowSec() }), true);
    assert.equal(f.isRevoked({ sid: 'other', sub: 'gone', iat: nowSec() }), true);
    assert.equal(f.isRevoked({ sid: 'other', sub: 'u2', iat: nowSec() - 10 }), true);
    assert.equal(f.isRevoked({ sid: 'other', sub: 'u1', iat: nowSec() }), false);
    assert.equal(seen.length, 7);
    assert.deepEqual(statuses, ['live']);
  });

  it('applies live events from the stream within milliseconds', async () => {
    const f = open();
    await f.ready;
    const sent = Date.now();
    server.publish({ type: 'session_revoked', sid: 'live-1', sub: 'u1' });
    await waitFor(() => f.isRevoked({ sid: 'live-1', sub: 'u1', iat: nowSec() }), 'the live event');
    assert.ok(Date.now() - sent < 500);
    assert.equal(seen.at(-1)?.sid, 'live-1');
    assert.equal(f.cursor, '1');
  });

  it('reconnects with Last-Event-ID after a drop and applies what it missed', async () => {
    const f = open();
    await f.ready;
    server.publish({ type: 'session_revoked', sid: 'a', sub: 'u' });
    await waitFor(() => f.cursor === '1', 'the first event');
    server.down = 503;
    server.dropStreams();
    await waitFor(() => f.status === 'stale', 'stale');
    server.publish({ type: 'session_revoked', sid: 'missed', sub: 'u' });
    assert.equal(f.isRevoked({ sid: 'missed', sub: 'u', iat: nowSec() }), false);
    server.down = undefined;
    await waitFor(() => f.isRevoked({ sid: 'missed', sub: 'u', iat: nowSec() }), 'the missed event');
    assert.equal(f.status, 'live');
    assert.equal(server.lastEventIds.at(-1), '1');
    assert.deepEqual(server.resyncs, [undefined], 'no resync needed');
  });

  it('answers 410 with a full resync, then resumes the stream', async () => {
    const f = open();
    await f.ready;
    server.publish({ type: 'session_revoked', sid: 'a', sub: 'u' });
    await waitFor(() => f.cursor === '1', 'the first event');
    server.down = 503;
    server.dropStreams();
    await waitFor(() => f.status === 'stale', 'stale');
    for (let i = 0; i < 4; i++) server.publish({ type: 'session_revoked', sid: `b${i}`, sub: 'u' });
    server.purgedThrough = 3; // the client's cursor (1) is gone
    server.down = undefined;
    await waitFor(() => f.status === 'live' && f.cursor === '5', 'live after the resync');
    assert.deepEqual(server.resyncs, [undefined, undefined], 'a second, full resync');
    assert.equal(f.isRevoked({ sid: 'b3', sub: 'u', iat: nowSec() }), true);
    assert.equal(server.lastEventIds.at(-1), '5');
  });

  it('is stale while the feed is down (nothing is revoked by it) and live again after', async () => {
    server.down = 503;
    const f = open();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(f.status, 'stale');
    assert.equal(f.isRevoked({ sid: 's', sub: 'u', iat: nowSec() }), false);
    assert.ok((server.hits.get('/api/auth/revocations') ?? 0) >= 2, 'retried with backoff');
    server.down = undefined;
    await f.ready;
    assert.equal(f.status, 'live');
    server.dropStreams();
    await waitFor(() => statuses.join() === 'live,stale,live', 'stale then live again');
  });

  it('reconnects when the stream sends no byte for idleTimeoutMs', async () => {
    server.silent = true;
    const f = open({ idleTimeoutMs: 200 });
    await f.ready;
    await waitFor(() => server.lastEventIds.length >= 2, 'a reconnect', 2000);
    server.silent = false;
    await waitFor(() => f.status === 'live' && server.openStreams() === 1, 'live on a talking stream');
  });

  it('stops on close: stale, no stream left open', async () => {
    const f = open();
    await f.ready;
    f.close();
    assert.equal(f.status, 'stale');
    await waitFor(() => server.openStreams() === 0, 'the stream closed');
  });

  it('prunes entries maxTokenAgeSec after their event', async () => {
    let t = Date.now();
    const at = new Date(t - 1000).toISOString();
    server.publish({ type: 'session_revoked', sid: 'old', sub: 'u', at });
    server.publish({ type: 'user_deleted', sub: 'd', at });
    const f = open({ maxTokenAgeSec: 120, now: () => t });
    await f.ready;
    assert.equal(f.size, 2);
    t += 120_000 + 60_000;
    assert.equal(f.size, 0);
  });

  it('refuses to start without a service key', () => {
    assert.throws(() => createRevocationFeed({ url: server.url, serviceKey: '' }), TypeError);
  });

  it('makes fastifyRequireAuth answer 401 session_revoked for a revoked session only', async () => {
    const key = generateKey('ES256');
    const jwksServer = await startFeedStandIn(SERVICE_KEY, () => ({ keys: [key.jwk] }));
    const revocations = open();
    const app = Fastify();
    try {
      await app.register(fastifyRequireAuth, {
        jwksUrl: `${jwksServer.url}/.well-known/jwks.json`,
        revocations,
      });
      app.get('/me', { preHandler: app.requireAuth() }, async (request) => ({ sid: request.user.sessionId }));
      await revocations.ready;
      const token = signWith(key, claims({ sid: 'doomed' }));
      const other = signWith(key, claims({ sid: 'fine' }));
      const get = (t: string) => app.inject({ url: '/me', headers: { authorization: `Bearer ${t}` } });
      assert.equal((await get(token)).statusCode, 200);
      server.publish({ type: 'session_revoked', sid: 'doomed', sub: 'user-1' });
      await waitFor(() => revocations.cursor === '1', 'the event');
      const res = await get(token);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'session_revoked');
      assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
      assert.equal((await get(other)).statusCode, 200);
      const long = signWith(key, claims({ exp: nowSec() + 7200 }));
      assert.equal((await get(long)).json().code, 'invalid_token', 'longer than maxTokenAgeSec');
    } finally {
      await app.close();
      await jwksServer.close();
    }
  });
});
