/**
 * `GET /api/auth/revocations/stream` (DESIGN §7): the feed as Server-Sent Events. `retry: 2000`
 * and a `: connected` comment first; then the events after the cursor (catch-up), then each new
 * event as the notifier finds it: `id: <id>`, `event: revocation`, `data: <json>`; a `: heartbeat`
 * comment every REVOCATION_HEARTBEAT_SECONDS. Events may repeat (a late commit is sent again when
 * in doubt); clients apply them idempotently.
 */
import type { RevocationEvent } from '@emotion-app/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEDUP_MS, MAX_PAGE, type RevocationFeed } from './feed.js';
import { eventsAfter, LATE_COMMIT_WINDOW_SECONDS, lateEvents } from './repository.js';
import type { Db } from '../db/connect.js';

/** A client that lets this much output pile up is disconnected (it resumes with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface StreamOptions {
  db: Db;
  feed: RevocationFeed;
  heartbeatMs: number;
  /** Events after this id are sent. */
  cursor: bigint;
  /** The client resumes (Last-Event-ID or since): late commits of the last seconds are sent too. */
  resume: boolean;
}

function frame(event: RevocationEvent): string {
  return `id: ${event.id}\nevent: revocation\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Takes over the reply and streams until the client leaves or the app closes. */
export async function streamRevocations(
  request: FastifyRequest,
  reply: FastifyReply,
  options: StreamOptions,
): Promise<void> {
  const { feed, db } = options;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.write('retry: 2000\n: connected\n\n');

  let cursor = options.cursor;
  const sent = new Map<string, number>();
  let buffered: RevocationEvent[] | undefined = [];
  let ended = false;

  function write(text: string): void {
    if (ended) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      request.log.warn('revocation stream: client too slow, disconnecting');
      end();
    }
  }

  function send(events: RevocationEvent[]): void {
    const now = Date.now();
    for (const [id, at] of sent) if (now - at > DEDUP_MS) sent.delete(id);
    const recentSince = now - LATE_COMMIT_WINDOW_SECONDS * 1000 - 1000;
    let out = '';
    for (const event of events) {
      const id = BigInt(event.id);
      if (sent.has(event.id)) continue;
      if (id <= cursor && Date.parse(event.at) < recentSince) continue;
      sent.set(event.id, now);
      if (id > cursor) cursor = id;
      out += frame(event);
    }
    if (out) write(out);
  }

  const unsubscribe = feed.subscribe((events) => {
    if (buffered) buffered.push(...events);
    else send(events);
  }, cursor);
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);

  function end(): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    feed.streams.delete(end);
    res.end();
  }
  feed.streams.add(end);
  res.on('close', end);
  res.on('error', end);

  try {
    // Catch-up: everything after the cursor, page by page, then what the notifier found meanwhile.
    // A resuming client may have missed late commits at or before its cursor: send them again. A
    // new client starts after the newest event: the recent ones it did not ask for are marked sent,
    // so that only commits still to come with smaller ids (late ones) get through.
    const late = await lateEvents(db, cursor, MAX_PAGE);
    if (options.resume) send(late);
    else for (const event of late) sent.set(event.id, Date.now());
    for (;;) {
      const page = await eventsAfter(db, cursor, MAX_PAGE);
      send(page);
      if (page.length < MAX_PAGE || ended) break;
    }
    const pending = buffered ?? [];
    buffered = undefined;
    send(pending);
  } catch (err) {
    request.log.error({ err }, 'revocation stream: catch-up failed');
    end();
  }
}
