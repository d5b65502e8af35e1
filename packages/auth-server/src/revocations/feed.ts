/**
 * The revocation feed (DESIGN §7): pages of events for `GET /api/auth/revocations`, retention and
 * purge, and one notifier per process for the streams.
 *
 * The notifier polls the table every 250 ms while at least one stream is open (events after the
 * last id it saw, plus every event of the last 5 s, since bigserial ids may commit out of order;
 * deduplicated by id) and is woken at once after a local revocation commits. Polling the shared
 * table is what lets a stream on one instance deliver an event written through another; it works
 * on PGlite and PostgreSQL alike.
 */
import type { RevocationEvent } from '@emotion-app/protocol';
import { ProblemError } from '@emotion-app/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import {
  eventsAfter,
  eventsSinceOrRecent,
  feedBounds,
  LATE_COMMIT_WINDOW_SECONDS,
  lateEvents,
  purgeEvents,
} from './repository.js';

/** Events are kept this long beyond the access-token lifetime. */
export const RETENTION_MARGIN_SECONDS = 5 * 60;
/** Purges run at most this often (on feed reads and after local revocations). */
export const PURGE_INTERVAL_MS = 60_000;
/** How often the notifier polls while streams are open. */
export const NOTIFIER_POLL_MS = 250;
/** How long ids are remembered for deduplication (twice the late-commit window). */
export const DEDUP_MS = 2 * LATE_COMMIT_WINDOW_SECONDS * 1000;
export const MAX_PAGE = 1000;

export interface FeedPage {
  cursor: string;
  events: RevocationEvent[];
}

/** A listener of the notifier: gets every new event (possibly again, when it was late). */
export type FeedListener = (events: RevocationEvent[]) => void;

export interface RevocationFeedOptions {
  /** Access-token lifetime; events are kept this + {@link RETENTION_MARGIN_SECONDS}. */
  accessTtlSeconds: number;
  log: FastifyBaseLogger;
  pollMs?: number;
}

const cursorExpired = () =>
  new ProblemError({
    code: 'cursor_expired',
    detail: 'Events after this cursor are no longer kept: resynchronize by reading the feed without since.',
  });

/** Sorted union of two event lists, each id once. */
function mergeById(a: RevocationEvent[], b: RevocationEvent[]): RevocationEvent[] {
  const byId = new Map<string, RevocationEvent>();
  for (const e of [...a, ...b]) byId.set(e.id, e);
  return [...byId.values()].sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
}

export class RevocationFeed {
  readonly #db: Db;
  readonly #log: FastifyBaseLogger;
  readonly #retentionSeconds: number;
  readonly #pollMs: number;
  #lastPurge = 0;
  readonly #listeners = new Set<FeedListener>();
  /** Highest id the notifier has seen. */
  #last = 0n;
  /** Ids the notifier delivered, with when, for deduplication. */
  readonly #seen = new Map<string, number>();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #woken = false;
  #closed = false;
  /** Enders of the open streams (stream.ts), so closing the app ends them. */
  readonly streams = new Set<() => void>();

  constructor(db: Db, options: RevocationFeedOptions) {
    this.#db = db;
    this.#log = options.log;
    this.#retentionSeconds = options.accessTtlSeconds + RETENTION_MARGIN_SECONDS;
    this.#pollMs = options.pollMs ?? NOTIFIER_POLL_MS;
  }

  /** Deletes events past retention now (tests, and {@link maybePurge}). */
  async purge(): Promise<number> {
    this.#lastPurge = Date.now();
    return purgeEvents(this.#db, this.#retentionSeconds);
  }

  /** Purges at most once a minute; failures are logged, never thrown. */
  async maybePurge(): Promise<void> {
    if (Date.now() - this.#lastPurge < PURGE_INTERVAL_MS) return;
    try {
      await this.purge();
    } catch (err) {
      this.#log.error({ err }, 'revocation feed: purge failed');
    }
  }

  /**
   * Throws 410 `cursor_expired` when events after `since` may have been purged; returns the bounds.
   */
  async checkCursor(since: bigint | undefined): Promise<{ maxId: bigint; purgedThrough: bigint }> {
    await this.maybePurge();
    const bounds = await feedBounds(this.#db);
    if (since !== undefined && since < bounds.purgedThrough) throw cursorExpired();
    return bounds;
  }

  /**
   * `GET /api/auth/revocations`: events after `since` (plus those of the late-commit window with
   * smaller ids), or every retained event without `since`. The cursor is the last id answered.
   */
  async page(since: bigint | undefined, limit = MAX_PAGE): Promise<FeedPage> {
    const { purgedThrough } = await this.checkCursor(since);
    const after = since ?? 0n;
    const fresh = await eventsAfter(this.#db, after, limit);
    const late = since === undefined ? [] : await lateEvents(this.#db, since, limit);
    const last = fresh.at(-1);
    const cursor = last ? last.id : since !== undefined ? since.toString() : purgedThrough.toString();
    return { cursor, events: mergeById(late, fresh) };
  }

  /** Listens for new events until the returned function is called; starts the notifier. */
  subscribe(listener: FeedListener, startAfter: bigint): () => void {
    if (this.#listeners.size === 0 && startAfter > this.#last) this.#last = startAfter;
    this.#listeners.add(listener);
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
    });
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** A local revocation committed: poll now rather than at the next tick, and maybe purge. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
    void this.maybePurge();
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Ends every open stream. */
  endStreams(): void {
    for (const end of [...this.streams]) end();
  }

  /** Ends the streams and stops the notifier. */
  async close(): Promise<void> {
    this.endStreams();
    this.#closed = true;
    this.#listeners.clear();
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed && this.#listeners.size > 0) {
      this.#woken = false;
      try {
        await this.#poll();
      } catch (err) {
        this.#log.error({ err }, 'revocation feed: poll failed');
      }
      if (this.#woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  async #poll(): Promise<void> {
    const events = await eventsSinceOrRecent(this.#db, this.#last, MAX_PAGE);
    const now = Date.now();
    for (const [id, at] of this.#seen) if (now - at > DEDUP_MS) this.#seen.delete(id);
    const fresh = events.filter((e) => !this.#seen.has(e.id));
    for (const e of fresh) {
      this.#seen.set(e.id, now);
      const id = BigInt(e.id);
      if (id > this.#last) this.#last = id;
    }
    if (fresh.length === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(fresh);
      } catch (err) {
        this.#log.error({ err }, 'revocation feed: listener failed');
      }
    }
  }
}
