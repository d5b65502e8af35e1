/**
 * A stand-in for auth-server's revocation feed in tests (a node:http server, not auth-server):
 * `GET /api/auth/revocations` (paged, 410 below the purge point) and
 * `GET /api/auth/revocations/stream` (SSE with Last-Event-ID), plus the JWKS of `jwks`. The tests
 * against the real auth-server live in auth-server-*.test.ts.
 */
import type { ServerResponse } from 'node:http';
import type { RevocationEvent } from '../../src/server/revocation-state.js';
import { type StandIn, startStandIn } from './stand-in.js';

export interface FeedStandIn extends StandIn {
  events: RevocationEvent[];
  /** Highest purged id: a cursor below it answers 410. */
  purgedThrough: number;
  /** Last-Event-ID headers the stream received, in order. */
  lastEventIds: (string | undefined)[];
  /** `since` values of the resync GETs, in order (undefined = full resync). */
  resyncs: (string | undefined)[];
  /** When set, both endpoints answer this status. */
  down: number | undefined;
  /** When true, a stream is accepted but nothing is ever written to it. */
  silent: boolean;
  /** Appends an event and writes it to every open stream. */
  publish(event: Omit<RevocationEvent, 'id' | 'at'> & { at?: string }): RevocationEvent;
  /** Ends every open stream (as a restart of auth-server would). */
  dropStreams(): void;
  openStreams(): number;
}

export async function startFeedStandIn(serviceKey: string, jwks: () => unknown = () => ({ keys: [] })) {
  const streams = new Set<ServerResponse>();
  const frame = (e: RevocationEvent) => `id: ${e.id}\nevent: revocation\ndata: ${JSON.stringify(e)}\n\n`;
  const state = {
    events: [] as RevocationEvent[],
    purgedThrough: 0,
    lastEventIds: [] as (string | undefined)[],
    resyncs: [] as (string | undefined)[],
    down: undefined as number | undefined,
    silent: false,
  };
  const problem = (res: ServerResponse, status: number, code: string) =>
    res
      .writeHead(status, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ type: 'about:blank', title: code, status, code }));

  const server = await startStandIn((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
      res.end(JSON.stringify(jwks()));
      return;
    }
    if (req.headers.authorization !== `Bearer ${serviceKey}`) return problem(res, 401, 'invalid_token');
    if (state.down) return problem(res, state.down, 'service_unavailable');
    if (url.pathname === '/api/auth/revocations') {
      const since = url.searchParams.get('since') ?? undefined;
      state.resyncs.push(since);
      if (since !== undefined && Number(since) < state.purgedThrough)
        return problem(res, 410, 'cursor_expired');
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      const page = state.events.filter((e) => Number(e.id) > Number(since ?? 0)).slice(0, limit);
      const cursor = page.at(-1)?.id ?? since ?? String(state.events.at(-1)?.id ?? 0);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ cursor, events: page }));
      return;
    }
    if (url.pathname === '/api/auth/revocations/stream') {
      const last = req.headers['last-event-id'] as string | undefined;
      state.lastEventIds.push(last);
      if (last !== undefined && Number(last) < state.purgedThrough)
        return problem(res, 410, 'cursor_expired');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (state.silent) {
        res.flushHeaders();
        return;
      }
      res.write('retry: 2000\n: connected\n\n');
      for (const e of state.events)
        if (Number(e.id) > Number(last ?? Number.POSITIVE_INFINITY)) res.write(frame(e));
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    problem(res, 404, 'not_found');
  });

  // Object.assign returns `state` itself, so the handler above and the test share these fields.
  const standIn: FeedStandIn = Object.assign(state, server, {
    publish(partial: Omit<RevocationEvent, 'id' | 'at'> & { at?: string }) {
      const event = {
        ...partial,
        id: String(Number(state.events.at(-1)?.id ?? 0) + 1),
        at: partial.at ?? new Date().toISOString(),
      } as RevocationEvent;
      state.events.push(event);
      for (const res of streams) res.write(frame(event));
      return event;
    },
    dropStreams() {
      for (const res of streams) res.destroy();
      streams.clear();
    },
    openStreams: () => streams.size,
    close: async () => {
      standIn.dropStreams();
      await server.close();
    },
  });
  return standIn;
}

/** Polls `check` every 10 ms until it is true, failing after `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
