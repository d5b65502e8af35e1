/**
 * Refresh tokens: 256-bit opaque tokens, one chain per session, stored only as SHA-256.
 *
 * `rotateRefreshToken` runs in ONE transaction that locks the presented token's row
 * (`SELECT ... FOR UPDATE`), so concurrent refreshes of one token are serialized:
 * - the first one marks the row rotated and inserts its successor;
 * - every later one within `GRACE_MS` whose successor is still current gets that same successor
 *   (successors are derived with an HMAC of the presented token, so no plaintext is stored);
 * - anything else (later, or an older token of the chain) is reuse: the session is revoked.
 *
 * A session also has an absolute lifetime (`sessionMaxMs`, SESSION_MAX_DAYS) counted from its
 * creation: past it, any refresh ends the session (`session_expired`), however recently it was
 * refreshed, and no refresh token outlives it.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { randomToken, sha256, successorToken } from '../tokens/opaque.js';
import { revokeSession } from './repository.js';

export const GRACE_MS = 10_000;

type Q = Kysely<Database>;

export async function insertRefreshToken(
  db: Q,
  sessionId: string,
  lifetimeMs: number,
  token = randomToken(32),
  parentId: string | null = null,
): Promise<string> {
  await db
    .insertInto('refresh_tokens')
    .values({
      session_id: sessionId,
      token_hash: sha256(token),
      parent_id: parentId,
      expires_at: new Date(Date.now() + lifetimeMs),
    })
    .execute();
  return token;
}

export type RotationResult =
  | { kind: 'rotated'; refreshToken: string; sessionId: string; userId: string }
  | { kind: 'invalid'; reason: 'unknown' | 'expired' | 'revoked' }
  | { kind: 'reused'; sessionId: string; userId: string }
  | { kind: 'session_expired'; sessionId: string; userId: string };

/** Lifetimes applied by {@link rotateRefreshToken}. */
export interface RotationLimits {
  /** Lifetime of a new refresh token. */
  lifetimeMs: number;
  /** Absolute lifetime of a session from its creation (SESSION_MAX_DAYS). */
  sessionMaxMs: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

interface LockedRow {
  id: string;
  session_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  user_id: string;
  revoked_at: Date | null;
  session_created_at: Date;
}

export async function rotateRefreshToken(
  db: Q,
  presented: string,
  chainKey: Buffer,
  limits: RotationLimits,
): Promise<RotationResult> {
  const now = limits.now ?? Date.now;
  return db.transaction().execute(async (trx) => {
    const found = await sql<LockedRow>`
      SELECT rt.id, rt.session_id, rt.expires_at, rt.rotated_at, s.user_id, s.revoked_at,
        s.created_at AS session_created_at
      FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
      WHERE rt.token_hash = ${sha256(presented)}
      FOR UPDATE OF rt, s`.execute(trx);
    const row = found.rows[0];
    if (!row) return { kind: 'invalid', reason: 'unknown' } as const;
    if (row.revoked_at) return { kind: 'invalid', reason: 'revoked' } as const;
    const next = successorToken(chainKey, presented);
    const ids = { sessionId: row.session_id, userId: row.user_id };
    const sessionEndsAt = new Date(row.session_created_at).getTime() + limits.sessionMaxMs;
    if (sessionEndsAt <= now()) {
      await revokeSession(trx, row.user_id, row.session_id, 'session_expired', new Date(now()));
      return { kind: 'session_expired', ...ids } as const;
    }

    if (row.rotated_at) {
      const child = await trx
        .selectFrom('refresh_tokens')
        .select(['token_hash', 'rotated_at'])
        .where('parent_id', '=', row.id)
        .executeTakeFirst();
      const withinGrace = now() - new Date(row.rotated_at).getTime() <= GRACE_MS;
      if (withinGrace && child && child.rotated_at === null && child.token_hash === sha256(next)) {
        await trx
          .updateTable('sessions')
          .set({ last_used_at: new Date() })
          .where('id', '=', row.session_id)
          .execute();
        return { kind: 'rotated', refreshToken: next, ...ids } as const;
      }
      await revokeSession(trx, row.user_id, row.session_id, 'refresh_token_reused');
      return { kind: 'reused', ...ids } as const;
    }

    if (new Date(row.expires_at).getTime() <= now()) return { kind: 'invalid', reason: 'expired' } as const;
    await trx
      .updateTable('refresh_tokens')
      .set({ rotated_at: new Date(now()) })
      .where('id', '=', row.id)
      .execute();
    const lifetimeMs = Math.min(limits.lifetimeMs, sessionEndsAt - now());
    await insertRefreshToken(trx, row.session_id, lifetimeMs, next, row.id);
    await trx
      .updateTable('sessions')
      .set({ last_used_at: new Date() })
      .where('id', '=', row.session_id)
      .execute();
    return { kind: 'rotated', refreshToken: next, ...ids } as const;
  });
}

/** The live session a refresh token belongs to (for logout by refresh token). */
export async function sessionOfRefreshToken(
  db: Q,
  token: string,
): Promise<{ sessionId: string; userId: string } | undefined> {
  const row = await db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .select(['sessions.id as sessionId', 'sessions.user_id as userId'])
    .where('refresh_tokens.token_hash', '=', sha256(token))
    .where('sessions.revoked_at', 'is', null)
    .executeTakeFirst();
  return row;
}
