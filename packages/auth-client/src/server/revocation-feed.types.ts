/** The public shapes of the revocation feed (DESIGN §7), shared by the feed and the verifier. */
import type { RevocationClaims, RevocationEvent } from './revocation-state.js';

/** What the `revocations` option of `createTokenVerifier` needs: a feed, or your own check. */
export interface RevocationChecker {
  /** Whether a verified token's session or user has been revoked. Must be synchronous and cheap. */
  isRevoked(claims: RevocationClaims): boolean;
  /**
   * Tokens living longer than this (`exp - iat`, seconds) are refused by the verifier, because the
   * checker forgets revocations older than it. Default: no limit.
   */
  readonly maxTokenAgeSec?: number;
}

/** `'live'` while the stream is connected; `'stale'` before, while reconnecting, and after close. */
export type RevocationFeedStatus = 'live' | 'stale';

/** Options of {@link createRevocationFeed}. */
export interface RevocationFeedOptions {
  /** auth-server's base URL, e.g. `http://localhost:8000` (the feed adds `/api/auth/revocations`). */
  url: string | URL;
  /** auth-server's `SERVICE_KEY`, sent as `Authorization: Bearer`. */
  serviceKey: string;
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The longest token lifetime (`exp - iat`) accepted by a verifier using this feed, and how long
   * after its event an entry is kept. Default 3600 s; at least auth-server's `JWT_MAXAGE`.
   */
  maxTokenAgeSec?: number;
  /**
   * Called once per new event (resync and stream alike, deduplicated by id), after it is applied.
   * Errors it throws (or promises it rejects) are ignored: handle them inside.
   */
  onEvent?: (event: RevocationEvent) => void | Promise<void>;
  /** Called when `status` changes; with the error that made it `stale`, when there was one. */
  onStatusChange?: (status: RevocationFeedStatus, error?: unknown) => void;
  /** Reconnect when the stream sends no byte for this long. Default 45,000 ms (heartbeats come every 15 s). */
  idleTimeoutMs?: number;
  /** Reconnect backoff: first delay and cap, doubled per failed attempt, with jitter. Default 500 / 30,000 ms. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Events per resync page (1–1000). Default 1000. */
  pageLimit?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** A running feed, made by {@link createRevocationFeed}. */
export interface RevocationFeed extends RevocationChecker {
  readonly maxTokenAgeSec: number;
  /** `'live'` while the stream is connected (revocations arrive within seconds), else `'stale'`. */
  readonly status: RevocationFeedStatus;
  /** Resolves when the first resync is applied and the stream connected, or when the feed is closed. */
  readonly ready: Promise<void>;
  /** The last event id applied (`'0'` before any). */
  readonly cursor: string;
  /** Revocation entries held now. */
  readonly size: number;
  /** Stops following the feed (aborts the stream, clears timers). */
  close(): void;
}
