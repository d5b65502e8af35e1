import { type Kysely, sql } from 'kysely';
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

/** Revokes one session of the user; returns whether a live session was revoked. */
export async function revokeSession(
  db: Q,
  userId: string,
  sessionId: string,
  reason: string,
): Promise<boolean> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Revokes every live session of the user except `keep` (if given); returns how many. */
export async function revokeUserSessions(
  db: Q,
  userId: string,
  reason: string,
  keep?: string,
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) q = q.where('id', '!=', keep);
  const rows = await q.returning('id').execute();
  return rows.length;
}

export async function touchSession(db: Q, id: string): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
}
