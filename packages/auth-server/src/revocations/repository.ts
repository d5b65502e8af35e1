/**
 * The `revocation_events` table (migration 0003): written by the statement or transaction that
 * revokes (sessions/repository.ts, passwords/service.ts), read by the feed.
 */
import type { RevocationEvent } from '@emotion-app/protocol';
import { type Kysely, sql } from 'kysely';
import type { Database, RevocationEventType } from '../db/schema.js';

type Q = Kysely<Database>;

/** Events committed out of id order are caught by also reading this window of recent events. */
export const LATE_COMMIT_WINDOW_SECONDS = 5;

export interface RevocationEventRow {
  id: string;
  type: RevocationEventType;
  sid: string | null;
  sub: string | null;
  not_before: string | number | null;
  at: Date | string;
}

/** An event as the feed answers it: ids as strings, `at` ISO-8601, absent members left out. */
export function toEvent(row: RevocationEventRow): RevocationEvent {
  return {
    id: String(row.id),
    type: row.type,
    at: new Date(row.at).toISOString(),
    ...(row.sid !== null ? { sid: row.sid } : {}),
    ...(row.sub !== null ? { sub: row.sub } : {}),
    ...(row.not_before !== null ? { notBefore: Number(row.not_before) } : {}),
  };
}

/** `user_tokens_revoked`: tokens of `sub` issued before `notBefore` (Unix seconds) are dead. */
export async function insertUserTokensRevoked(db: Q, sub: string, notBefore: number): Promise<void> {
  await db
    .insertInto('revocation_events')
    .values({ type: 'user_tokens_revoked', sub, not_before: notBefore })
    .execute();
}

/** Events with `id > after`, oldest first, at most `limit`. */
export async function eventsAfter(db: Q, after: bigint, limit: number): Promise<RevocationEvent[]> {
  const { rows } = await sql<RevocationEventRow>`
    SELECT id, type, sid, sub, not_before, at FROM revocation_events
    WHERE id > ${after.toString()}::bigint ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.map(toEvent);
}

/** Events with `id <= upTo` written within the late-commit window (at most `limit`). */
export async function lateEvents(db: Q, upTo: bigint, limit: number): Promise<RevocationEvent[]> {
  const { rows } = await sql<RevocationEventRow>`
    SELECT id, type, sid, sub, not_before, at FROM revocation_events
    WHERE id <= ${upTo.toString()}::bigint
      AND at >= now() - make_interval(secs => ${LATE_COMMIT_WINDOW_SECONDS})
    ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.map(toEvent);
}

/** What the notifier polls: events after `after`, and every event of the late-commit window. */
export async function eventsSinceOrRecent(db: Q, after: bigint, limit: number): Promise<RevocationEvent[]> {
  const { rows } = await sql<RevocationEventRow>`
    SELECT id, type, sid, sub, not_before, at FROM revocation_events
    WHERE id > ${after.toString()}::bigint
      OR at >= now() - make_interval(secs => ${LATE_COMMIT_WINDOW_SECONDS})
    ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.map(toEvent);
}

/** The highest event id (0 when there is none) and the highest purged id. */
export async function feedBounds(db: Q): Promise<{ maxId: bigint; purgedThrough: bigint }> {
  const { rows } = await sql<{ max_id: string | null; purged_through: string | null }>`
    SELECT (SELECT max(id) FROM revocation_events) AS max_id,
      (SELECT max(purged_through) FROM revocation_feed_state) AS purged_through`.execute(db);
  const row = rows[0];
  return { maxId: BigInt(row?.max_id ?? 0), purgedThrough: BigInt(row?.purged_through ?? 0) };
}

/**
 * Deletes events older than `retentionSeconds` and raises `purged_through` to the highest id
 * deleted, in one statement. Returns how many were deleted.
 */
export async function purgeEvents(db: Q, retentionSeconds: number): Promise<number> {
  const { rows } = await sql<{ purged: string }>`
    WITH purged AS (
      DELETE FROM revocation_events WHERE at < now() - make_interval(secs => ${retentionSeconds})
      RETURNING id
    ), state AS (
      INSERT INTO revocation_feed_state (id, purged_through)
      SELECT 1, max(id) FROM purged HAVING count(*) > 0
      ON CONFLICT (id) DO UPDATE
        SET purged_through = GREATEST(revocation_feed_state.purged_through, EXCLUDED.purged_through)
    )
    SELECT count(*) AS purged FROM purged`.execute(db);
  return Number(rows[0]?.purged ?? 0);
}
