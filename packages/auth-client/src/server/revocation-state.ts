/**
 * What the revocation feed holds: revoked sessions, deleted users and per-user "not before"
 * times, each dropped `maxTokenAgeSec` (plus a minute of clock slack) after its event. Sound
 * because a verifier with `revocations` refuses tokens living longer than `maxTokenAgeSec`: a
 * token an entry could still affect was issued before the event, so it has expired by then.
 */
import type { AccessTokenClaims } from '@emotion-app/protocol';

/** The event types of auth-server's revocation feed (DESIGN §7). */
export type RevocationEventType = 'session_revoked' | 'user_tokens_revoked' | 'user_deleted';

/** One event of `GET /api/auth/revocations` and its stream. */
export interface RevocationEvent {
  /** The event id (the feed cursor), a decimal string. */
  id: string;
  type: RevocationEventType;
  /** When it happened, ISO 8601. */
  at: string;
  /** The revoked session (`session_revoked`). */
  sid?: string;
  /** The user (every type; `session_revoked` carries it too). */
  sub?: string;
  /** Unix seconds: that user's tokens issued before it are dead (`user_tokens_revoked`). */
  notBefore?: number;
}

/** The claims a revocation check reads. */
export type RevocationClaims = Pick<AccessTokenClaims, 'sid' | 'sub'> & { iat?: number };

/** Extra time entries are kept past `maxTokenAgeSec`, for clock skew between machines. */
const SLACK_MS = 60_000;

/** Validates an event from the wire; undefined when it is not one this client understands. */
export function parseRevocationEvent(value: unknown): RevocationEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' && typeof e.id !== 'number') return undefined;
  const base = { id: String(e.id), at: typeof e.at === 'string' ? e.at : '' };
  const sub = typeof e.sub === 'string' && e.sub !== '' ? e.sub : undefined;
  switch (e.type) {
    case 'session_revoked':
      if (typeof e.sid !== 'string' || e.sid === '') return undefined;
      return { ...base, type: e.type, sid: e.sid, ...(sub ? { sub } : {}) };
    case 'user_deleted':
      return sub ? { ...base, type: e.type, sub } : undefined;
    case 'user_tokens_revoked':
      if (!sub || typeof e.notBefore !== 'number' || !Number.isFinite(e.notBefore)) return undefined;
      return { ...base, type: e.type, sub, notBefore: e.notBefore };
    default:
      return undefined;
  }
}

/**
 * The in-memory revocation set.
 *
 * @example
 * ```ts
 * const state = new RevocationState(3600, Date.now);
 * state.apply({ id: '1', type: 'session_revoked', at: new Date().toISOString(), sid, sub });
 * state.isRevoked({ sid, sub, iat }); // true
 * ```
 */
export class RevocationState {
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  /** sid → when the entry may be dropped (ms). */
  #sids = new Map<string, number>();
  /** sub → when the entry may be dropped (ms). */
  #deleted = new Map<string, number>();
  /** sub → the latest notBefore (s) and when it may be dropped (ms). */
  #notBefore = new Map<string, { notBefore: number; dropAt: number }>();
  /** event id → when it may be forgotten (ms): deduplicates replayed events. */
  #seen = new Map<string, number>();

  constructor(maxTokenAgeSec: number, now: () => number) {
    this.#maxAgeMs = maxTokenAgeSec * 1000;
    this.#now = now;
  }

  /** Applies an event; returns false when it was already applied (same id). */
  apply(event: RevocationEvent): boolean {
    const at = Date.parse(event.at);
    const base = Math.max(Number.isFinite(at) ? at : this.#now(), (event.notBefore ?? 0) * 1000);
    const dropAt = base + this.#maxAgeMs + SLACK_MS;
    if (this.#seen.has(event.id)) return false;
    this.#seen.set(event.id, dropAt);
    const sub = event.sub as string;
    if (event.type === 'session_revoked') {
      this.#sids.set(event.sid as string, Math.max(dropAt, this.#sids.get(event.sid as string) ?? 0));
    } else if (event.type === 'user_deleted') {
      this.#deleted.set(sub, Math.max(dropAt, this.#deleted.get(sub) ?? 0));
    } else {
      const prev = this.#notBefore.get(sub);
      this.#notBefore.set(sub, {
        notBefore: Math.max(event.notBefore as number, prev?.notBefore ?? 0),
        dropAt: Math.max(dropAt, prev?.dropAt ?? 0),
      });
    }
    return true;
  }

  /** Whether the token's session is revoked, its user deleted, or it was issued before the user's `notBefore`. */
  isRevoked(claims: RevocationClaims): boolean {
    if (this.#sids.has(claims.sid) || this.#deleted.has(claims.sub)) return true;
    const nb = this.#notBefore.get(claims.sub);
    return nb !== undefined && !(typeof claims.iat === 'number' && claims.iat >= nb.notBefore);
  }

  /** Drops entries whose tokens have all expired; returns how many entries remain. */
  prune(): number {
    const t = this.#now();
    for (const map of [this.#sids, this.#deleted, this.#seen]) {
      for (const [k, dropAt] of map) if (dropAt <= t) map.delete(k);
    }
    for (const [k, v] of this.#notBefore) if (v.dropAt <= t) this.#notBefore.delete(k);
    return this.size;
  }

  /** Entries held (sessions + deleted users + notBefore users). */
  get size(): number {
    return this.#sids.size + this.#deleted.size + this.#notBefore.size;
  }
}
