import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database, SessionRow } from '../db/schema.js';

type Q = Kysely<Database>;

export function insertSession(
  db: Q,
  s: { userId: string; userAgent: string | null; ip: string | null },
): Promise<SessionRow> {
  return db
    .insertInto('sessions')
    .values({ user_id: s.userId, user_agent: s.userAgent?.slice(0, 512) ?? null, ip: s.ip })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A session that exists and is not revoked; undefined otherwise. */
export function findLiveSession(db: Q, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export function listLiveSessions(db: Q, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('last_used_at', 'desc')
    .execute();
}

/**
 * Revokes sessions matching `where` and writes one `session_revoked` event per session it revoked,
 * in ONE statement (atomic without a transaction). Returns the ids revoked.
 */
async function revokeWhere(db: Q, where: RawBuilder<unknown>, reason: string, at: Date): Promise<string[]> {
  const { rows } = await sql<{ sid: string }>`
    WITH revoked AS (
      UPDATE sessions SET revoked_at = ${at}, revoked_reason = ${reason}
      WHERE revoked_at IS NULL AND ${where}
      RETURNING id, user_id
    )
    INSERT INTO revocation_events (type, sid, sub)
    SELECT 'session_revoked', id, user_id FROM revoked
    RETURNING sid`.execute(db);
  return rows.map((r) => r.sid);
}

/**
 * Revokes one session of the user (with its `session_revoked` event); returns whether a live
 * session was revoked. Logout, session delete, refresh-token reuse and session expiry all end here.
 */
export async function revokeSession(
  db: Q,
  userId: string,
  sessionId: string,
  reason: string,
  at: Date = new Date(),
): Promise<boolean> {
  const ids = await revokeWhere(db, sql`id = ${sessionId} AND user_id = ${userId}`, reason, at);
  return ids.length > 0;
}

/**
 * Revokes every live session of the user except `keep` (if given), each with its
 * `session_revoked` event; returns how many.
 */
export async function revokeUserSessions(
  db: Q,
  userId: string,
  reason: string,
  keep?: string,
): Promise<number> {
  const where = keep ? sql`user_id = ${userId} AND id <> ${keep}` : sql`user_id = ${userId}`;
  return (await revokeWhere(db, where, reason, new Date())).length;
}

export async function touchSession(db: Q, id: string): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
}
